"""What every dashboard page shares: the signed-in user as a dependency, rendering with the
navigation, calling a store function off the event loop, and the template filters."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from ciwhy import clock
from ciwhy.web.errors import ApiError
from ciwhy.web.session import User, page_user
from ciwhy.web.templating import templates

STATIC = Path(__file__).resolve().parent.parent / "static"

Viewer = Annotated[User, Depends(page_user("viewer"))]
Admin = Annotated[User, Depends(page_user("admin"))]

#: The main navigation: (path, label). Settings shows only to admins.
NAV = (
    ("/", "Overview"),
    ("/analyses", "Analyses"),
    ("/causes", "Root causes"),
    ("/pipelines", "Pipelines"),
    ("/runs", "Runs"),
    ("/tests", "Tests"),
    ("/agents", "Agents"),
)
WINDOWS = (7, 30, 90)


def render(request: Request, user: User, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    ctx.update(user=user, nav=NAV, path=request.url.path)
    resp = templates.TemplateResponse(request, name, ctx, status_code=status)
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


async def call(request: Request, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    """`fn(engine, *args, **kw)` in the thread pool."""
    return await run_in_threadpool(fn, request.app.state.store.engine, *args, **kw)


def now() -> datetime:
    return clock.now()


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"no such {what}")


def days_param(value: int | None) -> int:
    """The window a page shows: one of WINDOWS (30 unless asked)."""
    return value if value in WINDOWS else 30


# --- filters and globals ---------------------------------------------------------------------


def safe_href(url: Any) -> str | None:
    """`url` when it is an absolute http(s) URL, else None (no javascript:, data: ...)."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def when(value: Any) -> str:
    """An ISO time or datetime as `2026-11-24 09:05 UTC`; '' for nothing."""
    if not value:
        return ""
    t = datetime.fromisoformat(value) if isinstance(value, str) else value
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def duration(ms: Any) -> str:
    """Milliseconds for people: 850 ms, 12.3 s, 4 min 5 s, 2 h 10 min."""
    if ms is None:
        return "–"
    ms = float(ms)
    if ms < 1000:
        return f"{ms:.0f} ms"
    s = ms / 1000
    if s < 60:
        return f"{s:.1f} s"
    if s < 3600:
        return f"{int(s // 60)} min {int(s % 60)} s"
    return f"{int(s // 3600)} h {int(s % 3600 // 60)} min"


def seconds(value: Any) -> str:
    return "–" if value is None else duration(float(value) * 1000)


def percent(value: Any) -> str:
    return "–" if value is None else f"{float(value) * 100:.1f} %"


def query(request: Request, **changes: Any) -> str:
    """The current query string with `changes` (None removes a key), for links and paging."""
    params = {k: v for k, v in request.query_params.items() if v != ""}
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = str(v)
    return "?" + urlencode(params) if params else "?"


@cache
def _digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """`/static/<name>?v=<content hash>`: cached for a year, renamed by every change."""
    return f"/static/{name}?v={_digest(name)}"


def install_filters() -> None:
    env = templates.env
    env.filters.update(when=when, duration=duration, seconds=seconds, percent=percent,
                       safe_href=safe_href)  # fmt: skip
    env.globals.update(static_url=static_url, query=query, windows=WINDOWS)
