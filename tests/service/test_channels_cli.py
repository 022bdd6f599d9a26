"""`ciwhy channels add|list|test|remove` against a real database and a real HTTP receiver on
loopback: what an admin without the dashboard does."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

from tests.service.conftest import Server


class Receiver(BaseHTTPRequestHandler):
    bodies: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        n = int(self.headers.get("Content-Length", "0"))
        Receiver.bodies.append(self.rfile.read(n))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_channels_from_the_command_line(server: Server) -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/hook"
    tenant = f"cli-{uuid.uuid4().hex[:6]}"
    try:
        bad = server.cli("channels", "add", "--tenant", tenant, "--name", "x", "--kind", "webhook",
                         "--set", "url=ftp://nope", check=False)  # fmt: skip
        assert bad.returncode != 0 and "url" in bad.stderr
        unknown = server.cli("channels", "add", "--tenant", tenant, "--name", "x", "--kind",
                             "pager", check=False)  # fmt: skip
        assert unknown.returncode != 0
        out = server.cli("channels", "add", "--tenant", tenant, "--name", "ops", "--kind",
                         "webhook", "--set", f"url={url}", "--set", "secret=s3cr3t-value-123",
                         "--min-severity", "high", "--project", "acme/api")  # fmt: skip
        cid = out.stdout.strip().splitlines()[-1].split()[0]
        listed = json.loads(server.cli("channels", "list", "--tenant", tenant, "--json").stdout)
        mine = [c for c in listed if c["id"] == cid]
        assert len(mine) == 1 and mine[0]["kind"] == "webhook"
        assert mine[0]["min_severity"] == "high" and mine[0]["projects"] == ["acme/api"]
        assert "s3cr3t-value-123" not in json.dumps(listed)  # secrets are masked
        Receiver.bodies.clear()
        sent = server.cli("channels", "test", cid)
        assert sent.returncode == 0 and Receiver.bodies, sent.stdout + sent.stderr
        server.cli("channels", "remove", cid)
        listed = json.loads(server.cli("channels", "list", "--tenant", tenant, "--json").stdout)
        assert all(c["id"] != cid for c in listed)
        gone = server.cli("channels", "remove", cid, check=False)
        assert gone.returncode != 0
    finally:
        httpd.shutdown()
