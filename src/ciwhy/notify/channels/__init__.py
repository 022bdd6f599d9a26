"""The channel kinds, by name: `KINDS["slack"].validate(config)`, `.send(config, msg, ctx)`,
`.describe()` (the fields a form needs). A new kind is one class registered here."""

from __future__ import annotations

from ciwhy.notify.channels.base import (
    MASK,
    ChannelKind,
    ConfigError,
    Context,
    DeliveryError,
    Field,
)
from ciwhy.notify.channels.chat import Discord, Matrix, Slack, Teams, Telegram
from ciwhy.notify.channels.smtp import Email
from ciwhy.notify.channels.webhook import Webhook

KINDS: dict[str, ChannelKind] = {}


def register(kind: ChannelKind) -> ChannelKind:
    KINDS[kind.name] = kind
    return kind


for _kind in (Slack(), Telegram(), Matrix(), Discord(), Teams(), Webhook(), Email()):
    register(_kind)


def kind_of(name: str) -> ChannelKind:
    """The registered kind; ConfigError("kind") for an unknown name."""
    try:
        return KINDS[name]
    except KeyError:
        raise ConfigError("kind", f"must be one of {', '.join(sorted(KINDS))}") from None


__all__ = [
    "KINDS",
    "MASK",
    "ChannelKind",
    "ConfigError",
    "Context",
    "DeliveryError",
    "Field",
    "kind_of",
    "register",
]
