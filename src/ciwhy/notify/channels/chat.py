"""Chat channels: Slack, Discord and Microsoft Teams incoming webhooks, the Telegram Bot API
and Matrix. Each message is short: title linking to the analysis, root cause, facts."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from ciwhy.notify.channels.base import (
    ChannelKind,
    ConfigError,
    Context,
    Field,
    colour,
    post,
)
from ciwhy.notify.message import Message


def _slack_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class IncomingWebhook(ChannelKind):
    """A chat that takes messages at an incoming-webhook URL: POST the kind's JSON body."""

    def body(self, config: dict[str, Any], m: Message) -> dict[str, Any]:
        raise NotImplementedError

    def send(self, config: dict[str, Any], message: Message, ctx: Context) -> int | None:
        return post(config["webhook_url"], self.body(config, message))


class Slack(IncomingWebhook):
    name, label = "slack", "Slack"
    fields = (
        Field("webhook_url", "Incoming webhook URL", secret=True, kind="url"),
        Field(
            "format",
            "Format",
            required=False,
            kind="choice",
            choices=("blocks", "text"),
            default="blocks",
            help="Block Kit or plain text",
        ),
    )

    def body(self, config: dict[str, Any], m: Message) -> dict[str, Any]:
        if config.get("format") == "text":
            return {"text": m.text()}
        head = f"*<{m.link}|{_slack_escape(m.title)}>*"
        if m.root_cause:
            head += "\n" + _slack_escape(m.root_cause)
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "mrkdwn", "text": head}}
        ]
        if m.facts():
            facts = " · ".join(f"*{k}:* {_slack_escape(v)}" for k, v in m.facts())
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": facts}]})
        if m.lines:
            body = "\n".join(_slack_escape(x) for x in m.lines)[:2900]
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body}})
        return {"text": m.title, "blocks": blocks}


class Discord(IncomingWebhook):
    name, label = "discord", "Discord"
    fields = (
        Field("webhook_url", "Webhook URL", secret=True, kind="url"),
        Field(
            "format",
            "Format",
            required=False,
            kind="choice",
            choices=("embed", "text"),
            default="embed",
            help="An embed or plain content",
        ),
    )

    def body(self, config: dict[str, Any], m: Message) -> dict[str, Any]:
        # Nobody is pinged by text that came from a log (@everyone, role mentions).
        quiet: dict[str, list[str]] = {"parse": []}
        if config.get("format") == "text":
            return {"content": m.text()[:2000], "allowed_mentions": quiet}
        desc = "\n".join([m.root_cause or "", *m.lines]).strip()[:4000]
        embed = {
            "title": m.title[:256],
            "url": m.link,
            "description": desc,
            "color": colour(m.severity),
            "fields": [{"name": k, "value": v[:1024], "inline": True} for k, v in m.facts()],
        }
        return {"embeds": [embed], "allowed_mentions": quiet}


class Teams(IncomingWebhook):
    name, label = "teams", "Microsoft Teams"
    fields = (
        Field("webhook_url", "Incoming webhook URL", secret=True, kind="url"),
        Field(
            "format",
            "Card",
            required=False,
            kind="choice",
            choices=("messagecard", "adaptive"),
            default="messagecard",
            help="MessageCard (Office 365 connectors) or Adaptive Card (Workflows)",
        ),
    )

    def body(self, config: dict[str, Any], m: Message) -> dict[str, Any]:
        text = "\n\n".join([m.root_cause or "", *m.lines]).strip()
        if config.get("format") == "adaptive":
            card = {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": [
                    {"type": "TextBlock", "text": m.title, "weight": "Bolder", "wrap": True},
                    {"type": "TextBlock", "text": text, "wrap": True},
                    {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in m.facts()]},
                ],
                "actions": [{"type": "Action.OpenUrl", "title": "Open", "url": m.link}],
            }
            return {
                "type": "message",
                "attachments": [
                    {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
                ],
            }
        return {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": m.title,
            "themeColor": f"{colour(m.severity):06X}",
            "title": m.title,
            "sections": [{"text": text, "facts": [{"name": k, "value": v} for k, v in m.facts()]}],
            "potentialAction": [
                {"@type": "OpenUri", "name": "Open", "targets": [{"os": "default", "uri": m.link}]}
            ],
        }


def _html(m: Message) -> str:
    """Telegram's and Matrix's HTML subset; every text from the analysis is escaped."""
    e = html.escape
    parts = [f'<b><a href="{e(m.link)}">{e(m.title)}</a></b>']
    if m.root_cause:
        parts.append(e(m.root_cause))
    if m.facts():
        parts.append("<i>" + e(" · ".join(f"{k}: {v}" for k, v in m.facts())) + "</i>")
    parts += [e(x) for x in m.lines]
    return "\n".join(parts)


class Telegram(ChannelKind):
    name, label = "telegram", "Telegram"
    fields = (
        Field("bot_token", "Bot token", secret=True),
        Field("chat_id", "Chat id", help="e.g. -1001234567890 or @channelname"),
        Field(
            "api_url",
            "Bot API URL",
            required=False,
            kind="url",
            default="https://api.telegram.org",
            help="For a local Bot API server",
        ),
    )

    def body(self, config: dict[str, Any], m: Message) -> dict[str, Any]:
        return {
            "chat_id": config["chat_id"],
            "text": _html(m)[:4096],
            "parse_mode": "HTML",
            "disable_web_page_preview": True,
        }

    def send(self, config: dict[str, Any], message: Message, ctx: Context) -> int | None:
        api = config.get("api_url", "https://api.telegram.org").rstrip("/")
        return post(f"{api}/bot{config['bot_token']}/sendMessage", self.body(config, message))


class Matrix(ChannelKind):
    name, label = "matrix", "Matrix"
    fields = (
        Field("homeserver", "Homeserver URL", kind="url", help="e.g. https://matrix.org"),
        Field("room_id", "Room id", help="!abc123:example.org (Room settings → Advanced)"),
        Field("access_token", "Access token", secret=True),
    )

    def check(self, config: dict[str, Any]) -> None:
        if not config["room_id"].startswith("!") or ":" not in config["room_id"]:
            raise ConfigError("room_id", "must be a room id like !abc123:example.org")

    def body(self, m: Message) -> dict[str, Any]:
        return {
            "msgtype": "m.notice",
            "body": m.text(),
            "format": "org.matrix.custom.html",
            "formatted_body": _html(m).replace("\n", "<br>"),
        }

    def send(self, config: dict[str, Any], message: Message, ctx: Context) -> int | None:
        # The transaction id is the channel's and the outbox row's: a retry of the same
        # message is deduplicated by the homeserver, a new database never collides with it.
        room = quote(config["room_id"], safe="")
        url = (
            f"{config['homeserver'].rstrip('/')}/_matrix/client/v3/rooms/{room}"
            f"/send/m.room.message/ciwhy-{ctx.channel_id}-{ctx.outbox_id}"
        )
        headers = {"Authorization": f"Bearer {config['access_token']}"}
        return post(url, self.body(message), headers=headers, method="PUT")
