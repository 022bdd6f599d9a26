"""Email over SMTP (stdlib smtplib): STARTTLS (default, port 587), implicit TLS (ssl, 465)
or none (25, for a relay on a trusted network); optional login."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from ciwhy.notify.channels.base import (
    TIMEOUT,
    ChannelKind,
    ConfigError,
    Context,
    DeliveryError,
    Field,
)
from ciwhy.notify.message import Message

PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class Email(ChannelKind):
    name, label = "email", "Email (SMTP)"
    fields = (
        Field("host", "SMTP host"),
        Field(
            "port",
            "Port",
            required=False,
            kind="int",
            help="Default: 587 (starttls), 465 (ssl), 25 (none)",
        ),
        Field(
            "security",
            "Security",
            required=False,
            kind="choice",
            choices=("starttls", "ssl", "none"),
            default="starttls",
        ),
        Field("username", "User", required=False),
        Field("password", "Password", required=False, secret=True),
        Field("from", "From", kind="emails", help="One address"),
        Field("to", "To", kind="emails", help="Addresses, comma-separated"),
    )

    def check(self, config: dict[str, Any]) -> None:
        if len(config["from"]) != 1:
            raise ConfigError("from", "must be one address")
        config["from"] = config["from"][0]
        if bool(config.get("username")) != bool(config.get("password")):
            raise ConfigError("password", "username and password go together")

    def compose(self, config: dict[str, Any], m: Message, ctx: Context) -> EmailMessage:
        msg = EmailMessage()
        msg["Subject"] = f"[ciwhy] {m.title}"[:200]
        msg["From"] = config["from"]
        msg["To"] = ", ".join(config["to"])
        msg["Date"] = formatdate(usegmt=True)
        domain = config["from"].rsplit("@", 1)[-1]
        # Stable across retries: a mail client shows a repeated delivery as one message.
        msg["Message-ID"] = f"<ciwhy.{ctx.channel_id}.{ctx.outbox_id}@{domain}>"
        msg.set_content(m.text() + "\n")
        return msg

    def send(self, config: dict[str, Any], message: Message, ctx: Context) -> int | None:
        security = config.get("security", "starttls")
        port = config.get("port") or PORTS[security]
        msg = self.compose(config, message, ctx)
        try:
            if security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    config["host"], port, timeout=TIMEOUT, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(config["host"], port, timeout=TIMEOUT)
            with smtp:
                if security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if config.get("username"):
                    smtp.login(config["username"], config["password"])
                refused = smtp.send_message(msg)
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"[:300], exc.smtp_code
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}"[:300]) from None
        if refused:
            raise DeliveryError(f"refused recipients: {', '.join(refused)}")
        return 250
