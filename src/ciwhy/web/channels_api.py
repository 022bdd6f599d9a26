"""⑥ ⑦ The channels API (``/api/v1/channels``, ``admin`` scope): list, create, change and
delete the tenant's notification channels, send a test message, read the delivery log.

Bad input is a 400 whose `details.field` names the field (unknown fields too); another
tenant's channel is a 404. Secrets come back masked ("********"); sending the mask back in
a PATCH keeps the stored secret.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from ciwhy.notify import manage
from ciwhy.notify.channels import ConfigError
from ciwhy.store import outbox, tokens
from ciwhy.web.errors import ApiError
from ciwhy.web.guard import require

Admin = Annotated[tokens.Token, Depends(require("admin"))]
Severity = Literal["low", "medium", "high"]


class NewChannel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(min_length=1, max_length=20)
    config: dict[str, Any]
    min_severity: Severity = "low"
    projects: list[str] | None = None
    new_causes_only: bool = False
    enabled: bool = True


class ChannelChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, min_length=1, max_length=200)
    config: dict[str, Any] | None = None
    min_severity: Severity | None = None
    projects: list[str] | None = None
    new_causes_only: bool | None = None
    enabled: bool | None = None


def _invalid(exc: ConfigError) -> ApiError:
    return ApiError(400, "invalid_channel", str(exc), {"field": exc.field})


async def _call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return await run_in_threadpool(fn, *args, **kwargs)
    except ConfigError as exc:
        raise _invalid(exc) from None


def _not_found() -> ApiError:
    return ApiError(404, "not_found", "no such channel")


def install(app: FastAPI) -> None:
    r = APIRouter(prefix="/api/v1/channels", tags=["notifications"])

    @r.get("", summary="The tenant's notification channels (secrets masked)")
    async def list_channels(request: Request, token: Admin) -> dict[str, Any]:
        items = await _call(manage.list_channels, _engine(request), token.tenant_id)
        return {"items": items}

    @r.get("/kinds", summary="Channel kinds and their config fields (for forms)")
    async def kinds(token: Admin) -> dict[str, Any]:
        return {"items": manage.kinds()}

    @r.post("", status_code=201, summary="Create a channel (validated)")
    async def create(request: Request, token: Admin, body: NewChannel) -> dict[str, Any]:
        engine = _engine(request)
        cid = await _call(
            manage.create_channel,
            engine,
            token.tenant_id,
            body.name,
            body.kind,
            body.config,
            body.min_severity,
            body.projects,
            body.new_causes_only,
            body.enabled,
        )
        found: dict[str, Any] = await _call(manage.get_channel, engine, token.tenant_id, cid)
        return found

    @r.patch("/{channel_id}", summary="Change a channel (only the fields given)")
    async def change(
        request: Request, token: Admin, channel_id: str, body: ChannelChange
    ) -> dict[str, Any]:
        given = body.model_dump(exclude_unset=True)
        for key in ("name", "config", "min_severity", "new_causes_only", "enabled"):
            if key in given and given[key] is None:
                raise ApiError(400, "invalid_channel", f"{key}: may not be null", {"field": key})
        found = await _call(
            manage.update_channel, _engine(request), token.tenant_id, channel_id, **given
        )
        if found is None:
            raise _not_found()
        return dict(found)

    @r.delete("/{channel_id}", status_code=204, summary="Delete a channel and its log")
    async def remove(request: Request, token: Admin, channel_id: str) -> Response:
        if not await _call(manage.delete_channel, _engine(request), token.tenant_id, channel_id):
            raise _not_found()
        return Response(status_code=204)

    @r.post("/{channel_id}/test", status_code=202, summary="Queue a test message")
    async def test(request: Request, token: Admin, channel_id: str) -> dict[str, Any]:
        oid = await _call(outbox.enqueue_test, _engine(request), token.tenant_id, channel_id)
        if oid is None:
            raise _not_found()
        workers = request.app.state.workers
        if workers is not None:
            workers.nudge()
        return {"status": "queued", "outbox_id": oid}

    @r.get("/{channel_id}/deliveries", summary="The channel's delivery attempts, newest first")
    async def channel_deliveries(
        request: Request,
        token: Admin,
        channel_id: str,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> dict[str, Any]:
        items = await _call(manage.deliveries, _engine(request), token.tenant_id, channel_id, limit)
        if items is None:
            raise _not_found()
        return {"items": items, "limit": limit}

    app.include_router(r)


def _engine(request: Request) -> Any:
    return request.app.state.store.engine
