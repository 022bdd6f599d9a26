"""What ``ciwhy report`` says about the CI job it runs in: ``ci_env.detect()`` plus the fields
that module does not read (workflow name, actor, trigger, PR number, run attempt, runner, start
times; reference ci-shapes.md §1.2), and the job's status (§1.3).

Status rule, first that applies: ``--status`` (a wire word, a vendor word such as ``FAILURE`` or
``Succeeded``, or an exit code: 0 is success, anything else failure); else the CI's own signal
(GitLab ``CI_JOB_STATUS``, Drone, Woodpecker, Azure ``AGENT_JOBSTATUS``, Buildkite, Bitbucket,
Travis, Semaphore); else the status is unknown and the run is reported as ``running``: a job
is never called a failure unless ``--status`` or the CI says so.

The environment is hostile: values are made valid UTF-8, control characters dropped, and cut
to the field limits; URLs that are not http(s) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from ciwhy.cli import ci_env

NAME_MAX = 500  # repository, names
ID_MAX = 200  # run and job ids, actor (the server's limits)
URL_MAX = 2000
WIRE_STATUSES = (
    "success", "failure", "cancelled", "running", "queued", "pending", "skipped", "timed_out",
)  # fmt: skip
FAILURES = frozenset({"failure", "timed_out"})
UNKNOWN_STATUS = "running"

# Vendor words (trimmed, lower-cased) -> the wire enum. Exit codes are handled apart.
_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "success": ("success", "succeeded", "succeededwithissues", "passed", "ok", "fixed", "stable"),
    "failure": ("failure", "failed", "fail", "error", "errored", "unstable", "broken",
                "infrastructure_fail", "startup_failure", "aborted", "killed"),
    "cancelled": ("cancelled", "canceled", "canceling", "stopped"),
    "timed_out": ("timed_out", "timedout", "timeout", "timed out"),
    "skipped": ("skipped", "not_built", "not_run"),
    "running": ("running", "in_progress"),
    "queued": ("queued", "waiting", "created", "scheduled"),
    "pending": ("pending",),
}  # fmt: skip
_STATUS = {word: wire for wire, words in _STATUS_WORDS.items() for word in words}

_PROVIDERS = {"github_actions": "github", "gitlab": "gitlab", "bitbucket": "bitbucket",
              "circleci": "circleci"}  # fmt: skip

# Fields ci_env.py does not read, per vendor: the first alternative that gives a value wins.
# ``filter:NAME`` runs NAME's value through _FILTERS; ``prop:key`` reads TeamCity's properties
# files. ``started`` is the run's start, ``job_started`` the job's; both ISO 8601 or Unix seconds.
_GITHUB = {
    "pipeline": ("GITHUB_WORKFLOW",),
    "actor": ("GITHUB_TRIGGERING_ACTOR", "GITHUB_ACTOR"),
    "trigger": ("GITHUB_EVENT_NAME",),
    "pr": ("pull:GITHUB_REF",),
    "attempt": ("GITHUB_RUN_ATTEMPT",),
    "runner": ("RUNNER_NAME",),
}
_EXTRA: dict[str, dict[str, tuple[str, ...]]] = {
    "github_actions": _GITHUB,
    "gitea_actions": _GITHUB,
    "gitlab": {
        "pipeline": ("CI_PIPELINE_NAME",), "actor": ("GITLAB_USER_LOGIN",),
        "trigger": ("CI_PIPELINE_SOURCE",), "pr": ("CI_MERGE_REQUEST_IID",),
        "runner": ("CI_RUNNER_DESCRIPTION",), "started": ("CI_PIPELINE_CREATED_AT",),
        "job_started": ("CI_JOB_STARTED_AT",),
    },
    "jenkins": {
        "pipeline": ("JOB_NAME",), "actor": ("BUILD_USER_ID", "CHANGE_AUTHOR"),
        "pr": ("CHANGE_ID", "ghprbPullId", "gitlabMergeRequestIid"), "runner": ("NODE_NAME",),
    },
    "circleci": {
        "actor": ("CIRCLE_USERNAME",), "pr": ("CIRCLE_PR_NUMBER", "last:CIRCLE_PULL_REQUEST"),
    },
    "buildkite": {
        "pipeline": ("BUILDKITE_PIPELINE_NAME", "BUILDKITE_PIPELINE_SLUG"),
        "actor": ("BUILDKITE_BUILD_CREATOR", "BUILDKITE_BUILD_AUTHOR"),
        "trigger": ("BUILDKITE_SOURCE",), "pr": ("BUILDKITE_PULL_REQUEST",),
        "runner": ("BUILDKITE_AGENT_NAME",),
    },
    "azure_pipelines": {
        "pipeline": ("BUILD_DEFINITIONNAME",), "actor": ("BUILD_REQUESTEDFOR",),
        "trigger": ("BUILD_REASON",), "attempt": ("SYSTEM_JOBATTEMPT",),
        "pr": ("SYSTEM_PULLREQUEST_PULLREQUESTNUMBER", "SYSTEM_PULLREQUEST_PULLREQUESTID"),
        "runner": ("AGENT_NAME",), "started": ("SYSTEM_PIPELINESTARTTIME",),
    },
    "drone": {
        "actor": ("DRONE_COMMIT_AUTHOR",), "trigger": ("DRONE_BUILD_EVENT",),
        "pr": ("DRONE_PULL_REQUEST",), "runner": ("DRONE_STAGE_MACHINE",),
        "started": ("DRONE_BUILD_STARTED",),
        "job_started": ("DRONE_STEP_STARTED", "DRONE_STAGE_STARTED"),
    },
    "woodpecker": {
        "actor": ("CI_COMMIT_AUTHOR",), "trigger": ("CI_PIPELINE_EVENT", "CI_BUILD_EVENT"),
        "pr": ("CI_COMMIT_PULL_REQUEST",), "runner": ("CI_MACHINE",),
        "started": ("CI_PIPELINE_STARTED", "CI_BUILD_STARTED"),
        "job_started": ("CI_STEP_STARTED", "CI_JOB_STARTED"),
    },
    "harness": {"trigger": ("DRONE_BUILD_EVENT",), "pr": ("DRONE_PULL_REQUEST",)},
    "teamcity": {
        "pipeline": ("TEAMCITY_BUILDCONF_NAME",), "run_id": ("prop:teamcity.build.id",),
        "branch": ("prop:teamcity.build.branch",), "runner": ("prop:agent.name",),
        "actor": ("prop:teamcity.build.triggeredBy.username", "prop:teamcity.build.triggeredBy"),
        "server": ("prop:teamcity.serverUrl",),
    },
    "bitbucket": {"pr": ("BITBUCKET_PR_ID",)},
    "travis": {"trigger": ("TRAVIS_EVENT_TYPE",), "pr": ("TRAVIS_PULL_REQUEST",)},
    "semaphore": {"pipeline": ("SEMAPHORE_PROJECT_NAME",), "pr": ("SEMAPHORE_GIT_PR_NUMBER",)},
    "appveyor": {
        "pipeline": ("APPVEYOR_PROJECT_NAME",), "actor": ("APPVEYOR_REPO_COMMIT_AUTHOR",),
        "pr": ("APPVEYOR_PULL_REQUEST_NUMBER",),
    },
    "codefresh": {
        "pipeline": ("CF_PIPELINE_NAME",), "actor": ("CF_BUILD_INITIATOR",),
        "pr": ("CF_PULL_REQUEST_NUMBER", "CF_PULL_REQUEST_ID"),
    },
    "codebuild": {
        "actor": ("CODEBUILD_INITIATOR",), "trigger": ("CODEBUILD_WEBHOOK_EVENT",),
        "pr": ("pr:CODEBUILD_SOURCE_VERSION",),
    },
    "gocd": {"pipeline": ("GO_PIPELINE_NAME",), "actor": ("GO_TRIGGER_USER",)},
    "bamboo": {"pipeline": ("bamboo_planName",), "pr": ("bamboo_repository_pr_key",)},
    "google_cloud_build": {"pr": ("_PR_NUMBER",)},
}  # fmt: skip
_FILTERS = {
    "pull": re.compile(r"^refs/pull/(\d+)/"),  # GitHub: refs/pull/42/merge
    "last": re.compile(r"/(\d+)/?$"),  # CircleCI: https://github.com/o/r/pull/42
    "pr": re.compile(r"^pr/(\d+)$"),  # CodeBuild: pr/42
}
_SLUG = re.compile(r"[^/\s]+(/[^/\s]+)+")  # the server's repository pattern
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_PROPS_MAX = 1024 * 1024


class UsageError(Exception):
    """Bad or missing input the user has to give: exit status 2."""


@dataclass(frozen=True)
class JobFacts:
    """Everything gathered about this job, cleaned and cut; the wire body is built from it."""

    vendor: str
    provider: str
    repository: str
    pipeline_name: str
    run_id: str
    run_attempt: int
    job_id: str | None
    job_name: str
    branch: str | None
    commit_sha: str | None
    pr_number: str | None
    run_url: str | None
    job_url: str | None
    run_name: str | None
    actor: str
    triggered_by: str
    runner_name: str | None
    status: str
    status_from: str  # "--status", the CI variable's vendor, or "unknown"
    started_at: datetime
    job_started_at: datetime

    def as_dict(self) -> dict[str, object]:
        return {k: _iso(v) if isinstance(v, datetime) else v for k, v in asdict(self).items()}


def clean(value: object, limit: int = NAME_MAX) -> str | None:
    """Valid UTF-8, no control characters, stripped, at most ``limit`` characters."""
    if not isinstance(value, str):
        return None
    text = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = _CONTROL.sub(" ", text).strip()[:limit].strip()
    return text or None


def clean_url(value: object) -> str | None:
    text = clean(value, URL_MAX)
    return text if text and text.lower().startswith(("http://", "https://")) else None


def wire_status(raw: str) -> str | None:
    """A status word or an exit code as the wire enum; None when it means nothing known."""
    word = raw.strip().lower()
    if re.fullmatch(r"[+-]?\d{1,6}", word):
        return "success" if int(word) == 0 else "failure"
    return _STATUS.get(word)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(raw: str | None) -> datetime | None:
    """ISO 8601 (``Z``, offset, or a space before the time) or Unix seconds; else None."""
    if not raw:
        return None
    try:
        if re.fullmatch(r"\d{9,11}", raw):
            return datetime.fromtimestamp(int(raw), UTC)
        parsed = datetime.fromisoformat(raw.removesuffix(" UTC").replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None
    return parsed.replace(tzinfo=parsed.tzinfo or UTC)


def _properties(view: ci_env.EnvView) -> dict[str, str]:
    """TeamCity's build properties file, and the configuration file it names (§1.2)."""
    out: dict[str, str] = {}
    path = view.get("TEAMCITY_BUILD_PROPERTIES_FILE")
    for _ in range(2):
        if not path:
            break
        try:
            with open(path, "rb") as handle:
                text = handle.read(_PROPS_MAX).decode("utf-8", "replace")
        except OSError:
            break
        for line in text.splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.lstrip().startswith(("#", "!")):
                value = re.sub(r"\\(.)", r"\1", value.strip())  # a\:b -> a:b
                out.setdefault(key.strip(), value)
        path = out.pop("teamcity.configuration.properties.file", None)
    return out


def _extra(vendor: str, view: ci_env.EnvView) -> dict[str, str | None]:
    table = _EXTRA.get(vendor, {})
    props = (
        _properties(view) if any(a.startswith("prop:") for v in table.values() for a in v) else {}
    )
    got: dict[str, str | None] = {}
    for field, alternatives in table.items():
        for alt in alternatives:
            kind, _, name = alt.rpartition(":")
            value = props.get(name) if kind == "prop" else view.get(name)
            if value and kind in _FILTERS:
                m = _FILTERS[kind].search(value)
                value = m[1] if m else None
            if field == "pr" and value and not value.isdigit():
                value = None  # Buildkite and Travis say "false" outside pull requests
            if value:
                got[field] = value
                break
    return got


def gather(
    env: Mapping[str, str],
    *,
    now: datetime,
    status: str | None = None,
    project: str | None = None,
    pipeline: str | None = None,
    run_id: str | None = None,
) -> JobFacts:
    """The facts of this job from ``env`` and the command's overrides; UsageError when the
    repository or run id cannot be known."""
    ctx = ci_env.detect(env) or ci_env.CIContext("other")
    extra = _extra(ctx.vendor, ci_env.EnvView(env))
    repository = clean(project) or clean(ctx.project)
    run = clean(run_id, ID_MAX) or clean(
        ctx.pipeline_id or extra.get("run_id") or ctx.build_number, ID_MAX
    )
    if not repository or not run:
        flags = [f for f, v in (("--project", repository), ("--run-id", run)) if not v]
        where = "no CI detected" if ctx.vendor == "other" else f"{ctx.vendor} does not say"
        raise UsageError(f"{where}: give {' and '.join(flags)}")
    if not _SLUG.fullmatch(repository):
        raise UsageError(f"the repository {repository[:80]!r} is not owner/repo: give --project")
    if status is not None:
        wire = wire_status(status)
        if wire is None:
            raise UsageError(
                f"--status {status[:40]!r}: use {', '.join(WIRE_STATUSES)} or an exit code"
            )
        status_from = "--status"
    else:
        wire = wire_status(ctx.status) if ctx.status else None
        status_from = ctx.vendor if wire else "unknown"
    attempt = extra.get("attempt") or "1"
    started = min(_when(extra.get("started")) or now, now)  # a skewed clock: never after now
    run_url = clean_url(ctx.pipeline_url)
    if not run_url and extra.get("server") and extra.get("run_id"):  # TeamCity
        server = extra["server"] or ""
        run_url = clean_url(f"{server.rstrip('/')}/viewLog.html?buildId={extra['run_id']}")
    pipeline_name = clean(pipeline) or clean(extra.get("pipeline")) or repository
    return JobFacts(
        vendor=clean(ctx.vendor, 32) or "other",
        provider=_PROVIDERS.get(ctx.vendor, "other"),
        repository=repository,
        pipeline_name=pipeline_name,
        run_id=run,
        run_attempt=int(attempt) if attempt.isdigit() and 0 < int(attempt) <= 10_000 else 1,
        job_id=clean(ctx.job_id, ID_MAX),
        job_name=clean(ctx.job_name) or pipeline_name,
        branch=clean(ctx.branch or extra.get("branch")),
        commit_sha=clean(ctx.commit_sha, 64),
        pr_number=clean(extra.get("pr"), 20),
        run_url=run_url,
        job_url=clean_url(ctx.job_url) or run_url,
        run_name=clean(ctx.build_number),
        actor=clean(extra.get("actor"), ID_MAX) or "unknown",
        triggered_by=clean(extra.get("trigger")) or "unknown",
        runner_name=clean(extra.get("runner")),
        status=wire or UNKNOWN_STATUS,
        status_from=status_from,
        started_at=started,
        job_started_at=min(_when(extra.get("job_started")) or started, now),
    )


def run_body(facts: JobFacts, completed_at: datetime) -> dict[str, object]:
    """The RunWatch pipeline-run body for ``POST /api/ingest/run``: the run and this one job."""
    job = {
        "job_id": facts.job_id,
        "name": facts.job_name,
        "status": facts.status,
        "started_at": _iso(facts.job_started_at),
        "completed_at": _iso(completed_at),
        "runner_name": facts.runner_name,
        "url": facts.job_url,
    }
    return {
        "provider": facts.provider,
        "ci_vendor": facts.vendor,
        "repository": facts.repository,
        "pipeline_name": facts.pipeline_name,
        "run_id": facts.run_id,
        "run_attempt": facts.run_attempt,
        "status": facts.status,
        "started_at": _iso(facts.started_at),
        "completed_at": _iso(completed_at),
        "triggered_by": facts.triggered_by,
        "actor": facts.actor,
        "branch": facts.branch,
        "commit_sha": facts.commit_sha,
        "pull_request": facts.pr_number,
        "run_url": facts.run_url,
        "run_name": facts.run_name,
        "jobs": [job],
    }


def read_check(path: str) -> int:
    """The size of a regular, readable file; UsageError otherwise."""
    p = Path(path)
    try:
        with p.open("rb") as handle:
            handle.read(1)
            if not p.is_file():
                raise UsageError(f"{path}: not a regular file")
            return p.stat().st_size
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
