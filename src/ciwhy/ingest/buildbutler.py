"""② BuildButler's ingest shapes (``POST /ingest/...``) and their mapping to the canonical
run model. Field names are BuildButler's (camelCase); durations are milliseconds.

=====================  ===================================================================
builds                 ``jobName buildNumber status duration startedAt completedAt
                       jenkinsInstanceId`` + ``branch commitSha cause source externalRunId``.
                       The run key is ``externalRunId``, else ``jenkinsInstanceId/jobName#
                       buildNumber``: the same key posted again updates the same build.
pipeline-stages        ``buildId stages[{stageName stageOrder status duration}]``
tests                  ``buildId tests[{suite classname name file status duration message}]``
agents                 ``jenkinsInstanceId? agents[{name state labels executors busyExecutors
                       currentBuild}] queue[{jobName waitMs | waitingSince, reason}]``
build-logs             ``{buildId, log}`` (or the raw text with ``?buildId=``)
security-reports       ``buildId findings[{tool rule severity file line message}]``, or
                       ``{buildId, sarif: <SARIF 2.1.0>}`` (or the SARIF body with ``?buildId=``)
=====================  ===================================================================
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from ciwhy import clock
from ciwhy.ingest.normalise import normalise_status
from ciwhy.ingest.runs import Finding, JobUpsert, RunUpsert, TestCaseResult
from ciwhy.ingest.timestamps import duration_ms
from ciwhy.ingest.wire import MODEL_CONFIG, Id, Timestamp, text

BuildStatus = Literal["success", "failure", "unstable", "aborted", "in_progress"]
StageStatus = Literal["success", "failure", "unstable", "aborted", "in_progress", "skipped"]
Millis = Annotated[int, Field(ge=0, le=10**12)]
MAX_ITEMS = 100_000


class Build(BaseModel):
    model_config = MODEL_CONFIG
    jobName: text(500, 1)  # type: ignore[valid-type]
    buildNumber: Id
    status: BuildStatus
    duration: Millis | None
    startedAt: Timestamp | None
    completedAt: Timestamp | None
    jenkinsInstanceId: text(200, 1)  # type: ignore[valid-type]
    branch: text(500) | None = None  # type: ignore[valid-type]
    commitSha: text(100) | None = None  # type: ignore[valid-type]
    cause: text(500) | None = None  # type: ignore[valid-type]
    source: text(500) | None = None  # type: ignore[valid-type]
    externalRunId: text(500, 1) | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _order(self) -> Build:
        if self.startedAt and self.completedAt and self.completedAt < self.startedAt:
            raise ValueError("completedAt is before startedAt")
        return self


def build_to_run(b: Build) -> RunUpsert:
    key = b.externalRunId or f"{b.jenkinsInstanceId}/{b.jobName}#{b.buildNumber}"
    running = b.status == "in_progress"
    return RunUpsert(
        source="buildbutler", key=key, provider="jenkins", project=b.jobName,
        pipeline=b.jobName, status=normalise_status(b.status), vendor_status=b.status,
        run_number=b.buildNumber, branch=b.branch, commit_sha=b.commitSha, trigger=b.cause,
        instance=b.jenkinsInstanceId, external_id=b.externalRunId, started_at=b.startedAt,
        completed_at=None if running else b.completedAt,
        duration_ms=b.duration if b.duration is not None
        else duration_ms(b.startedAt, b.completedAt),
        extra={"source": b.source} if b.source else {},
    )  # fmt: skip


def run_to_build(row: dict[str, Any]) -> dict[str, Any]:
    """A stored run in BuildButler's shape (what POST /ingest/builds answers)."""
    iso = _iso
    return {
        "id": row["id"], "jobName": row["pipeline"], "buildNumber": row["run_number"],
        "status": row["vendor_status"] or row["status"], "duration": row["duration_ms"],
        "startedAt": iso(row["started_at"]), "completedAt": iso(row["completed_at"]),
        "jenkinsInstanceId": row["instance"], "branch": row["branch"],
        "commitSha": row["commit_sha"], "cause": row["trigger"],
        "externalRunId": row["external_id"], "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
    }  # fmt: skip


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


class Stage(BaseModel):
    model_config = MODEL_CONFIG
    stageName: text(500, 1)  # type: ignore[valid-type]
    stageOrder: Annotated[int, Field(ge=0, le=1_000_000)]
    status: StageStatus
    duration: Millis | None = None


class Stages(BaseModel):
    model_config = MODEL_CONFIG
    buildId: text(36, 1)  # type: ignore[valid-type]
    stages: Annotated[list[Stage], Field(max_length=10_000)]


def stages_to_jobs(s: Stages) -> list[JobUpsert]:
    return [
        JobUpsert(kind="stage", name=st.stageName, key=st.stageName, ordinal=st.stageOrder,
                  status=normalise_status(st.status), vendor_status=st.status,
                  duration_ms=st.duration)
        for st in s.stages
    ]  # fmt: skip


class TestCase(BaseModel):
    model_config = MODEL_CONFIG
    name: text(1000, 1)  # type: ignore[valid-type]
    status: Literal["passed", "failed", "error", "skipped", "flaky"]
    suite: text(1000) | None = None  # type: ignore[valid-type]
    classname: text(1000) | None = None  # type: ignore[valid-type]
    file: text(1000) | None = None  # type: ignore[valid-type]
    line: Annotated[int, Field(ge=0, le=10**9)] | None = None
    duration: Millis | None = None
    message: text(100_000) | None = None  # type: ignore[valid-type]


class Tests(BaseModel):
    model_config = MODEL_CONFIG
    buildId: text(36, 1)  # type: ignore[valid-type]
    tests: Annotated[list[TestCase], Field(max_length=MAX_ITEMS)]


def tests_to_results(t: Tests) -> list[TestCaseResult]:
    out = []
    for c in t.tests:
        msg = c.message or None
        out.append(TestCaseResult(
            name=c.name, status=c.status, classname=c.classname, suite=c.suite, file=c.file,
            line=c.line, duration_ms=c.duration,
            message=msg.splitlines()[0][:1000] if msg and msg.strip() else None,
            details=msg[:8000] if msg else None,
        ))  # fmt: skip
    return out


class Agent(BaseModel):
    model_config = MODEL_CONFIG
    name: text(500, 1)  # type: ignore[valid-type]
    state: Literal["idle", "busy", "offline"]
    labels: Annotated[list[text(200)], Field(max_length=200)] = []  # type: ignore[valid-type]
    executors: Annotated[int, Field(ge=0, le=100_000)] | None = None
    busyExecutors: Annotated[int, Field(ge=0, le=100_000)] | None = None
    currentBuild: text(500) | None = None  # type: ignore[valid-type]


class Queued(BaseModel):
    model_config = MODEL_CONFIG
    jobName: text(500, 1)  # type: ignore[valid-type]
    waitMs: Millis | None = None
    waitingSince: Timestamp | None = None
    reason: text(500) | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _wait(self) -> Queued:
        if self.waitMs is None and self.waitingSince is None:
            raise ValueError("waitMs or waitingSince is required")
        return self

    def wait(self) -> int:
        if self.waitMs is not None:
            return self.waitMs
        assert self.waitingSince is not None
        return max(0, round((clock.now() - self.waitingSince).total_seconds() * 1000))


class Agents(BaseModel):
    model_config = MODEL_CONFIG
    jenkinsInstanceId: text(200) | None = None  # type: ignore[valid-type]
    agents: Annotated[list[Agent], Field(max_length=MAX_ITEMS)] = []
    queue: Annotated[list[Queued], Field(max_length=MAX_ITEMS)] = []


class BuildLog(BaseModel):
    model_config = MODEL_CONFIG
    buildId: text(36, 1)  # type: ignore[valid-type]
    log: str


class FindingIn(BaseModel):
    model_config = MODEL_CONFIG
    tool: text(200, 1)  # type: ignore[valid-type]
    rule: text(500, 1)  # type: ignore[valid-type]
    severity: Literal["critical", "high", "medium", "low", "info"]
    file: text(1000) | None = None  # type: ignore[valid-type]
    line: Annotated[int, Field(ge=0, le=10**9)] | None = None
    message: text(20_000, 1)  # type: ignore[valid-type]


class SecurityReport(BaseModel):
    model_config = MODEL_CONFIG
    buildId: text(36, 1)  # type: ignore[valid-type]
    findings: Annotated[list[FindingIn], Field(max_length=MAX_ITEMS)] | None = None
    sarif: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one(self) -> SecurityReport:
        if (self.findings is None) == (self.sarif is None):
            raise ValueError("send either findings or sarif")
        return self


def findings_of(r: SecurityReport) -> list[Finding]:
    return [Finding(tool=f.tool, rule=f.rule, severity=f.severity, message=f.message,
                    file=f.file, line=f.line) for f in r.findings or []]  # fmt: skip
