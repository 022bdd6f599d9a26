"""⑦ Reads for the API: analyses by keyset (cursor) pages, one analysis, and the stats.

Every query is scoped to one tenant. Pages are keyed on (received_at, id), newest first: the
cursor is opaque to clients and never an offset.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic_core import from_json
from sqlalchemy import Engine, and_, func, or_, select

from ciwhy.store.tables import analyses


class CursorError(ValueError):
    pass


def encode_cursor(received_at: datetime, aid: str) -> str:
    raw = json.dumps([received_at.astimezone(UTC).isoformat(), aid]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, aid = json.loads(raw)
        when = datetime.fromisoformat(at)
        if not isinstance(aid, str) or when.tzinfo is None:
            raise ValueError
        return when, aid
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CursorError("cursor is not one this API handed out") from e


@dataclass(frozen=True)
class Filters:
    since: datetime | None = None
    until: datetime | None = None
    severity: str | None = None
    project: str | None = None
    source: str | None = None


def _where(tenant_id: str, f: Filters) -> list[Any]:
    w: list[Any] = [analyses.c.tenant_id == tenant_id]
    if f.since is not None:
        w.append(analyses.c.received_at >= f.since)
    if f.until is not None:
        w.append(analyses.c.received_at <= f.until)
    if f.severity:
        w.append(analyses.c.severity == f.severity)
    if f.project:
        w.append(analyses.c.project == f.project)
    if f.source:
        w.append(analyses.c.source == f.source)
    return w


def _items(result: Any) -> list[dict[str, Any]]:
    """Rows as items; each row becomes a dict in one C-level step (a Row's own conversions
    cost several times more, and show at 100 rows a page)."""
    keys = list(result.keys())
    return [item(dict(zip(keys, row, strict=True))) for row in result.all()]


def item(r: dict[str, Any]) -> dict[str, Any]:
    """An analysis as the v1 API shows it (Exlogare's fields, then ciwhy's own)."""
    detail = from_json(r["detail"]) if r["detail"] else {}
    analyzed = r["analyzed_at"]
    return {
        "id": r["id"],
        "provider": r["provider"],
        "source": r["source"],
        "ci_run_id": r["ci_run_id"],
        "ci_job_id": r["ci_job_id"],
        "project_id": None,
        "project_path": r["project"],
        "project_web_url": None,
        "pipeline_url": r["pipeline_url"],
        "job_url": r["job_url"],
        "mr_iid": None,
        "root_cause": r["root_cause"],
        "explanation": r["explanation"],
        "fix_suggestion": r["fix_suggestion"],
        "severity": r["severity"],
        "confidence": r["confidence"],
        "created_at": r["received_at"].isoformat(),
        "status": r["status"],
        "state": r["state"],
        "error": r["error"],
        "job_name": r["job_name"],
        "build_number": r["build_number"],
        "branch": r["branch"],
        "commit_sha": r["commit_sha"],
        "category": r["category"],
        "domain": r["domain"],
        "root_cause_line": r["root_cause_line"],
        "signature": r["signature"],
        "excerpt": detail.get("excerpt", []),
        "failing_tests": detail.get("failing_tests", []),
        "fingerprint": detail.get("fingerprint"),
        "failing_step": detail.get("failing_step"),
        "exit_code": detail.get("exit_code"),
        "analyzed_at": analyzed.isoformat() if analyzed else None,
        "run_id": r["run_id"],
    }


def page(
    engine: Engine, tenant_id: str, f: Filters, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    w = _where(tenant_id, f)
    if cursor:
        at, aid = decode_cursor(cursor)
        w.append(
            or_(
                analyses.c.received_at < at,
                and_(analyses.c.received_at == at, analyses.c.id < aid),
            )
        )
    q = (
        select(analyses)
        .where(*w)
        .order_by(analyses.c.received_at.desc(), analyses.c.id.desc())
        .limit(limit + 1)
    )
    with engine.connect() as conn:
        rows = _items(conn.execute(q))
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if more and rows else None
    nxt = encode_cursor(datetime.fromisoformat(last["created_at"]), last["id"]) if last else None
    return rows, nxt


def offset_page(
    engine: Engine, tenant_id: str, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    q = (
        select(analyses)
        .where(analyses.c.tenant_id == tenant_id)
        .order_by(analyses.c.received_at.desc(), analyses.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = _items(conn.execute(q))
        total = conn.execute(
            select(func.count()).select_from(analyses).where(analyses.c.tenant_id == tenant_id)
        ).scalar_one()
    return rows, int(total)


def one(engine: Engine, tenant_id: str, aid: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        found = _items(
            conn.execute(
                select(analyses).where(analyses.c.tenant_id == tenant_id, analyses.c.id == aid)
            )
        )
    return found[0] if found else None


def window(days: int, now: datetime) -> tuple[datetime, datetime]:
    start = (now - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, now
