"""Browser sign-in: `GET/POST /login`, `POST /logout`, `GET /api/auth/csrf`.

Sign-in is rate-limited per client address and per email (`CIWHY_LOGIN_RATE_LIMIT`); a wrong
email and a wrong password get the same answer in the same time. `next` may only name a path
of this site (no open redirect). Every page response carries the `csrf_token` cookie."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ciwhy.store import users
from ciwhy.web.errors import ApiError
from ciwhy.web.session import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    LoginRedirect,
    current_user,
    require_csrf,
    secure,
)
from ciwhy.web.templating import templates


def _local(target: str | None) -> str:
    """`target` when it is a path of this site, else the overview."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _page(request: Request, status: int = 200, **ctx: Any) -> HTMLResponse:
    ctx.setdefault("error", None)
    ctx.setdefault("email", "")
    ctx.setdefault("next", _local(request.query_params.get("next")))
    return templates.TemplateResponse(request, "login.html", ctx, status_code=status)


async def login_page(request: Request) -> Response:
    if await current_user(request) is not None:
        return RedirectResponse(_local(request.query_params.get("next")), status_code=303)
    return _page(request)


async def login(request: Request) -> Response:
    form = await request.form()
    email = str(form.get("email") or "")[:320]
    password = str(form.get("password") or "")[:1000]
    target = _local(str(form.get("next") or ""))
    try:
        await require_csrf(request)
        host = request.client.host if request.client else "unknown"
        request.app.state.limits.check("login", f"ip:{host}")
        request.app.state.limits.check("login", f"email:{email.strip().lower()}")
    except ApiError as exc:
        return _page(request, exc.status, error=exc.error, email=email, next=target)
    engine = request.app.state.store.engine
    user = await run_in_threadpool(users.authenticate_password, engine, email, password)
    if user is None:
        return _page(request, 401, error="Wrong email or password.", email=email, next=target)
    secret, expires = await run_in_threadpool(users.start_session, engine, user)
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(SESSION_COOKIE, secret, expires=expires, httponly=True, samesite="lax",
                    secure=secure(request), path="/")  # fmt: skip
    return resp


async def logout(request: Request) -> Response:
    await require_csrf(request)
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        await run_in_threadpool(users.end_session, request.app.state.store.engine, secret)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


async def csrf(request: Request) -> JSONResponse:
    """A fresh CSRF token, also set as the cookie (for clients that lost theirs)."""
    request.state.csrf_token = secrets.token_urlsafe(24)
    return JSONResponse({"csrf_token": request.state.csrf_token})


class CsrfCookie:
    """Pure ASGI: sets the `csrf_token` cookie on responses whose request made one (pages),
    and stays out of the way of machine routes (ingest, webhooks) at no cost."""

    SKIP = ("/api/ingest", "/ingest/", "/functions/", "/webhooks/", "/api/v1/", "/metrics")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.SKIP):
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                request = Request(scope)
                token = scope.get("state", {}).get("csrf_token")
                if token is not None and request.cookies.get(CSRF_COOKIE) != token:
                    cookie = Response()
                    cookie.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="lax",
                                      secure=secure(request), path="/")  # fmt: skip
                    message["headers"] = [*message.get("headers", []),
                                          *[(k, v) for k, v in cookie.raw_headers
                                            if k == b"set-cookie"]]  # fmt: skip
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def install(app: FastAPI) -> None:
    r = APIRouter(tags=["sign-in"])
    r.add_api_route("/login", login_page, methods=["GET"], include_in_schema=False)
    r.add_api_route("/login", login, methods=["POST"], include_in_schema=False)
    r.add_api_route("/logout", logout, methods=["POST"], include_in_schema=False)
    r.add_api_route("/api/auth/csrf", csrf, methods=["GET"], summary="A fresh CSRF token")
    app.include_router(r)

    @app.exception_handler(LoginRedirect)
    async def _to_login(_: Request, exc: LoginRedirect) -> Response:
        return RedirectResponse(exc.target, status_code=303)

    app.add_middleware(CsrfCookie)
