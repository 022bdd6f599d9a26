"""Pure: every timestamp shape CI systems send, to an aware UTC ``datetime``.

Accepted (ci-shapes.md §0.4):

- ISO-8601 / RFC 3339 with ``Z``, an offset, or nothing (taken as UTC), with or without
  fractions, ``T`` or a space between date and time (GitHub, CircleCI, jest-junit, RunWatch);
- ``"2016-08-12 15:23:28 UTC"`` (GitLab's pipeline hook);
- TeamCity's ``yyyyMMdd'T'HHmmssZ`` (``20181210T154002+0100``);
- numbers, or strings of digits: Unix seconds, or epoch milliseconds when the value is too large
  to be seconds before the year 5000 (Jenkins' ``timestamp``, BuildButler's ``startedAt``).

Anything else is a ``ValueError`` naming what was given: a timestamp is never guessed.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

#: Seconds at 5000-01-01: a larger number is taken as milliseconds.
_MAX_SECONDS = 95_617_584_000
_TEAMCITY = re.compile(r"^(\d{8})T(\d{6})([+-]\d{4}|Z)?$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_timestamp(value: str | int | float | datetime) -> datetime:
    """The instant ``value`` names, in UTC; ``ValueError`` when it names none."""
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, bool):
        raise ValueError("a timestamp is expected, not a boolean")
    if isinstance(value, int | float):
        return _from_number(float(value))
    if not isinstance(value, str):
        raise ValueError(f"a timestamp is expected, not {type(value).__name__}")
    text = value.strip()
    if not text:
        raise ValueError("the timestamp is empty")
    if _NUMBER.match(text):
        return _from_number(float(text))
    m = _TEAMCITY.match(text)
    if m:
        day, clock, zone = m.groups()
        zone = "+0000" if zone in (None, "Z") else zone
        return _utc(datetime.strptime(f"{day}{clock}{zone}", "%Y%m%d%H%M%S%z"))
    if text.endswith(" UTC"):
        text = text[:-4] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a timestamp this service reads: {value[:60]!r}") from None
    return _utc(parsed)


def _from_number(number: float) -> datetime:
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"not a timestamp: {number}")
    seconds = number / 1000 if number > _MAX_SECONDS else number
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"timestamp out of range: {number}") from None


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def duration_ms(start: datetime | None, end: datetime | None) -> int | None:
    """Milliseconds from ``start`` to ``end`` when both are known and in order."""
    if start is None or end is None or end < start:
        return None
    return round((end - start).total_seconds() * 1000)
