"""GitLab CI webhooks (ci-shapes.md §2.0, 2.3, 2.4): Pipeline Hook and Job Hook.

verify
    ``X-Gitlab-Token`` must equal the secret (``hmac.compare_digest`` on bytes: the secret's
    UTF-8 against the header's UTF-8 and, when a server decoded the raw header as Latin-1 as
    Starlette does, its Latin-1 bytes). Missing header, wrong token or empty secret: False.
    The optional Standard-Webhooks signing headers are not checked.
delivery_id
    ``Idempotency-Key`` (stable across GitLab's retries), else ``X-Gitlab-Event-UUID``, else None.
parse
    The body as ``json_object``: ``WebhookError`` for anything but a JSON object.
translate (by the body's ``object_kind``; missing or not a string: ``WebhookError``)
    ``pipeline``
        A ``RunUpsert`` keyed ``{project.path_with_namespace}#{object_attributes.id}`` with every
        ``builds[]`` entry as a ``JobUpsert`` (key = build id, url
        ``{project.web_url}/-/jobs/{id}``, runner description, runner tags as labels, raw
        ``failure_reason``). ``pipeline`` = ``object_attributes.name`` (GitLab 16.1+), else
        ``"pipeline for <ref>"``. ``started_at`` is ``object_attributes.started_at`` when sent,
        else ``created_at``; ``completed_at`` is ``finished_at``; ``duration_ms`` and
        ``queue_ms`` come from ``duration`` / ``queued_duration`` (seconds), the duration from
        the timestamps when absent. ``instance`` is the ``X-Gitlab-Instance`` header.
        ``extra``: ``merge_request_iid`` (MR pipelines) and ``upstream`` (the parent pipeline's
        key, for downstream/child pipelines).
    ``build`` (Job Hook)
        A ``RunUpsert`` for ``{project.path_with_namespace}#{pipeline_id}`` with ``status=None``
        (a job does not know its pipeline's outcome), ``pipeline`` = ``commit.name`` or
        ``"(unknown pipeline)"``, ``commit_sha`` from the top-level ``sha`` (``commit.id`` is the
        pipeline id, not a sha), and one ``JobUpsert``: ``*_iso`` timestamps preferred,
        ``failure_reason`` = ``build_failure_reason``, ``attempt`` = ``retries_count + 1``.
    anything else (``push``, ``merge_request``, ...)
        None: acknowledged, not stored.

Statuses (§3.4): a job's status is ``normalise_status`` of GitLab's word, except that a failed
job whose failure reason is one of ``TIMEOUT_REASONS`` is ``"timeout"``. A pipeline's status is
GitLab's own word normalised (``allow_failure`` jobs that failed keep ``failed`` on the job but
never change the pipeline's status, which GitLab already computed without them); a failed
pipeline becomes ``"timeout"`` only when every failed job that does not allow failure timed out.
Unknown statuses and failure reasons are kept verbatim, never an error.

Required, else ``WebhookError`` naming the field: ``project.path_with_namespace``, the integer
ids (``object_attributes.id``, ``builds[].id``; ``pipeline_id``, ``build_id``).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from ciwhy.ingest.normalise import normalise_status
from ciwhy.ingest.runs import JobUpsert, RunUpsert
from ciwhy.ingest.timestamps import duration_ms
from ciwhy.ingest.webhooks import (
    Headers,
    Provider,
    delivery_header,
    header,
    json_object,
    register,
)
from ciwhy.ingest.webhooks._fields import Fields, as_fields

NAME = "gitlab"
TOKEN_HEADER = "X-Gitlab-Token"
INSTANCE_HEADER = "X-Gitlab-Instance"
DELIVERY_HEADERS = ("Idempotency-Key", "X-Gitlab-Event-UUID")
UNKNOWN_PIPELINE = "(unknown pipeline)"
TIMEOUT_REASONS = frozenset(
    {"stuck_or_timeout_failure", "job_execution_timeout", "job_execution_server_timeout"}
)


def verify(secret: str, headers: Headers, raw: bytes) -> bool:
    """True only when ``X-Gitlab-Token`` is ``secret``; ``raw`` is not covered by the token."""
    token = header(headers, TOKEN_HEADER)
    if not secret or token is None:
        return False
    try:
        expected = secret.encode("utf-8")
    except UnicodeEncodeError:
        return False
    matched = False
    for encoding in ("utf-8", "latin-1"):
        try:
            sent = token.encode(encoding)
        except UnicodeEncodeError:
            continue
        matched |= hmac.compare_digest(sent, expected)
    return matched


def delivery_id(headers: Headers, raw: bytes) -> str | None:
    """``Idempotency-Key``, else ``X-Gitlab-Event-UUID``, else None."""
    return delivery_header(headers, *DELIVERY_HEADERS)


def parse(headers: Headers, raw: bytes) -> dict[str, Any]:
    """The delivered JSON object."""
    return json_object(raw)


def translate(headers: Headers, payload: dict[str, Any]) -> RunUpsert | None:
    """The run this delivery reports, or None for an event that is not stored."""
    top = as_fields(payload)
    kind = top.text("object_kind")
    if kind is None:
        raise top.missing("object_kind", "a string")
    handler = _EVENTS.get(kind)
    return None if handler is None else handler(top, headers)


def job_status(raw: str | None, reason: str | None) -> tuple[str, str | None]:
    """(normalised, raw) for a job: ``failed`` + a timeout reason is ``timeout``."""
    if not raw:
        return "unknown", None
    status = normalise_status(raw)
    if status == "failed" and reason in TIMEOUT_REASONS:
        status = "timeout"
    return status, raw


def _instance(headers: Headers) -> str | None:
    return (header(headers, INSTANCE_HEADER) or "").strip() or None


def _job_url(project: Fields, job_id: int) -> str | None:
    web_url = project.text("web_url")
    return f"{web_url.rstrip('/')}/-/jobs/{job_id}" if web_url else None


def _runner(obj: Fields) -> tuple[str | None, tuple[str, ...]]:
    runner = obj.sub("runner")
    return runner.text("description"), runner.texts("tags")


def _job(
    obj: Fields, project: Fields, build_id: int, prefix: str = "", attempt: int | None = None
) -> JobUpsert:
    """A job from the fields GitLab names the same way in both hooks: bare in a pipeline
    hook's ``builds[]``, with a ``build_`` prefix in a job hook (whose times also come as
    ``..._iso``)."""
    reason = obj.text(prefix + "failure_reason")
    status, vendor_status = job_status(obj.text(prefix + "status"), reason)
    started = obj.time(prefix + "started_at_iso") or obj.time(prefix + "started_at")
    finished = obj.time(prefix + "finished_at_iso") or obj.time(prefix + "finished_at")
    seconds = obj.seconds_ms(prefix + "duration")
    runner, tags = _runner(obj)
    return JobUpsert(
        kind="job",
        name=obj.text(prefix + "name") or f"job {build_id}",
        key=str(build_id),
        status=status,
        vendor_status=vendor_status,
        stage=obj.text(prefix + "stage"),
        started_at=started,
        completed_at=finished,
        duration_ms=duration_ms(started, finished) if seconds is None else seconds,
        queue_ms=obj.seconds_ms(prefix + "queued_duration"),
        runner=runner,
        labels=tags,
        failure_reason=reason,
        url=_job_url(project, build_id),
        attempt=attempt,
    )


def _build(build: Fields, project: Fields) -> tuple[JobUpsert, bool]:
    """One ``builds[]`` entry, and whether it counts towards a pipeline failure."""
    job = _job(build, project, build.req_int("id"))
    counts = job.vendor_status == "failed" and not build.flag("allow_failure")
    return job, counts


def _pipeline_status(raw: str | None, counted: list[JobUpsert]) -> str | None:
    if not raw:
        return None
    status = normalise_status(raw)
    if status == "failed" and counted and all(job.status == "timeout" for job in counted):
        return "timeout"
    return status


def _pipeline(top: Fields, headers: Headers) -> RunUpsert:
    attrs = top.req_obj("object_attributes")
    project = top.req_obj("project")
    slug = project.req_text("path_with_namespace")
    pipeline_id = attrs.req_int("id")
    built = [_build(build, project) for build in top.objs("builds")]
    raw_status = attrs.text("status")
    ref = attrs.text("ref")
    started = attrs.time("started_at") or attrs.time("created_at")
    finished = attrs.time("finished_at")
    seconds = attrs.seconds_ms("duration")
    iid = attrs.integer("iid")
    extra: dict[str, Any] = {}
    mr_iid = top.sub("merge_request").integer("iid")
    if mr_iid is not None:
        extra["merge_request_iid"] = mr_iid
    upstream = top.obj("source_pipeline")
    if upstream is not None:
        upstream_project = upstream.sub("project").text("path_with_namespace")
        upstream_id = upstream.integer("pipeline_id")
        if upstream_project and upstream_id is not None:
            extra["upstream"] = f"{upstream_project}#{upstream_id}"
    return RunUpsert(
        source=NAME,
        key=f"{slug}#{pipeline_id}",
        provider=NAME,
        project=slug,
        pipeline=attrs.text("name") or (f"pipeline for {ref}" if ref else UNKNOWN_PIPELINE),
        status=_pipeline_status(raw_status, [job for job, counts in built if counts]),
        vendor_status=raw_status or None,
        run_number=None if iid is None else str(iid),
        branch=ref,
        commit_sha=attrs.text("sha"),
        trigger=attrs.text("source"),
        actor=top.sub("user").text("username"),
        url=attrs.text("url"),
        instance=_instance(headers),
        external_id=str(pipeline_id),
        started_at=started,
        completed_at=finished,
        duration_ms=duration_ms(started, finished) if seconds is None else seconds,
        queue_ms=attrs.seconds_ms("queued_duration"),
        jobs=tuple(job for job, _ in built),
        extra=extra,
    )


def _job_hook(top: Fields, headers: Headers) -> RunUpsert:
    project = top.req_obj("project")
    slug = project.req_text("path_with_namespace")
    pipeline_id = top.req_int("pipeline_id")
    build_id = top.req_int("build_id")
    retries = top.integer("retries_count")
    attempt = None if retries is None or retries < 0 else retries + 1
    job = _job(top, project, build_id, prefix="build_", attempt=attempt)
    return RunUpsert(
        source=NAME,
        key=f"{slug}#{pipeline_id}",
        provider=NAME,
        project=slug,
        pipeline=top.sub("commit").text("name") or UNKNOWN_PIPELINE,
        status=None,
        branch=top.text("ref"),
        commit_sha=top.text("sha"),
        instance=_instance(headers),
        external_id=str(pipeline_id),
        jobs=(job,),
    )


_EVENTS: dict[str, Callable[[Fields, Headers], RunUpsert]] = {
    "pipeline": _pipeline,
    "build": _job_hook,
}

PROVIDER = register(Provider(NAME, verify, delivery_id, parse, translate))
