"""Settings section: notification channels. The list with each channel's rule and delivery
log, a create form generated from the chosen kind's declared fields (`ciwhy.notify.channels
.KINDS`), enable/disable, delete, and "send test" (queued in the outbox, sent by the
workers). Secrets come back masked from `ciwhy.notify.manage` and are never put in the page."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.datastructures import FormData

from ciwhy.notify import manage, rules
from ciwhy.notify.channels import KINDS, ConfigError
from ciwhy.store import outbox
from ciwhy.web.dashboard.common import call
from ciwhy.web.dashboard.settings import Outcome, Section, field_text, register
from ciwhy.web.session import User

LOG = 20


async def _channels(request: Request, user: User) -> dict[str, Any]:
    found = await call(request, manage.list_channels, user.tenant_id)
    for ch in found:
        ch["log"] = await call(request, manage.deliveries, user.tenant_id, ch["id"], LOG) or []
        ch["label"] = KINDS[ch["kind"]].label if ch["kind"] in KINDS else ch["kind"]
    chosen = request.query_params.get("kind", "")
    kind = KINDS.get(chosen) or next(iter(KINDS.values()))
    return {"channels": found, "kinds": KINDS.values(), "kind": kind.describe(),
            "severities": rules.SEVERITIES}  # fmt: skip


def _projects(text: str) -> list[str] | None:
    names = [p.strip() for p in text.replace("\n", ",").split(",") if p.strip()]
    return names or None


async def create_channel(request: Request, user: User, form: FormData) -> Outcome:
    kind = KINDS.get(field_text(form, "kind", 40))
    if kind is None:
        return Outcome(error="Choose a kind of channel.")
    config = {f.name: field_text(form, f"config.{f.name}", 2000) for f in kind.fields}
    try:
        await call(request, manage.create_channel, user.tenant_id, field_text(form, "name", 200),
                   kind.name, {k: v for k, v in config.items() if v},
                   min_severity=field_text(form, "min_severity", 10),
                   projects=_projects(field_text(form, "projects", 20_000)),
                   new_causes_only=form.get("new_causes_only") == "on")  # fmt: skip
    except ConfigError as exc:
        label = next((f.label for f in kind.fields if f.name == exc.field), exc.field)
        return Outcome(error=f"{label[:1].upper()}{label[1:]}: {exc.message}.")
    return Outcome(message=f"Channel “{field_text(form, 'name', 200)}” created.")


async def _owned(request: Request, user: User, form: FormData) -> dict[str, Any] | None:
    found: dict[str, Any] | None = await call(
        request, manage.get_channel, user.tenant_id, field_text(form, "channel_id", 64)
    )
    return found


async def toggle_channel(request: Request, user: User, form: FormData) -> Outcome:
    ch = await _owned(request, user, form)
    if ch is None:
        return Outcome(error="No such channel.")
    await call(request, manage.set_enabled, user.tenant_id, ch["id"], not ch["enabled"])
    state = "paused" if ch["enabled"] else "enabled"
    return Outcome(message=f"Channel “{ch['name']}” {state}.")


async def delete_channel(request: Request, user: User, form: FormData) -> Outcome:
    ch = await _owned(request, user, form)
    if ch is None or not await call(request, manage.delete_channel, user.tenant_id, ch["id"]):
        return Outcome(error="No such channel.")
    return Outcome(message=f"Channel “{ch['name']}” deleted.")


async def change_rule(request: Request, user: User, form: FormData) -> Outcome:
    """A channel's rule: minimum severity, projects, new causes only (alert fatigue is the
    complaint users voice most, so this is the edit that matters)."""
    ch = await _owned(request, user, form)
    if ch is None:
        return Outcome(error="No such channel.")
    try:
        await call(request, manage.update_channel, user.tenant_id, ch["id"],
                   min_severity=field_text(form, "min_severity", 10),
                   projects=_projects(field_text(form, "projects", 20_000)),
                   new_causes_only=form.get("new_causes_only") == "on")  # fmt: skip
    except ConfigError as exc:
        return Outcome(error=f"{exc.field}: {exc.message}.")
    return Outcome(message=f"The rule of “{ch['name']}” is saved.")


async def test_channel(request: Request, user: User, form: FormData) -> Outcome:
    ch = await _owned(request, user, form)
    if ch is None or await call(request, outbox.enqueue_test, user.tenant_id, ch["id"]) is None:
        return Outcome(error="No such channel.")
    return Outcome(message=f"A test message to “{ch['name']}” is on its way; its delivery "
                   "shows in the log below within seconds.")  # fmt: skip


register(Section("channels", "Notifications", "dashboard/settings_channels.html", _channels,
                 {"create": create_channel, "toggle": toggle_channel, "delete": delete_channel,
                  "test": test_channel, "rule": change_rule}))  # fmt: skip
