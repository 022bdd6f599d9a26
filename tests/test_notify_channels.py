"""Channel kinds without a network: config validation names the bad field, secrets are
masked, every kind declares a form, the webhook signature and the backoff schedule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ciwhy.notify import rules
from ciwhy.notify.channels import KINDS, MASK, ConfigError, kind_of
from ciwhy.notify.channels.webhook import sign, verify
from ciwhy.notify.message import build
from ciwhy.store.outbox import backoff


@pytest.mark.parametrize(
    ("kind", "config", "field"),
    [
        ("slack", {}, "webhook_url"),
        ("slack", {"webhook_url": "ftp://example.org/x"}, "webhook_url"),
        ("slack", {"webhook_url": "https://example.org/x", "colour": "red"}, "colour"),
        ("slack", {"webhook_url": "https://example.org/x", "format": "html"}, "format"),
        ("discord", {"webhook_url": "javascript:alert(1)"}, "webhook_url"),
        ("teams", {"webhook_url": "https:///nohost"}, "webhook_url"),
        ("telegram", {"bot_token": "1:A"}, "chat_id"),
        ("telegram", {"bot_token": "1:A", "chat_id": "1", "api_url": "file:///x"}, "api_url"),
        ("matrix", {"homeserver": "https://m.org", "room_id": "#alias:m.org",
                    "access_token": "t"}, "room_id"),
        ("webhook", {"url": "https://example.org", "secret": "short"}, "secret"),
        ("email", {"host": "h", "from": "a@b.c", "to": "not-an-address"}, "to"),
        ("email", {"host": "h", "from": "a@b.c", "to": ["x@y.z"], "port": 70000}, "port"),
        ("email", {"host": "h", "from": "a@b.c", "to": ["x@y.z"], "username": "u"}, "password"),
        ("pager", {}, "kind"),
    ],
)  # fmt: skip
def test_bad_configs_name_the_field(kind: str, config: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError) as err:
        kind_of(kind).validate(config)
    assert err.value.field == field and field in str(err.value)


def test_valid_configs_are_normalised_and_masked() -> None:
    email = KINDS["email"].validate({"host": "smtp.example.org", "from": "ci@example.org",
                                     "to": "a@example.org, b@example.org",
                                     "username": "u", "password": "p4ss"})  # fmt: skip
    assert email["to"] == ["a@example.org", "b@example.org"] and email["security"] == "starttls"
    assert KINDS["email"].masked(email)["password"] == MASK
    assert KINDS["email"].masked(email)["host"] == "smtp.example.org"
    tg = KINDS["telegram"].validate({"bot_token": "1:A", "chat_id": "@c"})
    assert tg["api_url"] == "https://api.telegram.org" and KINDS["telegram"].secrets(tg) == ["1:A"]


def test_every_kind_declares_its_form() -> None:
    assert set(KINDS) == {"slack", "telegram", "matrix", "discord", "teams", "webhook", "email"}
    for k in KINDS.values():
        d = k.describe()
        assert d["kind"] == k.name and d["fields"]
        for f in d["fields"]:
            assert set(f) >= {"name", "label", "required", "secret", "kind"}
    secret = {(k, f.name) for k, kind in KINDS.items() for f in kind.fields if f.secret}
    assert ("telegram", "bot_token") in secret and ("webhook", "secret") in secret


def test_signature_verification() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    ts = int(now.timestamp())
    body = b'{"event":"test"}'
    header = f"t={ts},v1={sign('k' * 16, ts, body)}"
    assert verify("k" * 16, header, body, now=now)
    assert not verify("k" * 16, header.replace("t=", "t=1"), body, now=now)
    for bad in ("", "t=x,v1=y", "v1=abc", "garbage"):
        assert not verify("k" * 16, bad, body, now=now)


def test_backoff_and_rules() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4)] == [10, 30, 90, 270]
    assert backoff(20) == 3600
    with pytest.raises(rules.RuleError, match="min_severity"):
        rules.parse_severity("urgent")
    for bad in ("acme/app", [], [""], ["a", "a"], [1]):
        with pytest.raises(rules.RuleError, match="projects"):
            rules.parse_projects(bad)
    r = rules.Rule("medium", ("acme/app",), True)
    assert rules.wants(r, "high", "acme/app", True)
    assert not rules.wants(r, "low", "acme/app", True)
    assert not rules.wants(r, "high", "acme/api", True)
    assert not rules.wants(r, "high", "acme/app", False)


def test_messages_are_short() -> None:
    m = build("analysis", {"analysis_id": "a1", "project": "p", "branch": None,
                           "severity": "low", "category": "test",
                           "root_cause": "x" * 300}, "https://ci.example.org")  # fmt: skip
    assert m.link == "https://ci.example.org/analyses/a1" and m.title == "CI failed: p"
    assert len(m.text()) < 500
