"""The generic webhook: the message as JSON, POSTed and signed.

Headers:

    X-Ciwhy-Timestamp: <unix seconds>
    X-Ciwhy-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{body}")>
    X-Ciwhy-Delivery:  <outbox id>   (the same on every retry of one message)
    X-Ciwhy-Event:     analysis | digest | test

A receiver verifies (see `verify`): read the raw body bytes before parsing; take `t` and
`v1` from the signature header; compute HMAC-SHA256 with the shared secret over the bytes
`t + "." + body`; compare with `v1` in constant time; reject when `t` is more than 5 minutes
from its own clock (a replayed request); optionally drop a delivery id seen before.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from ciwhy import clock
from ciwhy.notify.channels.base import ChannelKind, ConfigError, Context, Field, post
from ciwhy.notify.message import Message

TOLERANCE = 300  # seconds


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return mac.hexdigest()


def verify(
    secret: str, header: str, body: bytes, now: datetime | None = None, tolerance: int = TOLERANCE
) -> bool:
    """Whether `header` (X-Ciwhy-Signature) signs `body` with `secret` within `tolerance`
    seconds of `now`. A malformed header is False, never an exception."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        ts = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    at = (now or clock.now()).timestamp()
    if abs(at - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, ts, body), given)


class Webhook(ChannelKind):
    name, label = "webhook", "Webhook (signed JSON)"
    fields = (
        Field("url", "URL", kind="url"),
        Field("secret", "Signing secret", secret=True, help="At least 16 characters"),
    )

    def check(self, config: dict[str, Any]) -> None:
        if len(config["secret"]) < 16:
            raise ConfigError("secret", "must be at least 16 characters")

    def body(self, message: Message, ctx: Context) -> bytes:
        doc = {"event": ctx.kind, "delivery_id": ctx.outbox_id, "message": message.as_dict()}
        return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()

    def send(self, config: dict[str, Any], message: Message, ctx: Context) -> int | None:
        body = self.body(message, ctx)
        ts = int(clock.now().timestamp())
        headers = {
            "Content-Type": "application/json",
            "X-Ciwhy-Timestamp": str(ts),
            "X-Ciwhy-Signature": f"t={ts},v1={sign(config['secret'], ts, body)}",
            "X-Ciwhy-Delivery": str(ctx.outbox_id),
            "X-Ciwhy-Event": ctx.kind,
        }
        return post(config["url"], content=body, headers=headers)
