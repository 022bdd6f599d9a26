"""One error shape everywhere: {"error": sentence, "code": machine code, "details": ...}."""

from __future__ import annotations

import html
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        error: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.status, self.code, self.error, self.details = status, code, error, details
        self.headers = headers or {}

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in worker processes too (large bodies are parsed there): picklable whole.
        return (ApiError, (self.status, self.code, self.error, self.details, self.headers))


def body(code: str, error: str, details: Any = None) -> dict[str, Any]:
    return {"error": error, "code": code, "details": details}


MACHINE_PATHS = ("/api/", "/ingest/", "/functions/", "/webhooks/", "/metrics")


def wants_page(request: Request) -> bool:
    """A browser navigating to a dashboard page (not a script calling the API)."""
    return "text/html" in request.headers.get("accept", "") and not request.url.path.startswith(
        MACHINE_PATHS
    )


def error_page(status: int, error: str) -> HTMLResponse:
    text = html.escape(error)
    return HTMLResponse(
        f'<!doctype html><html lang="en"><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{status} · ciwhy</title><main><h1>{status}</h1><p>{text}</p>"
        f'<p><a href="/">Back to the overview</a></p></main></html>',
        status_code=status,
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        if wants_page(request) and exc.status in (403, 404):
            return error_page(exc.status, exc.error)
        return JSONResponse(
            body(exc.code, exc.error, exc.details), status_code=exc.status, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {
                "field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]),
                "message": e["msg"],
                "type": e["type"],
            }
            for e in exc.errors()
        ]
        names = ", ".join(sorted({d["field"] for d in details}))
        return JSONResponse(
            body("invalid_request", f"invalid request: {names}", details), status_code=400
        )

    @app.exception_handler(OperationalError)
    async def _database_down(_: Request, exc: OperationalError) -> JSONResponse:
        # The database went away (restart, failover, network): say so, and when to retry,
        # rather than a bare 500. Senders retry; nothing was half-stored (transactions).
        return JSONResponse(
            body("unavailable", "the database is unavailable; retry shortly"),
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed"}
        return JSONResponse(
            body(codes.get(exc.status_code, "http_error"), str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
