"""Field types shared by the build-analytics wire models (BuildButler, RunWatch shapes).

- ``text(n)``: a string of at most ``n`` characters (400 above, never a truncation), with NUL
  and lone surrogates replaced by U+FFFD (no database stores them).
- ``Id``: a string, or a JSON integer kept as its decimal string (build numbers, run ids).
- ``Timestamp``: every documented timestamp shape (timestamps.py): ISO-8601, GitLab's
  ``... UTC``, TeamCity's compact form, Unix seconds or epoch milliseconds; to UTC.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from ciwhy.ingest.timestamps import parse_timestamp

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

#: Wire models ignore fields they do not name (open maps), and are strict about types.
MODEL_CONFIG = ConfigDict(extra="ignore", strict=True, populate_by_name=True)


def _clean(value: str) -> str:
    return _UNSTORABLE.sub("\ufffd", value)


def text(max_length: int, min_length: int = 0) -> Any:
    return Annotated[str, Field(min_length=min_length, max_length=max_length),
                     AfterValidator(_clean)]  # fmt: skip


def _id(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Id = Annotated[str, BeforeValidator(_id), Field(min_length=1, max_length=200),
               AfterValidator(_clean),
               WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]})]  # fmt: skip


def _timestamp(value: object) -> datetime:
    try:
        return parse_timestamp(value)  # type: ignore[arg-type]
    except ValueError as exc:
        raise PydanticCustomError("timestamp", "{reason}", {"reason": str(exc)}) from None


Timestamp = Annotated[
    datetime,
    BeforeValidator(_timestamp),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "number"}],
                    "description": "ISO-8601, 'YYYY-MM-DD HH:MM:SS UTC', Unix seconds or "
                                   "epoch milliseconds"}),
]  # fmt: skip
