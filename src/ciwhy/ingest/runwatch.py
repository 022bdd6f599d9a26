"""② RunWatch's pipeline-run shape (``POST /functions/v1/ingest``, ``/api/ingest/run``) and its
mapping to the canonical run model.

Required: ``provider`` (github | gitlab | bitbucket | circleci | other), ``repository``
(owner/repo), ``pipeline_name``, ``run_id``, ``run_attempt``, ``status`` (success | failure |
cancelled | running | queued | pending | skipped | timed_out), ``started_at``,
``triggered_by``, ``actor``. Optional: ``pipeline_id``, ``run_name``, ``run_url``, ``mode``
(inline | external), ``compute_seconds``, ``duration_seconds`` (derived from the timestamps
when absent), ``completed_at``, ``branch``, ``jobs[]``.

Each job: ``name`` and ``status`` (the same enum) required; ``job_id``, ``stage``,
``started_at``, ``completed_at``, ``duration_seconds``, ``queued_seconds``, ``runner_name``,
``labels``, ``url`` optional. Extensions ``ciwhy report`` sends: ``ci_vendor`` names the CI
when ``provider`` is ``other``; ``commit_sha``; ``pull_request`` (its number).

The same provider, repository, run_id and run_attempt is one run: a run reported ``running``
and then ``failure`` is updated in place.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from ciwhy.ingest.normalise import normalise_status, provider_slug
from ciwhy.ingest.runs import JobUpsert, RunUpsert
from ciwhy.ingest.timestamps import duration_ms
from ciwhy.ingest.wire import MODEL_CONFIG, Id, Timestamp, text

Status = Literal["success", "failure", "cancelled", "running", "queued", "pending", "skipped",
                 "timed_out"]  # fmt: skip
Seconds = Annotated[float, Field(ge=0, le=10**9)]
_REPOSITORY = r"^[^/\s]+(/[^/\s]+)+$"


class Job(BaseModel):
    model_config = MODEL_CONFIG
    name: text(500, 1)  # type: ignore[valid-type]
    status: Status
    job_id: Id | None = None
    stage: text(200) | None = None  # type: ignore[valid-type]
    started_at: Timestamp | None = None
    completed_at: Timestamp | None = None
    duration_seconds: Seconds | None = None
    queued_seconds: Seconds | None = None
    runner_name: text(500) | None = None  # type: ignore[valid-type]
    labels: Annotated[list[text(200)], Field(max_length=200)] = []  # type: ignore[valid-type]
    url: text(2000) | None = None  # type: ignore[valid-type]


class PipelineRun(BaseModel):
    model_config = MODEL_CONFIG
    provider: Literal["github", "gitlab", "bitbucket", "circleci", "other"]
    repository: Annotated[str, Field(min_length=3, max_length=500, pattern=_REPOSITORY)]
    pipeline_name: text(500, 1)  # type: ignore[valid-type]
    run_id: Id
    run_attempt: Annotated[int, Field(ge=1, le=10_000)]
    status: Status
    started_at: Timestamp
    triggered_by: text(500, 1)  # type: ignore[valid-type]
    actor: text(200, 1)  # type: ignore[valid-type]
    pipeline_id: Id | None = None
    run_name: text(500) | None = None  # type: ignore[valid-type]
    run_url: text(2000) | None = None  # type: ignore[valid-type]
    mode: Literal["inline", "external"] | None = None
    compute_seconds: Seconds | None = None
    duration_seconds: Seconds | None = None
    completed_at: Timestamp | None = None
    branch: text(500) | None = None  # type: ignore[valid-type]
    jobs: Annotated[list[Job], Field(max_length=5_000)] = []
    ci_vendor: text(64) | None = None  # type: ignore[valid-type]
    commit_sha: text(100) | None = None  # type: ignore[valid-type]
    pull_request: Id | None = None

    @model_validator(mode="after")
    def _order(self) -> PipelineRun:
        if self.completed_at and self.completed_at < self.started_at:
            raise ValueError("completed_at is before started_at")
        return self


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds * 1000)


def to_run(p: PipelineRun) -> RunUpsert:
    vendor = provider_slug(p.ci_vendor) if p.provider == "other" and p.ci_vendor else ""
    jobs = tuple(
        JobUpsert(
            kind="job", name=j.name, key=j.job_id or j.name, status=normalise_status(j.status),
            vendor_status=j.status, stage=j.stage, started_at=j.started_at,
            completed_at=j.completed_at,
            duration_ms=_ms(j.duration_seconds) if j.duration_seconds is not None
            else duration_ms(j.started_at, j.completed_at),
            queue_ms=_ms(j.queued_seconds), runner=j.runner_name, labels=tuple(j.labels),
            url=j.url, attempt=p.run_attempt,
        )
        for j in p.jobs
    )  # fmt: skip
    extra = {k: v for k, v in (("mode", p.mode), ("run_name", p.run_name),
                               ("pipeline_id", p.pipeline_id),
                               ("pull_request", p.pull_request)) if v}  # fmt: skip
    return RunUpsert(
        source="runwatch", key=f"{p.provider}:{p.repository}#{p.run_id}#{p.run_attempt}",
        provider=vendor or p.provider, project=p.repository, pipeline=p.pipeline_name,
        status=normalise_status(p.status), vendor_status=p.status, run_number=p.run_id,
        attempt=p.run_attempt, branch=p.branch, commit_sha=p.commit_sha,
        trigger=p.triggered_by, actor=p.actor,
        url=p.run_url, external_id=p.run_id, started_at=p.started_at,
        completed_at=p.completed_at,
        duration_ms=_ms(p.duration_seconds) if p.duration_seconds is not None
        else duration_ms(p.started_at, p.completed_at),
        compute_seconds=p.compute_seconds, jobs=jobs, extra=extra,
    )  # fmt: skip
