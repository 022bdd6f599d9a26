"""① Accept: bearer tokens with scopes, and per-tenant rate limits (in memory, or in Redis
when replicas share them)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

from cachetools import TTLCache
from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from ciwhy.store import tokens
from ciwhy.web.errors import ApiError

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def token_from(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


class TokenCache:
    """Tokens checked against the database in the last `seconds`, by their secret's hash, so a
    busy sender costs one lookup a second rather than one a request. Unknown secrets are not
    kept (a new token works at once); a revoked one is refused within `seconds`."""

    def __init__(self, engine: Any, seconds: float) -> None:
        self.engine = engine
        self.cache: TTLCache[str, tokens.Token] | None = (
            TTLCache(maxsize=10_000, ttl=seconds) if seconds > 0 else None
        )
        self.lock = threading.Lock()

    async def authenticate(self, secret: str) -> tokens.Token | None:
        if self.cache is None:
            return await run_in_threadpool(tokens.authenticate, self.engine, secret)
        key = tokens.secret_hash(secret)
        with self.lock:
            tok = self.cache.get(key)
        if tok is None:
            tok = await run_in_threadpool(tokens.authenticate, self.engine, secret)
            if tok is not None:
                with self.lock:
                    self.cache[key] = tok
        return tok


async def authorize(request: Request, scope: str | None) -> tokens.Token:
    """The request's live token, which must carry `scope` (None: any); 401/403 otherwise."""
    secret = token_from(request)
    if not secret:
        raise ApiError(401, "unauthorized", "an API token is required", headers=_CHALLENGE)
    tok: tokens.Token | None = await request.app.state.tokens.authenticate(secret)
    if tok is None:
        raise ApiError(401, "unauthorized", "unknown or revoked token", headers=_CHALLENGE)
    if scope is not None and scope not in tok.scopes:
        raise ApiError(403, "forbidden", f"this token lacks the {scope!r} scope")
    request.state.token = tok
    return tok


def require(scope: str | None) -> Callable[[Request], Any]:
    """`authorize` as a dependency."""

    async def dependency(request: Request) -> tokens.Token:
        return await authorize(request, scope)

    return dependency


class RateLimits:
    def __init__(self, redis_url: str | None, **limits: str) -> None:
        storage = storage_from_string(redis_url) if redis_url else MemoryStorage()
        # A sliding window counter: O(1) a hit, close to a moving window in effect.
        self.limiter = SlidingWindowCounterRateLimiter(storage)
        self.items: dict[str, RateLimitItem] = {k: parse(v) for k, v in limits.items()}

    def check(self, kind: str, tenant_id: str) -> None:
        item = self.items[kind]
        if self.limiter.hit(item, kind, tenant_id):
            return
        reset, _remaining = self.limiter.get_window_stats(item, kind, tenant_id)
        wait = max(1, math.ceil(reset - time.time()))
        raise ApiError(
            429,
            "rate_limited",
            f"too many {kind} requests for this tenant ({item}); retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )
