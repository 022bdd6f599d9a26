"""Pure webhook handling: GitHub Actions and GitLab CI deliveries to ``RunUpsert`` (no web, no DB).

Every ``webhooks/<name>.py`` registers one ``Provider`` when imported; this package imports them
all at the end, so ``PROVIDERS`` is complete as soon as it can be used. The web layer needs no
knowledge of any provider::

    provider = PROVIDERS[name]                           # "github", "gitlab"
    if not provider.verify(secret, headers, raw):        # before anything reads the body
        ...                                              # 401
    delivery = provider.delivery_id(headers, raw)        # dedupe key, or None
    payload = provider.parse(headers, raw)               # WebhookError -> 400
    run = provider.translate(headers, payload)           # WebhookError -> 400; None -> 2xx, ignore

Hostile or malformed input, everywhere in this package:

- ``verify`` never raises: a missing, repeated-but-wrong, malformed or non-ASCII signature header,
  and an empty configured secret, are all ``False``.
- ``parse`` raises ``WebhookError`` (a ``ValueError``) for a body that is not UTF-8, not JSON,
  nested deeper than the JSON parser allows, uses ``NaN``/``Infinity``, holds an integer past
  Python's 4,300-digit limit, or whose top level is not an object. Duplicate keys: the last wins.
- ``translate`` raises only ``WebhookError``, whose message names the offending field (dotted
  path): a required part missing, or any named field of the wrong JSON type (``null`` is always
  the same as absent for optional fields), an unreadable timestamp, an id or number out of the
  64-bit range, a non-finite or absurd duration. Unknown fields are ignored; unknown *values* of
  statuses, conclusions and failure reasons are kept verbatim (enums are open sets).
- Strings are passed on as sent (no trimming, no length cap); bounding them is the store's job.
- The body size is not limited here: the web layer caps it before calling ``parse``.

Headers are looked up case-insensitively in any ``Mapping[str, str]`` (a ``dict`` or Starlette
``Headers``); when a name is present more than once, the first occurrence is used.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ciwhy.ingest.runs import RunUpsert

Headers = Mapping[str, str]

#: Longest delivery id accepted; a longer header value is treated as absent (no dedupe).
DELIVERY_ID_MAX = 200


class WebhookError(ValueError):
    """A delivery this service cannot read: the message says which field, never echoes values."""


@dataclass(frozen=True, slots=True)
class Provider:
    """One webhook sender: how to authenticate, deduplicate, decode and map its deliveries."""

    name: str
    #: ``verify(secret, headers, raw_body)``: True only for an authentic delivery; never raises.
    verify: Callable[[str, Headers, bytes], bool]
    #: ``delivery_id(headers, raw_body)``: the sender's id of this delivery, or None.
    delivery_id: Callable[[Headers, bytes], str | None]
    #: ``parse(headers, raw_body)``: the JSON object delivered; ``WebhookError`` otherwise.
    parse: Callable[[Headers, bytes], dict[str, Any]]
    #: ``translate(headers, payload)``: the run it reports, None for events we do not store.
    translate: Callable[[Headers, dict[str, Any]], RunUpsert | None]


PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Add ``provider`` to ``PROVIDERS``; a name can be taken once."""
    if provider.name in PROVIDERS:
        raise ValueError(f"webhook provider {provider.name!r} is already registered")
    PROVIDERS[provider.name] = provider
    return provider


def header(headers: Headers, name: str) -> str | None:
    """The first value of header ``name`` in any letter case, or None when absent."""
    wanted = name.lower()
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == wanted:
            return value if isinstance(value, str) else None
    return None


def delivery_header(headers: Headers, *names: str) -> str | None:
    """The first of ``names`` present with a usable id: stripped, non-empty, printable ASCII and
    at most ``DELIVERY_ID_MAX`` long. An unusable value counts as absent (the next name is tried):
    a dedupe key must never be a hostile multi-kilobyte or control-character string."""
    for name in names:
        value = header(headers, name)
        if value is None:
            continue
        value = value.strip()
        if 0 < len(value) <= DELIVERY_ID_MAX and value.isascii() and value.isprintable():
            return value
    return None


def _refuse_constant(name: str) -> Any:
    raise WebhookError(f"the body uses {name}, which is not JSON")


def json_object(raw: bytes | str, what: str = "the body") -> dict[str, Any]:
    """Decode ``raw`` (UTF-8 JSON) to a dict; ``WebhookError`` naming ``what`` otherwise."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise WebhookError(f"{what} is not UTF-8") from None
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except WebhookError:
        raise
    except RecursionError:
        raise WebhookError(f"{what} is nested too deeply") from None
    except ValueError:  # JSONDecodeError, and integers past the 4,300-digit limit
        raise WebhookError(f"{what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise WebhookError(f"{what} must be a JSON object, not {_json_type(value)}")
    return value


def _json_type(value: object) -> str:
    names: dict[type, str] = {list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


# Imported for their registration; they need Provider and register, defined above.
from ciwhy.ingest.webhooks import github, gitlab  # noqa: E402

__all__ = [
    "DELIVERY_ID_MAX",
    "PROVIDERS",
    "Headers",
    "Provider",
    "WebhookError",
    "delivery_header",
    "github",
    "gitlab",
    "header",
    "json_object",
    "register",
]
