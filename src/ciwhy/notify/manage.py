"""Channel management for the API, the dashboard and the CLI: create, list (secrets
masked), update, delete, enable/disable a tenant's channels, and read their delivery log.

Every function is scoped to a tenant: another tenant's channel is "not found" (None or
False), never an error that tells it exists. Bad input raises `ConfigError` (a ValueError)
whose `.field` names the offending field: name, kind, config's fields, min_severity,
projects. A secret shown masked ("********") and sent back unchanged in an update keeps
its stored value, so a form can round-trip a channel without knowing its secrets.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from ciwhy import clock
from ciwhy.notify import rules
from ciwhy.notify.channels import MASK, ConfigError, kind_of
from ciwhy.store.db import writing
from ciwhy.store.tables_people import channels, outbox
from ciwhy.store.tables_people import deliveries as deliveries_t

UNSET: Any = object()
MAX_NAME = 200


def _name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("name", "must be a non-empty string")
    if len(name.strip()) > MAX_NAME:
        raise ConfigError("name", f"is longer than {MAX_NAME} characters")
    return name.strip()


def _rule(min_severity: Any, projects: Any) -> tuple[str, tuple[str, ...] | None]:
    try:
        return rules.parse_severity(min_severity), rules.parse_projects(projects)
    except rules.RuleError as exc:
        raise ConfigError(exc.field, exc.message) from None


def _flag(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(field, "must be true or false")
    return value


def create_channel(
    engine: Engine,
    tenant_id: str,
    name: str,
    kind: str,
    config: Mapping[str, Any],
    min_severity: str = "low",
    projects: list[str] | None = None,
    new_causes_only: bool = False,
    enabled: bool = True,
) -> str:
    """Validate and store a channel; its id. ConfigError naming the field otherwise."""
    k = kind_of(kind)
    clean = k.validate(config)
    severity, listed = _rule(min_severity, projects)
    cid = str(uuid.uuid4())
    with writing(engine) as conn:
        conn.execute(
            insert(channels).values(
                id=cid,
                tenant_id=tenant_id,
                name=_name(name),
                kind=k.name,
                config=json.dumps(clean),
                min_severity=severity,
                projects=rules.projects_json(listed),
                new_causes_only=_flag("new_causes_only", new_causes_only),
                enabled=_flag("enabled", enabled),
                created_at=clock.now(),
            )
        )
    return cid


def _shape(r: Any) -> dict[str, Any]:
    k = kind_of(r.kind)
    return {
        "id": r.id,
        "name": r.name,
        "kind": r.kind,
        "config": k.masked(json.loads(r.config)),
        "min_severity": r.min_severity,
        "projects": json.loads(r.projects) if r.projects else None,
        "new_causes_only": bool(r.new_causes_only),
        "enabled": bool(r.enabled),
        "created_at": r.created_at.isoformat(),
    }


def list_channels(engine: Engine, tenant_id: str) -> list[dict[str, Any]]:
    """The tenant's channels, oldest first, with secret config values masked."""
    with engine.connect() as conn:
        q = select(channels).where(channels.c.tenant_id == tenant_id)
        return [_shape(r) for r in conn.execute(q.order_by(channels.c.created_at, channels.c.id))]


def get_channel(engine: Engine, tenant_id: str, channel_id: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        r = conn.execute(select(channels).where(*_owned(tenant_id, channel_id))).first()
    return _shape(r) if r else None


def _owned(tenant_id: str, channel_id: str) -> list[Any]:
    return [channels.c.id == channel_id, channels.c.tenant_id == tenant_id]


def update_channel(
    engine: Engine,
    tenant_id: str,
    channel_id: str,
    *,
    name: Any = UNSET,
    config: Any = UNSET,
    min_severity: Any = UNSET,
    projects: Any = UNSET,
    new_causes_only: Any = UNSET,
    enabled: Any = UNSET,
) -> dict[str, Any] | None:
    """Change the given parts (the kind stays); the channel as `list_channels` shows it, or
    None when the tenant has no such channel. `config` replaces the whole config, except
    that a masked secret keeps its stored value. ConfigError for bad input."""
    with writing(engine) as conn:
        r = conn.execute(select(channels).where(*_owned(tenant_id, channel_id))).first()
        if r is None:
            return None
        values: dict[str, Any] = {}
        if name is not UNSET:
            values["name"] = _name(name)
        if config is not UNSET:
            k = kind_of(r.kind)
            if not isinstance(config, Mapping):
                raise ConfigError("config", "must be an object")
            old = json.loads(r.config)
            merged = {f: (old.get(f) if v == MASK else v) for f, v in config.items()}
            values["config"] = json.dumps(k.validate(merged))
        if min_severity is not UNSET or projects is not UNSET:
            sev = r.min_severity if min_severity is UNSET else min_severity
            old_projects = json.loads(r.projects) if r.projects else None
            severity, listed = _rule(sev, old_projects if projects is UNSET else projects)
            values.update(min_severity=severity, projects=rules.projects_json(listed))
        if new_causes_only is not UNSET:
            values["new_causes_only"] = _flag("new_causes_only", new_causes_only)
        if enabled is not UNSET:
            values["enabled"] = _flag("enabled", enabled)
        if values:
            conn.execute(update(channels).where(channels.c.id == channel_id).values(**values))
        r = conn.execute(select(channels).where(channels.c.id == channel_id)).one()
        return _shape(r)


def set_enabled(engine: Engine, tenant_id: str, channel_id: str, enabled: bool) -> bool:
    """Messages for a disabled channel are dropped when their turn comes (tests excepted)."""
    with writing(engine) as conn:
        q = update(channels).where(*_owned(tenant_id, channel_id)).values(enabled=bool(enabled))
        return bool(conn.execute(q).rowcount)


def delete_channel(engine: Engine, tenant_id: str, channel_id: str) -> bool:
    """Delete the channel with its pending messages and delivery log; False when unknown."""
    with writing(engine) as conn:
        if conn.execute(select(channels.c.id).where(*_owned(tenant_id, channel_id))).first():
            # Explicit rather than trusting ON DELETE CASCADE on every backend.
            conn.execute(delete(deliveries_t).where(deliveries_t.c.channel_id == channel_id))
            conn.execute(delete(outbox).where(outbox.c.channel_id == channel_id))
            conn.execute(delete(channels).where(channels.c.id == channel_id))
            return True
    return False


def deliveries(
    engine: Engine, tenant_id: str, channel_id: str, limit: int = 50
) -> list[dict[str, Any]] | None:
    """The channel's newest delivery attempts (at most `limit`, clamped to 1..500), newest
    first; None when the tenant has no such channel."""
    limit = max(1, min(500, int(limit)))
    d = deliveries_t.c
    with engine.connect() as conn:
        if not conn.execute(select(channels.c.id).where(*_owned(tenant_id, channel_id))).first():
            return None
        rows = conn.execute(
            select(
                d.id,
                d.outbox_id,
                d.attempt,
                d.at,
                d.ok,
                d.status_code,
                d.error,
                d.duration_ms,
                outbox.c.kind,
                outbox.c.state,
            )
            .join(outbox, outbox.c.id == d.outbox_id)
            .where(d.channel_id == channel_id)
            .order_by(d.at.desc(), d.id.desc())
            .limit(limit)
        )
        return [
            {
                "id": r.id,
                "outbox_id": r.outbox_id,
                "message": r.kind,
                "attempt": r.attempt,
                "at": r.at.isoformat(),
                "ok": bool(r.ok),
                "status_code": r.status_code,
                "error": r.error,
                "duration_ms": r.duration_ms,
                "message_state": r.state,
            }
            for r in rows
        ]


def kinds() -> list[dict[str, Any]]:
    """Every channel kind with its fields (what a form needs)."""
    from ciwhy.notify.channels import KINDS

    return [k.describe() for k in KINDS.values()]
