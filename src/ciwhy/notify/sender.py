"""The sender: claims due outbox rows and delivers them to their channels.

`Sender.run_once()` handles one row (True when it did). The analysis workers call it when
they have no analysis to do, so `ciwhy serve` and `ciwhy worker` both deliver; any number
of senders on any number of hosts share the outbox safely (claims are leased).

An optional daily digest: set CIWHY_DIGEST_AT=HH:MM (UTC). From that time each day, the
first sender to notice enqueues, for every tenant's enabled channels, a digest of the 24
hours before it; the outbox's dedupe key ("digest:<date>") makes it once per channel and
day however many senders run. An unreadable value is logged and ignored (no digest).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time as _time
from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine

from ciwhy import clock
from ciwhy.notify import digest
from ciwhy.notify.channels import KINDS, Context, DeliveryError
from ciwhy.notify.message import base_url, build
from ciwhy.store import outbox

log = logging.getLogger("ciwhy.notify")
DIGEST_ENV = "CIWHY_DIGEST_AT"


def digest_at(env: Mapping[str, str] | None = None, value: str | None = None) -> time | None:
    """CIWHY_DIGEST_AT (the setting's `value`, else the environment) as a UTC time of day;
    None when unset or unreadable (logged)."""
    raw = (value or (os.environ if env is None else env).get(DIGEST_ENV, "")).strip()
    if not raw:
        return None
    try:
        hh, mm = raw.split(":")
        return time(int(hh), int(mm), tzinfo=UTC)
    except ValueError:
        log.warning("%s=%r is not HH:MM (UTC); no daily digest", DIGEST_ENV, raw)
        return None


class Sender:
    def __init__(
        self,
        engine: Engine,
        settings: Any = None,
        name: str = "",
        lease_seconds: float = 60,
        max_attempts: int = outbox.MAX_ATTEMPTS,
        base: str | None = None,
    ) -> None:
        self.engine = engine
        self.base = base or base_url(settings)
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.digest_at = digest_at(value=getattr(settings, "digest_at", None))
        self._digest_day: Any = None
        self._last_chores = -1e9

    def run_once(self) -> bool:
        """Deliver one due message if there is one; True when one was handled."""
        self._chores()
        if not outbox.has_due(self.engine, self.max_attempts):
            return False
        item = outbox.claim(self.engine, self.name, self.lease_seconds, self.max_attempts)
        if item is None:
            return False
        self.send(item)
        return True

    def deliver(self, ids: list[int], timeout: float = 30.0) -> None:
        """Attempt each of `ids` once now (for the CLI): rows not due yet are left alone."""
        deadline = _time.monotonic() + timeout
        while ids and _time.monotonic() < deadline:
            item = outbox.claim(
                self.engine, self.name, self.lease_seconds, self.max_attempts, only=ids
            )
            if item is None:
                return
            ids = [i for i in ids if i != item.id]
            self.send(item)

    def send(self, item: outbox.Item) -> bool:
        """Send a claimed row and record the attempt; True when delivered."""
        if not item.enabled and item.kind != "test":
            outbox.drop(self.engine, item, "the channel was disabled")
            return False
        kind = KINDS.get(item.channel_kind)
        status: int | None = None
        started = _time.monotonic()
        try:
            if kind is None:
                raise DeliveryError(f"unknown channel kind {item.channel_kind!r}")
            message = build(item.kind, item.payload, self.base)
            ctx = Context(item.id, item.attempts, item.kind, item.channel_id)
            status = kind.send(item.config, message, ctx)
        except DeliveryError as exc:
            error, status = str(exc), exc.status_code
        except Exception as exc:  # a bug in a channel must not stop the sender
            log.exception("sending outbox %d", item.id)
            error = f"{type(exc).__name__}: {exc}"
        else:
            outbox.delivered(self.engine, item, status, _ms(started))
            return True
        for secret in kind.secrets(item.config) if kind else []:
            error = error.replace(secret, "***")
        state = outbox.retry_later(
            self.engine, item, error, status, _ms(started), self.max_attempts
        )
        log.warning(
            "outbox %d to %s (%s), attempt %d: %s%s",
            item.id,
            item.channel_name,
            item.channel_kind,
            item.attempts,
            error,
            "; giving up" if state == "failed" else "",
        )
        return False

    def run(self, stop: threading.Event, idle: float = 1.0) -> None:
        while not stop.is_set():
            try:
                busy = self.run_once()
            except Exception:  # the database went away: wait and try again
                log.exception("sender loop")
                busy = False
            if not busy:
                stop.wait(idle)

    def _chores(self) -> None:
        """Every 30 s at most: give up on rows whose senders died; the daily digest."""
        now = _time.monotonic()
        if now - self._last_chores < 30:
            return
        self._last_chores = now
        outbox.give_up_exhausted(self.engine, self.max_attempts)
        if self.digest_at is not None:
            self.scheduled_digest(clock.now())

    def scheduled_digest(self, now: datetime) -> int:
        """Enqueue today's digests once `now` is past the digest time; how many rows."""
        assert self.digest_at is not None
        at = datetime.combine(now.date(), self.digest_at)
        if now < at or self._digest_day == now.date():
            return 0
        n = 0
        for tenant_id in digest.tenants_with_channels(self.engine):
            n += len(
                digest.enqueue_digest(
                    self.engine,
                    tenant_id,
                    at - timedelta(days=1),
                    at,
                    dedupe_key=f"digest:{now.date().isoformat()}",
                )
            )
        self._digest_day = now.date()
        return n


def _ms(started: float) -> int:
    return round((_time.monotonic() - started) * 1000)
