"""What every channel kind is: declared config fields (enough to generate a form), a
validation of a config against them, and a `send`. HTTP goes through `post` (httpx, 10 s).

Bad input: `ChannelKind.validate` raises `ConfigError` naming the first bad field (missing,
unknown, wrong type, a URL that is not http(s), an out-of-range number). `send` raises
`DeliveryError` (with the HTTP status when there was one) when the receiver did not take it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from ciwhy.notify.message import Message

TIMEOUT = 10.0
MASK = "********"
COLOURS = {"high": 0xD93025, "medium": 0xF29900, "low": 0x1A73E8}
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")


class ConfigError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class DeliveryError(Exception):
    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class Field:
    """One config field. kind: string | url | int | choice | emails."""

    name: str
    label: str
    required: bool = True
    secret: bool = False
    kind: str = "string"
    choices: tuple[str, ...] = ()
    default: Any = None
    help: str = ""
    minimum: int = 1
    maximum: int = 65535

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "required": self.required,
            "secret": self.secret,
            "kind": self.kind,
            "choices": list(self.choices),
            "default": self.default,
            "help": self.help,
        }

    def check(self, value: Any) -> Any:
        """The value, normalised; ConfigError when it does not fit."""
        return _CHECKS[self.kind](self, value)


def _string(f: Field, v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ConfigError(f.name, "must be a non-empty string")
    if len(v) > 2000:
        raise ConfigError(f.name, "is longer than 2000 characters")
    return v.strip()


def _url(f: Field, v: Any) -> str:
    s = _string(f, v)
    u = urlsplit(s)
    if u.scheme not in ("http", "https") or not u.hostname:
        raise ConfigError(f.name, "must be an http:// or https:// URL with a host")
    return s


def _int(f: Field, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int | str):
        raise ConfigError(f.name, "must be a whole number")
    try:
        n = int(v)
    except ValueError:
        raise ConfigError(f.name, "must be a whole number") from None
    if not f.minimum <= n <= f.maximum:
        raise ConfigError(f.name, f"must be between {f.minimum} and {f.maximum}")
    return n


def _choice(f: Field, v: Any) -> str:
    if v not in f.choices:
        raise ConfigError(f.name, f"must be one of {', '.join(f.choices)}")
    return str(v)


def _emails(f: Field, v: Any) -> list[str]:
    items = [p.strip() for p in v.split(",")] if isinstance(v, str) else v
    if not isinstance(items, list) or not items:
        raise ConfigError(f.name, "must be a list of email addresses")
    for a in items:
        if not isinstance(a, str) or not _EMAIL.match(a):
            raise ConfigError(f.name, f"{str(a)[:80]!r} is not an email address")
    return list(items)


_CHECKS = {"string": _string, "url": _url, "int": _int, "choice": _choice, "emails": _emails}


@dataclass(frozen=True)
class Context:
    """About this delivery: the outbox id (stable across retries) and attempt number."""

    outbox_id: int
    attempt: int
    kind: str  # analysis | digest | test
    channel_id: str = ""


class ChannelKind:
    name = ""
    label = ""
    fields: tuple[Field, ...] = ()

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.name,
            "label": self.label,
            "fields": [f.as_dict() for f in self.fields],
        }

    def validate(self, config: Any) -> dict[str, Any]:
        """The config normalised, defaults filled in; ConfigError naming the bad field."""
        if not isinstance(config, Mapping):
            raise ConfigError("config", "must be an object")
        known = {f.name: f for f in self.fields}
        for key in config:
            if key not in known:
                raise ConfigError(str(key), f"is not a field of a {self.name} channel")
        out: dict[str, Any] = {}
        for f in self.fields:
            value = config.get(f.name)
            if value is None or value == "":
                if f.required:
                    raise ConfigError(f.name, "is required")
                if f.default is not None:
                    out[f.name] = f.default
                continue
            out[f.name] = f.check(value)
        self.check(out)
        return out

    def check(self, config: dict[str, Any]) -> None:
        """Checks across fields (a kind overrides it); ConfigError when they do not agree."""

    def secrets(self, config: Mapping[str, Any]) -> list[str]:
        return [str(config[f.name]) for f in self.fields if f.secret and config.get(f.name)]

    def masked(self, config: Mapping[str, Any]) -> dict[str, Any]:
        secret = {f.name for f in self.fields if f.secret}
        return {k: (MASK if k in secret and v else v) for k, v in config.items()}

    def send(self, config: dict[str, Any], message: Message, ctx: Context) -> int | None:
        """Deliver; the receiver's status code (None without one). DeliveryError otherwise."""
        raise NotImplementedError


def post(
    url: str,
    json_body: Any = None,
    *,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    method: str = "POST",
) -> int:
    """One HTTP request; the status when 2xx, else DeliveryError (status, start of body)."""
    try:
        r = httpx.request(
            method, url, json=json_body, content=content, headers=headers, timeout=TIMEOUT
        )
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
    if not 200 <= r.status_code < 300:
        raise DeliveryError(f"HTTP {r.status_code}: {r.text[:200]}", r.status_code)
    return r.status_code


def colour(severity: str | None) -> int:
    return COLOURS.get(severity or "", 0x5F6368)
