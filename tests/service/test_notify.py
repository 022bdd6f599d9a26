"""Notifications delivered to real receivers on loopback (HTTP servers and an SMTP server
started here; nothing mocked), on SQLite and PostgreSQL: the shape of each channel kind's
message, and the whole path through the real server (a channel created over the API, a
failed log ingested, the message received with its root cause and link)."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from aiosmtpd.controller import Controller

from ciwhy import clock
from ciwhy.analysis.engine import analyse
from ciwhy.ingest.submission import Submission
from ciwhy.notify import manage
from ciwhy.notify.channels.webhook import verify
from ciwhy.notify.sender import Sender
from ciwhy.store import Store, queue, tokens
from tests.service.conftest import (
    Server,
    _free_port,
    wait_analysed,
)
from tests.service.test_ingest import payload

RESULT = analyse("npm ERR! code ELIFECYCLE\nnpm ERR! Test failed.\n")
BASE = "http://ciwhy.test"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET = "s3cret-signing-key-0123"


@dataclasses.dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """A real HTTP server on loopback that records every request and answers with the
    next of `statuses` (then 200)."""

    def __init__(self, port: int = 0, statuses: tuple[int, ...] = ()) -> None:
        self.requests: list[Request] = []
        self.statuses = list(statuses)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append(
                    Request(
                        self.command,
                        self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                    )
                )
                status = outer.statuses.pop(0) if outer.statuses else 200
                out = b'{"ok": true}' if status < 300 else b'{"ok": false}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_POST = do_PUT = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def at(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def wait(self, pred: Callable[[Request], bool], timeout: float = 30) -> Request:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for r in list(self.requests):
                if pred(r):
                    return r
            time.sleep(0.02)
        raise AssertionError(f"no matching request in {timeout} s: {self.requests}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"

    def __init__(self) -> None:
        self.messages: list[Any] = []


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(autouse=True)
def _thaw() -> Iterator[None]:
    yield
    clock.freeze(None)


def open_store(url: str, tmp_path: Path) -> Store:
    store = Store.open(url, tmp_path / "spool")
    store.migrate()
    return store


def analysed(
    store: Store,
    tid: str,
    *,
    severity: str = "high",
    project: str = "acme/app",
    fp: str = "f1",
    status: str = "failed",
    branch: str | None = "main",
) -> str:
    """A run stored and analysed as the worker would (Store.complete), with this result."""
    sub = Submission(
        source="generic_ingest",
        provider="ci",
        project=project,
        status=status,
        vendor_status=status,
        log="npm ERR! Test failed.\n",
        branch=branch,
    )
    ((aid, _),) = store.submit_many([(tid, sub)])
    job = queue.claim(store.engine, "test", 60, 3)
    assert job is not None and job.analysis_id == aid
    fingerprint = dataclasses.replace(RESULT.fingerprint, hash=fp)
    store.complete(job, dataclasses.replace(RESULT, severity=severity, fingerprint=fingerprint))
    return aid


def drain(sender: Sender, limit: int = 50) -> int:
    n = 0
    while sender.run_once():
        n += 1
        assert n < limit
    return n


def test_each_kind_delivers_its_shape(url: str, tmp_path: Path, receiver: Receiver) -> None:
    store = open_store(url, tmp_path)
    tid = tokens.ensure_tenant(store.engine, "kinds")
    box = Mailbox()
    smtp = Controller(box, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    try:
        r = receiver.url
        configs = {
            "slack": {"webhook_url": f"{r}/slack"},
            "discord": {"webhook_url": f"{r}/discord"},
            "teams": {"webhook_url": f"{r}/teams"},
            "webhook": {"url": f"{r}/hook", "secret": SECRET},
            "telegram": {"bot_token": "123:ABC", "chat_id": "-100200", "api_url": r},
            "matrix": {"homeserver": r, "room_id": "!room:example.org", "access_token": "tok"},
            "email": {
                "host": "127.0.0.1",
                "port": smtp.port,
                "security": "none",
                "from": "ciwhy@example.org",
                "to": "a@example.org, b@example.org",
            },
        }
        ids = {k: manage.create_channel(store.engine, tid, k, k, c) for k, c in configs.items()}
        aid = analysed(store, tid, project="acme/<shop>", branch="main")
        sender = Sender(store.engine, base=BASE)
        assert drain(sender) == 7
        link = f"{BASE}/analyses/{aid}"
        cause = RESULT.root_cause

        (slack,) = receiver.at("/slack")
        blocks = slack.json()["blocks"]
        assert blocks[0]["type"] == "section" and link in blocks[0]["text"]["text"]
        assert "acme/&lt;shop&gt;" in json.dumps(blocks)  # mrkdwn escaped
        (discord,) = receiver.at("/discord")
        embed = discord.json()["embeds"][0]
        assert embed["url"] == link and cause[:50] in embed["description"]
        assert discord.json()["allowed_mentions"] == {"parse": []}
        assert {"name": "Severity", "value": "high", "inline": True} in embed["fields"]
        (teams,) = receiver.at("/teams")
        card = teams.json()
        assert card["@type"] == "MessageCard" and card["title"].startswith("CI failed")
        assert card["potentialAction"][0]["targets"][0]["uri"] == link

        (hook,) = receiver.at("/hook")
        sig, ts = hook.headers["x-ciwhy-signature"], hook.headers["x-ciwhy-timestamp"]
        assert sig.startswith(f"t={ts},v1=") and verify(SECRET, sig, hook.body)
        assert not verify("another-secret-000000", sig, hook.body)
        assert not verify(SECRET, sig, hook.body + b" ")
        late = datetime.fromtimestamp(int(ts), UTC) + timedelta(minutes=6)
        assert not verify(SECRET, sig, hook.body, now=late)  # a replay is refused
        doc = hook.json()
        assert doc["event"] == "analysis" and hook.headers["x-ciwhy-delivery"] == str(
            doc["delivery_id"]
        )
        assert doc["message"]["link"] == link and doc["message"]["root_cause"] == cause
        assert doc["message"]["project"] == "acme/<shop>" and doc["message"]["branch"] == "main"

        (tg,) = receiver.at("/bot123:ABC/sendMessage")
        body = tg.json()
        assert body["chat_id"] == "-100200" and body["parse_mode"] == "HTML"
        assert "acme/&lt;shop&gt;" in body["text"] and f'href="{link}"' in body["text"]
        (mx,) = [q for q in receiver.requests if q.path.startswith("/_matrix/")]
        assert mx.method == "PUT" and mx.headers["authorization"] == "Bearer tok"
        room, _, txn = (
            unquote(mx.path)
            .removeprefix("/_matrix/client/v3/rooms/")
            .partition("/send/m.room.message/")
        )
        assert room == "!room:example.org" and txn.startswith(f"ciwhy-{ids['matrix']}-")
        assert mx.json()["msgtype"] == "m.notice" and link in mx.json()["body"]

        deadline = time.monotonic() + 10
        while not box.messages and time.monotonic() < deadline:
            time.sleep(0.02)
        (env,) = box.messages
        assert env.mail_from == "ciwhy@example.org"
        assert sorted(env.rcpt_tos) == ["a@example.org", "b@example.org"]
        mail = message_from_bytes(env.content)
        assert mail["Subject"] == "[ciwhy] CI failed: acme/<shop> on main"
        assert mail["Message-ID"].startswith(f"<ciwhy.{ids['email']}.")
        text = mail.get_payload(decode=True).decode()
        assert cause in text and link in text and "Severity: high" in text
        # a second pass finds nothing more to send
        assert drain(sender) == 0 and len(receiver.requests) == 6
    finally:
        smtp.stop()
        store.close()


def test_end_to_end_through_the_server(server: Server) -> None:
    rec = Receiver()
    try:
        tenant = f"n-{uuid.uuid4().hex[:8]}"
        admin = server.client(server.token(tenant, "admin"))
        r = admin.post(
            "/api/v1/channels",
            json={"name": "x", "kind": "webhook", "config": {"url": "ftp://x", "secret": SECRET}},
        )
        assert r.status_code == 400 and r.json()["details"]["field"] == "url", r.text
        r = admin.post("/api/v1/channels", json={"name": "x", "kind": "pager", "config": {}})
        assert r.status_code == 400 and r.json()["details"]["field"] == "kind"
        r = admin.post(
            "/api/v1/channels", json={"name": "x", "kind": "slack", "colour": 1, "config": {}}
        )
        assert r.status_code == 400 and "colour" in r.json()["error"]
        r = admin.post(
            "/api/v1/channels",
            json={
                "name": "builds",
                "kind": "webhook",
                "config": {"url": rec.url + "/in", "secret": SECRET},
                "min_severity": "low",
            },
        )
        assert r.status_code == 201, r.text
        channel = r.json()
        assert channel["config"]["secret"] == "********" and channel["enabled"]
        listed = admin.get("/api/v1/channels").json()["items"]
        assert [c["id"] for c in listed] == [channel["id"]]
        assert SECRET not in json.dumps(listed)
        # another tenant sees none of it
        other = server.client(server.token(f"o-{uuid.uuid4().hex[:8]}", "admin"))
        assert other.get("/api/v1/channels").json()["items"] == []
        assert other.delete(f"/api/v1/channels/{channel['id']}").status_code == 404
        assert (
            server.client(server.token(tenant, "read")).get("/api/v1/channels").status_code == 403
        )

        ing = server.client(server.token(tenant, "ingest"))
        aid = ing.post("/api/ingest/log", json=payload(branch="main")).json()["analysis_id"]
        a = wait_analysed(server.client(server.token(tenant, "read")), aid)
        got = rec.wait(lambda q: q.json()["event"] == "analysis")
        msg = got.json()["message"]
        assert msg["root_cause"] == a["root_cause"] and msg["project"] == "acme/shop"
        assert msg["link"].endswith(f"/analyses/{aid}")
        assert verify(SECRET, got.headers["x-ciwhy-signature"], got.body)

        assert admin.post(f"/api/v1/channels/{channel['id']}/test").status_code == 202
        rec.wait(lambda q: q.json()["event"] == "test")
        # (the worker records a delivery after the receiver has answered: wait for the record)
        deadline = time.monotonic() + 15
        while True:
            log = admin.get(f"/api/v1/channels/{channel['id']}/deliveries").json()["items"]
            if len(log) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert len(log) == 2 and all(d["ok"] and d["status_code"] == 200 for d in log)

        out = server.cli("digest", "--since", "24h", "--tenant", tenant)
        assert "delivered" in out.stdout
        digest = rec.wait(lambda q: q.json()["event"] == "digest").json()["message"]
        assert any(line.startswith("1 failure") for line in digest["lines"])

        r = admin.patch(
            f"/api/v1/channels/{channel['id']}",
            json={"enabled": False, "config": channel["config"]},
        )
        assert r.status_code == 200 and not r.json()["enabled"], r.text
        assert (
            admin.patch(
                f"/api/v1/channels/{channel['id']}", json={"min_severity": "urgent"}
            ).status_code
            == 400
        )
        assert admin.delete(f"/api/v1/channels/{channel['id']}").status_code == 204
        assert admin.get("/api/v1/channels").json()["items"] == []
    finally:
        rec.close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
