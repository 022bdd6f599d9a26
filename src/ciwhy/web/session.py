"""Browser sessions for the dashboard: who is signed in, what their role allows, and the
CSRF double submit.

- The session cookie `ciwhy_session` is HttpOnly and SameSite=Lax, and Secure when the page
  is served over https. It holds a random secret; the database keeps only its hash.
- A readable `csrf_token` cookie is set on every page; every mutating browser request must
  echo it, in the `X-CSRF-Token` header (fetch) or the `csrf_token` form field (a plain form
  post), or it is refused with 403. A cross-site page cannot read the cookie, so it cannot.
- A user below a page's role gets 403; a signed-out visitor is sent to /login (pages) or
  gets 401 (JSON).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from ciwhy.store import users
from ciwhy.store.users import ROLES, User
from ciwhy.web.errors import ApiError

SESSION_COOKIE = "ciwhy_session"
CSRF_COOKIE = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

__all__ = ["ROLES", "User", "api_user", "csrf_token", "current_user", "page_user",
           "require_csrf"]  # fmt: skip


class LoginRedirect(Exception):
    """Raised by `page_user` for a signed-out visitor; answered with a 303 to /login."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def csrf_token(request: Request) -> str:
    """The request's CSRF token (the cookie's, or a new one the response will set)."""
    token = getattr(request.state, "csrf_token", None)
    if token is None:
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        request.state.csrf_token = token
    return str(token)


async def current_user(request: Request) -> User | None:
    if hasattr(request.state, "user"):
        return request.state.user  # type: ignore[no-any-return]
    secret = request.cookies.get(SESSION_COOKIE)
    user = None
    if secret and len(secret) < 200:
        user = await run_in_threadpool(users.session_user, request.app.state.store.engine, secret)
    request.state.user = user
    return user


def _allowed(user: User, min_role: str) -> bool:
    return ROLES.index(user.role) >= ROLES.index(min_role)


def page_user(min_role: str = "viewer") -> Callable[[Request], Any]:
    async def dependency(request: Request) -> User:
        user = await current_user(request)
        if user is None:
            path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRedirect("/login?next=" + quote(path, safe=""))
        if not _allowed(user, min_role):
            raise ApiError(403, "forbidden", f"this page needs the {min_role} role")
        return user

    return dependency


def api_user(min_role: str = "viewer") -> Callable[[Request], Any]:
    async def dependency(request: Request) -> User:
        user = await current_user(request)
        if user is None:
            raise ApiError(401, "unauthorized", "sign in first")
        if not _allowed(user, min_role):
            raise ApiError(403, "forbidden", f"this needs the {min_role} role")
        return user

    return dependency


async def require_csrf(request: Request) -> None:
    """403 unless a mutating request echoes the csrf_token cookie (header or form field)."""
    if request.method not in UNSAFE:
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else ""
    if not cookie or not sent or not hmac.compare_digest(cookie.encode(), sent.encode()):
        raise ApiError(403, "csrf_failed", "the CSRF token is missing or wrong; reload the page")
