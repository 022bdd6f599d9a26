"""① ② Webhook receivers: ``POST /webhooks/{provider}/{receiver_id}`` (and the bare
``/webhooks/{provider}`` for the default tenant). No token: the delivery is verified against
the receiver's secret over the raw body (GitHub ``X-Hub-Signature-256``, GitLab
``X-Gitlab-Token``) before anything reads it.

An unknown provider or receiver id, and a delivery that fails verification, all get the same
404: probing ids or secrets learns nothing. A delivery id already taken (senders retry) is
answered 200 without storing it again; a verified body that cannot be read is a 400."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool

from ciwhy.ingest.webhooks import PROVIDERS, WebhookError
from ciwhy.store import receivers, runs
from ciwhy.web.errors import ApiError
from ciwhy.web.ingest import read_capped

CAP = 25 << 20  # GitHub caps its payloads at 25 MB


def _unknown() -> ApiError:
    return ApiError(404, "not_found", "no such webhook receiver")


async def deliver(request: Request, provider: str, receiver_id: str | None = None) -> Any:
    hook = PROVIDERS.get(provider)
    if hook is None:
        raise _unknown()
    engine = request.app.state.store.engine
    rec = await run_in_threadpool(receivers.lookup, engine, provider, receiver_id)
    raw = await read_capped(request, CAP)
    if rec is None or not hook.verify(rec.secret, request.headers, raw):
        raise _unknown()
    request.app.state.limits.check("ingest", rec.tenant_id)
    delivery = hook.delivery_id(request.headers, raw)
    if delivery and await run_in_threadpool(receivers.seen, engine, rec.id, delivery):
        return {"status": "duplicate", "delivery": delivery}
    try:
        payload = await run_in_threadpool(hook.parse, request.headers, raw)
        run = hook.translate(request.headers, payload)
    except WebhookError as exc:
        raise ApiError(400, "invalid_payload", str(exc)) from None
    run_id = None
    if run is not None:
        try:
            run_id, _ = await run_in_threadpool(runs.upsert_run, engine, rec.tenant_id, run)
        except runs.QuotaExceeded as exc:
            raise ApiError(402, "quota_exceeded", str(exc)) from None
    if delivery:
        await run_in_threadpool(receivers.remember, engine, rec.id, delivery)
    return {"status": "accepted" if run is not None else "ignored", "run_id": run_id}


async def deliver_default(request: Request, provider: str) -> Any:
    return await deliver(request, provider, None)


def install(app: FastAPI) -> None:
    r = APIRouter(tags=["webhooks"])
    r.add_api_route(
        "/webhooks/{provider}/{receiver_id}",
        deliver,
        methods=["POST"],
        summary="A CI's webhook delivery, for the tenant owning this receiver",
    )
    r.add_api_route("/webhooks/{provider}", deliver_default, methods=["POST"],
                    summary="A CI's webhook delivery, for the default tenant")  # fmt: skip
    app.include_router(r)
