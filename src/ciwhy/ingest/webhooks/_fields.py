"""Typed reads from a decoded JSON payload, each failure a ``WebhookError`` naming its path.

Rules: ``null`` and absent are the same for every optional read; a value of the wrong JSON type
is an error (never silently dropped, never coerced: ``true`` is not an integer, ``"5"`` is not
a number); integers must fit in 64 bits; durations must be finite and below ``MAX_SECONDS``
(a negative duration, which clock skew can produce, reads as unknown); timestamps are read with
``parse_timestamp`` and an unreadable one is an error. Error messages name the field and the
type found, never the value (it may be huge, or a secret).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ciwhy.ingest.timestamps import parse_timestamp
from ciwhy.ingest.webhooks import WebhookError

INT_LIMIT = 2**63
#: A duration longer than about 317 years is not a CI job: the payload is wrong.
MAX_SECONDS = 10**10


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, Mapping) else type(value).__name__


class Fields:
    """A JSON object and its dotted path in the payload (``""`` for the top level)."""

    __slots__ = ("data", "path")

    def __init__(self, data: Mapping[str, Any], path: str = "") -> None:
        self.data = data
        self.path = path

    def where(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def _bad(self, name: str, expected: str, value: object) -> WebhookError:
        return WebhookError(f"{self.where(name)}: expected {expected}, got {_kind(value)}")

    def missing(self, name: str, expected: str) -> WebhookError:
        return WebhookError(f"{self.where(name)}: {expected} is required")

    def obj(self, name: str) -> Fields | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self._bad(name, "an object", value)
        return Fields(value, self.where(name))

    def sub(self, name: str) -> Fields:
        """Like ``obj``, but an absent object reads as an empty one (every field None)."""
        return self.obj(name) or Fields({}, self.where(name))

    def req_obj(self, name: str) -> Fields:
        found = self.obj(name)
        if found is None:
            raise self.missing(name, "an object")
        return found

    def text(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None or isinstance(value, str):
            return value
        raise self._bad(name, "a string", value)

    def req_text(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise self.missing(name, "a non-empty string")
        return value

    def integer(self, name: str) -> int | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._bad(name, "an integer", value)
        if not -INT_LIMIT < value < INT_LIMIT:
            raise WebhookError(f"{self.where(name)}: integer out of range")
        return value

    def req_int(self, name: str) -> int:
        value = self.integer(name)
        if value is None:
            raise self.missing(name, "an integer")
        return value

    def flag(self, name: str) -> bool | None:
        value = self.data.get(name)
        if value is None or isinstance(value, bool):
            return value
        raise self._bad(name, "a boolean", value)

    def seconds_ms(self, name: str) -> int | None:
        """A duration in (possibly fractional) seconds, as whole milliseconds."""
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self._bad(name, "a number of seconds", value)
        if (isinstance(value, float) and not math.isfinite(value)) or value > MAX_SECONDS:
            raise WebhookError(f"{self.where(name)}: duration out of range")
        return None if value < 0 else round(value * 1000)

    def time(self, name: str) -> datetime | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._bad(name, "a timestamp string", value)
        try:
            return parse_timestamp(value)
        except ValueError:
            raise WebhookError(f"{self.where(name)}: not a timestamp this service reads") from None

    def items(self, name: str) -> list[Any]:
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._bad(name, "an array", value)
        return value

    def objs(self, name: str) -> list[Fields]:
        found: list[Fields] = []
        for i, value in enumerate(self.items(name)):
            if not isinstance(value, Mapping):
                raise self._bad(f"{name}[{i}]", "an object", value)
            found.append(Fields(value, f"{self.where(name)}[{i}]"))
        return found

    def texts(self, name: str) -> tuple[str, ...]:
        values = self.items(name)
        for i, value in enumerate(values):
            if not isinstance(value, str):
                raise self._bad(f"{name}[{i}]", "a string", value)
        return tuple(values)


def first(*values: str | None) -> str | None:
    """The first non-empty string of ``values`` (``""`` counts as absent), else None."""
    return next((value for value in values if value), None)


def as_fields(payload: object) -> Fields:
    """The top level of a payload; ``WebhookError`` unless it is a JSON object."""
    if not isinstance(payload, Mapping):
        raise WebhookError(f"the payload must be a JSON object, not {_kind(payload)}")
    return Fields(payload)
