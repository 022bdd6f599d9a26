"""Turn a pydantic ``ValidationError`` into the ``details`` of the service's 400 answer.

The service answers ``{"error": ..., "code": ..., "details": validation_details(exc)}``.
"""

from __future__ import annotations

import pydantic

BODY = "body"
"""The ``field`` of an error about the body as a whole (not JSON, not an object)."""

MAX_DETAILS = 50


def validation_details(
    exc: pydantic.ValidationError, *, limit: int = MAX_DETAILS
) -> list[dict[str, str]]:
    """``[{"field": "build.number", "message": "...", "type": "string_type"}, ...]``.

    One entry per bad field, in pydantic's order: ``field`` is the dotted wire path (list
    positions as numbers, aliases as sent), ``message`` pydantic's sentence, ``type`` its
    machine code (``missing``, ``string_type``, ``json_invalid`` ...). The sent value is never
    echoed back: it may be huge, or a secret. At most ``limit`` entries, so a hostile body with
    a million bad list items cannot make the answer a million lines long.
    """
    details: list[dict[str, str]] = []
    seen: set[str] = set()
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        field = ".".join(str(part) for part in error["loc"]) or BODY
        if field in seen:
            continue
        seen.add(field)
        details.append({"field": field, "message": error["msg"], "type": error["type"]})
        if len(details) >= limit:
            break
    return details
