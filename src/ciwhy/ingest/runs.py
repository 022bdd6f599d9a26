"""② The canonical shapes of build analytics: a run with its stages and jobs, test results and
security findings. Every ingest shape (BuildButler, RunWatch, GitHub and GitLab webhooks,
``ciwhy report``) maps to these; the store writes only these.

Upsert semantics (store/runs.py): a run is identified per tenant by ``(source, key)``; a field
that is ``None`` never overwrites a value already stored, so partial reports (a webhook's
``workflow_job`` before its ``workflow_run``, a run reported ``running`` then ``failure``)
merge into one run. Statuses are normalised with ``normalise_status`` and the vendor's word is
kept beside them (enums are open sets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

JobKind = Literal["stage", "job"]
TestStatus = Literal["passed", "failed", "error", "skipped", "flaky"]
TEST_STATUSES: tuple[str, ...] = TestStatus.__args__  # type: ignore[attr-defined]
#: Worst first: when one test appears twice in a report, the worse outcome is kept.
TEST_STATUS_RANK = {"error": 0, "failed": 1, "flaky": 2, "passed": 3, "skipped": 4}


@dataclass(frozen=True, slots=True)
class JobUpsert:
    """One stage (BuildButler ``pipeline-stages``) or job (RunWatch ``jobs[]``, webhooks)."""

    kind: JobKind
    name: str
    #: Identity within its run: the CI's job id when it has one, else the name.
    key: str
    status: str
    vendor_status: str | None = None
    ordinal: int | None = None
    stage: str | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    duration_ms: int | None = None
    queue_ms: int | None = None
    runner: str | None = None
    labels: tuple[str, ...] = ()
    failure_reason: str | None = None
    url: str | None = None
    attempt: int | None = None


@dataclass(frozen=True, slots=True)
class RunUpsert:
    """One pipeline run (a Jenkins build, a GitHub workflow run, a GitLab pipeline)."""

    source: str  # buildbutler | runwatch | github | gitlab | report
    key: str  # unique per tenant and source (externalRunId, run_id#attempt, ...)
    provider: str  # jenkins | github | gitlab | circleci | ... (provider_slug)
    project: str  # repository slug or Jenkins folder
    pipeline: str  # Jenkins job name, workflow or pipeline name
    status: str | None = None
    vendor_status: str | None = None
    run_number: str | None = None
    attempt: int | None = None
    branch: str | None = None
    commit_sha: str | None = None
    trigger: str | None = None  # cause, event, triggered_by
    actor: str | None = None
    url: str | None = None
    instance: str | None = None  # jenkinsInstanceId, GitLab instance
    external_id: str | None = None  # the CI's own run id
    started_at: datetime | None = None
    completed_at: datetime | None = None
    duration_ms: int | None = None
    queue_ms: int | None = None
    compute_seconds: float | None = None
    jobs: tuple[JobUpsert, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TestCaseResult:
    """One test case's outcome, from JUnit XML or JSON."""

    __test__ = False  # not a pytest test class, whatever its name

    name: str
    status: TestStatus
    classname: str | None = None
    suite: str | None = None
    file: str | None = None
    line: int | None = None
    duration_ms: int | None = None
    message: str | None = None  # first line of the failure, <= 1,000 characters
    details: str | None = None  # the failure's text, cut to 8,000 characters
    attempts: int = 1  # runs of this test in the report (reruns, flaky attempts)


@dataclass(frozen=True, slots=True)
class Finding:
    """One security finding (a scanner's result)."""

    tool: str
    rule: str
    severity: str  # critical | high | medium | low | info (the tool's word when unknown)
    message: str
    file: str | None = None
    line: int | None = None
