"""One clock for the service, so that tests can freeze or move time."""

from __future__ import annotations

from datetime import UTC, datetime

_frozen: list[datetime] = []


def now() -> datetime:
    """The current time in UTC (timezone-aware)."""
    return _frozen[-1] if _frozen else datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Pin now() to `at` (None: let it run again)."""
    _frozen.clear()
    if at is not None:
        _frozen.append(at)
