"""GitHub Actions webhooks (ci-shapes.md §2.0-2.2): ``workflow_run`` and ``workflow_job``.

verify
    ``X-Hub-Signature-256: sha256=<64 hex>`` must equal HMAC-SHA256(secret, raw body), compared
    with ``hmac.compare_digest``. Missing header, any other shape (the legacy ``sha1=`` header
    alone is refused), a wrong digest or an empty secret: False.
delivery_id
    ``X-GitHub-Delivery`` (see ``delivery_header`` for what counts as absent).
parse
    ``application/x-www-form-urlencoded`` bodies must hold exactly one ``payload`` field (the
    URL-encoded JSON); any other or missing content type is read as JSON. Then as
    ``json_object``: ``WebhookError`` for anything but a JSON object.
translate (by ``X-GitHub-Event``; a missing header is a ``WebhookError``)
    ``workflow_run``
        A ``RunUpsert`` keyed ``{repository.full_name}#{workflow_run.id}#{run_attempt}`` (a
        re-run is a new run: GitHub keeps ``id`` and increments ``run_attempt``; an absent
        ``run_attempt``, as on old GitHub Enterprise Server, is 1). ``pipeline`` is the first
        non-empty of ``workflow_run.name``, ``workflow.name``, ``workflow_run.path``,
        ``workflow.path``, else ``"(unknown workflow)"``. ``status`` is the normalised
        conclusion once ``status == "completed"`` (the status itself before, or when the
        conclusion is null), ``vendor_status`` the raw word; ``completed_at`` is ``updated_at``
        only when completed. ``extra``: ``pull_requests`` (their numbers; empty for fork PRs)
        and ``workflow_path``.
    ``workflow_job``
        A ``RunUpsert`` for the same run key (``run_id``, ``run_attempt``) with ``status=None``
        (a job does not know its run's outcome), ``pipeline`` = ``workflow_name`` or
        ``"(unknown workflow)"`` (a placeholder that is not None, so a store that overwrites
        non-None values would replace a known name with it: ``workflow_name`` is null only on
        old servers), the branch and sha, and one ``JobUpsert`` (key = job id). The job's
        ``failure_reason`` is ``"step: <name>"`` of the first step whose conclusion is
        ``failure``; ``queue_ms`` = ``started_at - created_at``. Null runner fields and empty
        ``steps`` (a job cancelled before it started) are fine.
    anything else (``ping``, ``push``, ...)
        None: acknowledged, not stored.

Required, else ``WebhookError`` naming the field: the event's object (``workflow_run`` /
``workflow_job``), ``repository.full_name``, integer ids (``workflow_run.id``;
``workflow_job.id`` and ``.run_id``). Unknown statuses and conclusions (``startup_failure``,
anything GitHub adds later) are kept verbatim by ``normalise_status``, never an error.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from ciwhy.ingest.normalise import normalise_status
from ciwhy.ingest.runs import JobUpsert, RunUpsert
from ciwhy.ingest.timestamps import duration_ms
from ciwhy.ingest.webhooks import (
    Headers,
    Provider,
    WebhookError,
    delivery_header,
    header,
    json_object,
    register,
)
from ciwhy.ingest.webhooks._fields import Fields, as_fields, first

NAME = "github"
EVENT_HEADER = "X-GitHub-Event"
SIGNATURE_HEADER = "X-Hub-Signature-256"
DELIVERY_HEADER = "X-GitHub-Delivery"
FORM_TYPE = "application/x-www-form-urlencoded"
UNKNOWN_WORKFLOW = "(unknown workflow)"
#: GitHub's form bodies have one field; a body with many more is not GitHub's.
MAX_FORM_FIELDS = 10

_SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})")


def verify(secret: str, headers: Headers, raw: bytes) -> bool:
    """True only when ``X-Hub-Signature-256`` is the HMAC-SHA256 of ``raw`` under ``secret``."""
    if not secret:
        return False
    sent = header(headers, SIGNATURE_HEADER)
    match = _SIGNATURE.fullmatch(sent.strip()) if sent is not None else None
    if match is None:
        return False
    try:
        key = secret.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in the configured secret
        return False
    expected = hmac.new(key, raw, hashlib.sha256).hexdigest().encode("ascii")
    return hmac.compare_digest(expected, match.group(1).lower().encode("ascii"))


def delivery_id(headers: Headers, raw: bytes) -> str | None:
    """``X-GitHub-Delivery`` (a GUID, the same on GitHub's redeliveries), or None."""
    return delivery_header(headers, DELIVERY_HEADER)


def parse(headers: Headers, raw: bytes) -> dict[str, Any]:
    """The delivered JSON object, from a JSON body or a form body's ``payload`` field."""
    content_type = header(headers, "Content-Type") or ""
    if content_type.split(";", 1)[0].strip().lower() == FORM_TYPE:
        return json_object(_form_payload(raw), "the form's payload field")
    return json_object(raw)


def _form_payload(raw: bytes) -> str:
    try:
        text = raw.decode("ascii")  # URL-encoded: anything else is not a form body
        fields = urllib.parse.parse_qs(
            text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS, errors="strict"
        )
    except ValueError:  # UnicodeDecodeError too; more than MAX_FORM_FIELDS fields
        raise WebhookError("the form body is not URL-encoded UTF-8 with a payload field") from None
    values = fields.get("payload", [])
    if len(values) != 1:
        raise WebhookError("the form body must have exactly one payload field")
    return values[0]


def translate(headers: Headers, payload: dict[str, Any]) -> RunUpsert | None:
    """The run this delivery reports, or None for an event that is not stored."""
    top = as_fields(payload)
    event = header(headers, EVENT_HEADER)
    if event is None:
        raise WebhookError(f"the {EVENT_HEADER} header is missing")
    handler = _EVENTS.get(event.strip())
    return None if handler is None else handler(top)


def _status(status: str | None, conclusion: str | None) -> tuple[str | None, str | None]:
    """(normalised, raw): the conclusion once completed, else the status."""
    raw = conclusion if status == "completed" and conclusion else status
    return (normalise_status(raw), raw) if raw else (None, None)


def _run_key(project: str, run_id: int, attempt: int) -> str:
    return f"{project}#{run_id}#{attempt}"


def _attempt(obj: Fields) -> int:
    attempt = obj.integer("run_attempt")
    return 1 if attempt is None else attempt


def _workflow_run(top: Fields) -> RunUpsert:
    run = top.req_obj("workflow_run")
    project = top.req_obj("repository").req_text("full_name")
    run_id = run.req_int("id")
    attempt = _attempt(run)
    workflow = top.sub("workflow")
    raw_status = run.text("status")
    status, vendor_status = _status(raw_status, run.text("conclusion"))
    started = run.time("run_started_at")
    updated = run.time("updated_at")
    completed = updated if raw_status == "completed" else None
    run_number = run.integer("run_number")
    prs = [pr.integer("number") for pr in run.objs("pull_requests")]
    extra: dict[str, Any] = {"pull_requests": [number for number in prs if number is not None]}
    path = first(run.text("path"), workflow.text("path"))
    if path:
        extra["workflow_path"] = path
    return RunUpsert(
        source=NAME,
        key=_run_key(project, run_id, attempt),
        provider=NAME,
        project=project,
        pipeline=first(run.text("name"), workflow.text("name"), path) or UNKNOWN_WORKFLOW,
        status=status,
        vendor_status=vendor_status,
        run_number=None if run_number is None else str(run_number),
        attempt=attempt,
        branch=run.text("head_branch"),
        commit_sha=run.text("head_sha"),
        trigger=run.text("event"),
        actor=first(run.sub("triggering_actor").text("login"), run.sub("actor").text("login")),
        url=run.text("html_url"),
        external_id=str(run_id),
        started_at=started,
        completed_at=completed,
        duration_ms=duration_ms(started, completed),
        extra=extra,
    )


def _failing_step(job: Fields) -> str | None:
    for step in job.objs("steps"):
        if step.text("conclusion") == "failure":
            name = step.text("name")
            if not name:
                number = step.integer("number")
                name = "(unnamed)" if number is None else f"#{number}"
            return f"step: {name}"
    return None


def _workflow_job(top: Fields) -> RunUpsert:
    job = top.req_obj("workflow_job")
    project = top.req_obj("repository").req_text("full_name")
    run_id = job.req_int("run_id")
    job_id = job.req_int("id")
    attempt = _attempt(job)
    status, vendor_status = _status(job.text("status"), job.text("conclusion"))
    created = job.time("created_at")
    started = job.time("started_at")
    completed = job.time("completed_at")
    upsert = JobUpsert(
        kind="job",
        name=job.text("name") or f"job {job_id}",
        key=str(job_id),
        status=status or "unknown",
        vendor_status=vendor_status,
        started_at=started,
        completed_at=completed,
        duration_ms=duration_ms(started, completed),
        queue_ms=duration_ms(created, started),
        runner=job.text("runner_name"),
        labels=job.texts("labels"),
        failure_reason=_failing_step(job),
        url=job.text("html_url"),
        attempt=attempt,
    )
    return RunUpsert(
        source=NAME,
        key=_run_key(project, run_id, attempt),
        provider=NAME,
        project=project,
        pipeline=job.text("workflow_name") or UNKNOWN_WORKFLOW,
        status=None,
        attempt=attempt,
        branch=job.text("head_branch"),
        commit_sha=job.text("head_sha"),
        external_id=str(run_id),
        jobs=(upsert,),
    )


_EVENTS: dict[str, Callable[[Fields], RunUpsert]] = {
    "workflow_run": _workflow_run,
    "workflow_job": _workflow_job,
}

PROVIDER = register(Provider(NAME, verify, delivery_id, parse, translate))
