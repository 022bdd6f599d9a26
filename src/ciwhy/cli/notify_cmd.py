"""Notification commands for admins working without the dashboard: `ciwhy channels
add|list|remove|test` and `ciwhy digest`. They act on the database directly (like `ciwhy
tokens`); `test` and `digest` also deliver at once from this process, then print each
attempt. Bad input (an unknown kind, a missing or malformed config field, an unreadable
--since) exits 2 with the field named; an unknown channel or tenant exits 1.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Annotated, Any

import typer

from ciwhy.cli.service import _settings, _store

channels_app = typer.Typer(help="Notification channels: Slack, Teams, email, webhooks ...")
_SPAN = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"ciwhy: {message}", err=True)
    return typer.Exit(code)


def parse_span(text: str) -> timedelta:
    """ "24h", "90m", "7d" → a timedelta; ValueError otherwise (at most 366 days)."""
    m = _SPAN.match(text)
    if not m:
        raise ValueError(f"--since {text!r}: expected a number and m, h or d (24h, 7d)")
    span = timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})
    if not timedelta(0) < span <= timedelta(days=366):
        raise ValueError("--since must be between 1 minute and 366 days")
    return span


def _config(raw: str | None, pairs: list[str] | None) -> dict[str, Any]:
    config: dict[str, Any] = {}
    if raw:
        try:
            config = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _fail(f"--config is not JSON: {exc.msg}") from None
        if not isinstance(config, dict):
            raise _fail("--config must be a JSON object")
    for pair in pairs or []:
        key, eq, value = pair.partition("=")
        if not eq:
            raise _fail(f"--set {pair!r}: expected field=value")
        config[key.strip()] = int(value) if key.strip() == "port" and value.isdigit() else value
    return config


def _tenant_id(engine: Any, tenant: str) -> str:
    from sqlalchemy import select

    from ciwhy.store.tables import tenants

    with engine.connect() as conn:
        found = conn.execute(select(tenants.c.id).where(tenants.c.name == tenant)).scalar()
    if found is None:
        raise _fail(f"no tenant {tenant!r}", 1)
    return str(found)


def _owner(engine: Any, tenant: str | None, channel_id: str) -> str:
    """The tenant named, else the channel's own tenant (exit 1 when there is none)."""
    if tenant is not None:
        return _tenant_id(engine, tenant)
    from sqlalchemy import select

    from ciwhy.store.tables_people import channels

    with engine.connect() as conn:
        q = select(channels.c.tenant_id).where(channels.c.id == channel_id)
        found = conn.execute(q).scalar()
    if found is None:
        raise _fail(f"no channel {channel_id}", 1)
    return str(found)


@channels_app.command("add")
def channels_add(
    name: Annotated[str, typer.Option(help="What to call the channel.")],
    kind: Annotated[
        str, typer.Option(help="slack, telegram, matrix, discord, teams, webhook, email.")
    ],
    tenant: Annotated[str, typer.Option(help="Tenant name (created if new).")] = "default",
    config: Annotated[str | None, typer.Option(help="The config as a JSON object.")] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="field=value; may repeat.")
    ] = None,
    min_severity: Annotated[str, typer.Option(help="low, medium or high.")] = "low",
    project: Annotated[
        list[str] | None, typer.Option(help="Only this project; may repeat.")
    ] = None,
    new_causes_only: Annotated[bool, typer.Option(help="Only causes new in 7 days.")] = False,
) -> None:
    """Add a channel; prints its id. `ciwhy channels kinds` lists each kind's fields."""
    from ciwhy.notify import manage
    from ciwhy.notify.channels import ConfigError
    from ciwhy.store import tokens

    engine = _store(_settings()).engine
    try:
        cid = manage.create_channel(
            engine,
            tokens.ensure_tenant(engine, tenant.strip()),
            name,
            kind,
            _config(config, set_),
            min_severity,
            project or None,
            new_causes_only,
        )
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    typer.echo(cid)


@channels_app.command("kinds")
def channels_kinds() -> None:
    """Every kind of channel and its config fields, as JSON."""
    from ciwhy.notify import manage

    typer.echo(json.dumps(manage.kinds(), indent=2))


@channels_app.command("list")
def channels_list(
    tenant: Annotated[str, typer.Option(help="Tenant name.")] = "default",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List a tenant's channels (secrets masked)."""
    from ciwhy.notify import manage

    engine = _store(_settings()).engine
    items = manage.list_channels(engine, _tenant_id(engine, tenant))
    if as_json:
        typer.echo(json.dumps(items))
        return
    for c in items:
        state = "enabled" if c["enabled"] else "disabled"
        scope = ",".join(c["projects"]) if c["projects"] else "all projects"
        new = " new causes only" if c["new_causes_only"] else ""
        typer.echo(
            f"{c['id']}  {c['kind']:<9} {c['name']:<24} >= {c['min_severity']:<6} "
            f"{scope}{new}  {state}"
        )


@channels_app.command("remove")
def channels_remove(
    channel_id: Annotated[str, typer.Argument(help="The channel's id.")],
    tenant: Annotated[
        str | None, typer.Option(help="Tenant name (default: the channel's).")
    ] = None,
) -> None:
    """Delete a channel, its pending messages and its delivery log."""
    from ciwhy.notify import manage

    engine = _store(_settings()).engine
    if not manage.delete_channel(engine, _owner(engine, tenant, channel_id), channel_id):
        raise _fail(f"no channel {channel_id}", 1)
    typer.echo(f"removed {channel_id}")


def _deliver_and_report(engine: Any, ids: list[int], wait: float = 30.0) -> bool:
    """Attempt `ids` now; print each attempt; True when all were delivered. A running worker
    may claim a message first: its attempt is then waited for (up to `wait` seconds)."""
    import time

    from sqlalchemy import select

    from ciwhy.notify.sender import Sender
    from ciwhy.store.tables_people import deliveries

    Sender(engine, _settings()).deliver(list(ids))
    deadline = time.monotonic() + wait
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(deliveries).where(deliveries.c.outbox_id.in_(ids))
                .order_by(deliveries.c.id)
            ).all()  # fmt: skip
        if len({r.outbox_id for r in rows}) == len(ids) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    ok = True
    for r in rows:
        ok = ok and r.ok
        result = "delivered" if r.ok else f"failed: {r.error}"
        typer.echo(f"message {r.outbox_id} to channel {r.channel_id}: {result}")
    return ok and len({r.outbox_id for r in rows}) == len(ids)


@channels_app.command("test")
def channels_test(
    channel_id: Annotated[str, typer.Argument(help="The channel's id.")],
    tenant: Annotated[
        str | None, typer.Option(help="Tenant name (default: the channel's).")
    ] = None,
) -> None:
    """Send a test message now. Exit 1 when it was not delivered (it is then retried)."""
    from ciwhy.store import outbox

    engine = _store(_settings()).engine
    oid = outbox.enqueue_test(engine, _owner(engine, tenant, channel_id), channel_id)
    if oid is None:
        raise _fail(f"no channel {channel_id}", 1)
    if not _deliver_and_report(engine, [oid]):
        raise typer.Exit(1)


def digest(
    since: Annotated[str, typer.Option(help="The window: 24h, 90m, 7d.")] = "24h",
    channel: Annotated[str | None, typer.Option(help="Only this channel (its id).")] = None,
    tenant: Annotated[str | None, typer.Option(help="Tenant name (default: default).")] = None,
) -> None:
    """Send a digest of the failures since then (counts, severity split, top root causes,
    newest high-severity failures) to the tenant's enabled channels, or one."""
    from ciwhy import clock
    from ciwhy.notify import digest as digests

    try:
        span = parse_span(since)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    engine = _store(_settings()).engine
    now = clock.now()
    tid = _owner(engine, tenant, channel) if channel else _tenant_id(engine, tenant or "default")
    ids = digests.enqueue_digest(engine, tid, now - span, now, channel)
    if not ids:
        raise _fail("no enabled channel to send a digest to", 1)
    if not _deliver_and_report(engine, ids):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(channels_app, name="channels")
    app.command()(digest)
