"""⑦ The dashboard: server-rendered pages for the signed-in user's tenant, our own CSS and a
little JS from `web/static/`, charts drawn as SVG on the server.

`install(app)` adds the pages, the settings (admins) and `/static`."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from ciwhy.web.dashboard import analyses, builds, causes, common, overview, settings
from ciwhy.web.dashboard import settings_access as _settings_access
from ciwhy.web.dashboard import settings_channels as _settings_channels

#: Static files are asked for with `?v=<content hash>` (common.static_url): cache for a year.
CACHE = "public, max-age=31536000, immutable"

_ = (_settings_access, _settings_channels)  # they register their sections


class CachedStatic(StaticFiles):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_cached(message: dict) -> None:  # type: ignore[type-arg]
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"cache-control"]  # fmt: skip
                headers.append((b"cache-control", CACHE.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        await super().__call__(scope, receive, send_cached)


def install(app: FastAPI) -> None:
    common.install_filters()
    for module in (overview, analyses, causes, builds, settings):
        app.include_router(module.router)
    app.mount("/static", CachedStatic(directory=common.STATIC), name="static")
