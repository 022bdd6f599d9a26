"""① ② Ingest routes (Exlogare's contract): one route per registered payload shape.

The body is read with a cap (413 before buffering more than that), parsed by the shape's
wire schema (400 naming each bad field), mapped to a canonical submission, stored with its
log spooled, and answered 202 with the analysis id at once."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy import String

from ciwhy.ingest.errors import validation_details
from ciwhy.ingest.providers import ROUTES
from ciwhy.ingest.submission import Submission
from ciwhy.store.spool import pack
from ciwhy.store.tables import analyses
from ciwhy.web.errors import ApiError
from ciwhy.web.guard import authorize

ACCEPTED_DOC = {
    202: {
        "description": "Accepted: the log is queued for analysis",
        "content": {
            "application/json": {"example": {"status": "accepted", "analysis_id": "5b0e6a3c-..."}}
        },
    }
}


async def read_capped(request: Request, cap: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_large(cap)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise _too_large(cap)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(cap: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"the request body exceeds {cap} bytes")


_COLUMN = {"pipeline_id": "ci_run_id", "job_id": "ci_job_id"}
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL, and lone UTF-16 surrogates
_LIMITS = {
    c.name: c.type.length for c in analyses.columns if isinstance(c.type, String) and c.type.length
}
_META = ("provider", "project", "status", "vendor_status", "pipeline_id", "job_id", "job_name",
         "branch", "commit_sha", "pipeline_url", "job_url", "build_number")  # fmt: skip


def clean_metadata(sub: Submission) -> Submission:
    """Metadata as every database stores it: no NUL, no lone surrogate (each becomes U+FFFD);
    a value longer than its column is a 400 naming the field, never a truncation."""
    changes, too_long = {}, []
    for name in _META:
        value = getattr(sub, name)
        if value is None:
            continue
        fixed = _UNSTORABLE.sub("\ufffd", value)
        if fixed != value:
            changes[name] = fixed
        limit = _LIMITS.get(_COLUMN.get(name, name))
        if limit and len(fixed) > limit:
            too_long.append({"field": name, "message": f"longer than {limit} characters",
                             "type": "string_too_long"})  # fmt: skip
    if too_long:
        names = ", ".join(d["field"] for d in too_long)
        raise ApiError(400, "invalid_request", f"invalid fields: {names}", too_long)
    return replace(sub, **changes) if changes else sub


def _validate(schema: type[BaseModel], raw: bytes) -> BaseModel:
    """The fast JSON parser first; it refuses lone UTF-16 surrogates (`"\\ud800"`), which
    some encoders write for undecodable bytes, so such a body is read by `json` instead."""
    try:
        return schema.model_validate_json(raw)
    except ValidationError as exc:
        if not any(e["type"] == "json_invalid" and "escape" in e["msg"] for e in exc.errors()):
            raise
        try:
            obj = json.loads(raw)
        except (ValueError, RecursionError):
            raise exc from None
        return schema.model_validate(obj)


M = TypeVar("M", bound=BaseModel)


def parse_body(schema: type[M], raw: bytes) -> M:
    """The body as `schema`, or a 400 naming every bad field (the value is never echoed)."""
    if not raw.strip():
        raise ApiError(400, "invalid_json", "the body is empty; a JSON object is expected")
    try:
        return _validate(schema, raw)  # type: ignore[return-value]
    except ValidationError as exc:
        details = validation_details(exc)
        if any(d.get("type") == "json_invalid" for d in details):
            raise ApiError(400, "invalid_json", "the body is not valid JSON", details) from None
        names = ", ".join(sorted({str(d.get("field")) for d in details}))
        raise ApiError(400, "invalid_request", f"invalid fields: {names}", details) from None


#: Bodies larger than this are parsed and packed on a worker thread, not the event loop.
INLINE_BYTES = 256 << 10


def _prepare(
    schema: type[BaseModel], to_submission: Any, raw: bytes, max_log: int
) -> tuple[Submission, bytes]:
    """The body as a canonical submission and its packed log, or the ApiError it deserves."""
    model = parse_body(schema, raw)
    try:
        sub = clean_metadata(to_submission(model))
    except ValueError as exc:  # a value the schema let through but the mapping cannot use
        raise ApiError(400, "invalid_request", str(exc)) from None
    if len(sub.log.encode("utf-8", "surrogatepass")) > max_log:
        raise ApiError(413, "log_too_large", f"the log exceeds {max_log} bytes")
    return sub, pack(sub.log)


def _route(name: str, schema: type[BaseModel], to_submission: Any) -> Any:
    async def ingest(request: Request) -> JSONResponse:
        # Called here rather than as a dependency: the hottest route skips FastAPI's
        # dependency resolution (about a tenth of its per-request time).
        token = await authorize(request, "ingest")
        app = request.app
        settings = app.state.settings
        app.state.limits.check("ingest", token.tenant_id)
        raw = await read_capped(request, 2 * settings.max_log_bytes + (1 << 20))
        args = (schema, to_submission, raw, settings.max_log_bytes)
        if len(raw) > INLINE_BYTES:
            sub, packed = await run_in_threadpool(_prepare, *args)
        else:
            sub, packed = _prepare(*args)
        aid, _new = await app.state.intake.submit(token.tenant_id, sub, packed)
        return JSONResponse({"status": "accepted", "analysis_id": aid}, status_code=202)

    ingest.__name__ = f"ingest_{name}"
    return ingest


def install(app: FastAPI) -> None:
    router = APIRouter(tags=["ingest"])
    for name, route in ROUTES.items():
        schema = route.schema
        router.add_api_route(
            f"/api/ingest/{name}",
            _route(name, schema, route.to_submission),
            methods=["POST"],
            status_code=202,
            responses=ACCEPTED_DOC,
            summary=f"Submit a failed log ({name} shape)",
            openapi_extra={
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{schema.__name__}"}
                        }
                    },
                }
            },
        )
        app.state.openapi_models.append(schema)
    app.include_router(router)
