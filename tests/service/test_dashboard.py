"""The dashboard over real HTTP on SQLite and PostgreSQL: every page for every role, sign-in
redirects, admin-only settings, escaping of hostile log text and names, filters and paging,
tenant isolation, the settings forms and their CSRF check, static caching."""

from __future__ import annotations

import json
import re
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tests.service.conftest import (
    CIWHY,
    Server,
    _drop_postgres,
    _postgres_database,
    make_server,
    wait_analysed,
)

PASSWORD = "correct horse battery"
HOSTILE_PROJECT = '<script>alert("p")</script>/shop'
HOSTILE_LINE = '  ● cart › <img src=x onerror=alert("log")>'
PLAIN_LINE = "  ● cart › adds an item"
HOSTILE_LOG = (
    f"$ npm test\n> jest\n FAIL  src/cart.test.js\n{HOSTILE_LINE}\n"
    "    expect(received).toBe(expected)\nTests: 1 failed, 12 passed, 13 total\n"
    "npm ERR! code ELIFECYCLE\nnpm ERR! Test failed.  See above for more details.\n"
    "##[error]Process completed with exit code 1.\n"
)
PAGES = ["/", "/?days=7", "/analyses", "/causes", "/pipelines", "/runs", "/tests", "/agents"]
SETTINGS = ["/settings/tokens", "/settings/webhooks", "/settings/users"]


@contextmanager
def dashboard_server(tmp: Path, backend: str) -> Iterator[Server]:
    """The real server (conftest's), with sign-in rate limits a test suite does not hit."""
    pg = _postgres_database() if backend == "postgresql" else None
    if backend == "postgresql" and pg is None:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    url = f"postgresql://postgres@127.0.0.1:5432/{pg}" if pg else None
    srv = make_server(tmp, url, CIWHY_LOGIN_RATE_LIMIT="100000/minute")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
        if pg:
            _drop_postgres(pg)


def add_user(server: Server, tenant: str, role: str) -> str:
    email = f"{role}-{uuid.uuid4().hex[:6]}@{tenant}.example"
    subprocess.run([CIWHY, "users", "create", "--tenant", tenant, "--email", email, "--role",
                    role, "--password-stdin"], input=PASSWORD + "\n", env=server.env,
                   capture_output=True, text=True, check=True, timeout=60)  # fmt: skip
    return email


def sign_in(server: Server, email: str) -> httpx.Client:
    c = httpx.Client(base_url=server.url, timeout=30)
    c.get("/login")
    r = c.post("/login", data={"email": email, "password": PASSWORD, "next": "/",
                               "csrf_token": c.cookies["csrf_token"]})  # fmt: skip
    assert r.status_code == 303, r.text
    return c


@dataclass
class Tenant:
    name: str
    people: dict[str, httpx.Client]
    ids: list[str]
    hostile_id: str
    run_id: str
    fingerprint: str
    hostile_fp: str


def seed(server: Server) -> Tenant:
    """A tenant with 7 analyses (one of them hostile), a run with tests, agents; a user of each
    role signed in."""
    name = f"d-{uuid.uuid4().hex[:8]}"
    ing = server.client(server.token(name, "ingest"))
    rd = server.client(server.token(name, "read"))
    ids = []
    for k in range(6):
        body = {"provider": "GitHub Actions", "project": "acme/shop" if k < 4 else "acme/api",
                "status": "failed", "log": HOSTILE_LOG.replace(HOSTILE_LINE, PLAIN_LINE),
                "job_id": str(k), "pipeline_id": "1", "job_name": "test",
                "pipeline_url": "https://ci.example/p/1"}  # fmt: skip
        ids.append(ing.post("/api/ingest/log", json=body).json()["analysis_id"])
    hostile = ing.post("/api/ingest/log", json={
        "provider": "GitHub Actions", "project": HOSTILE_PROJECT, "status": "failed",
        "log": HOSTILE_LOG, "job_id": "h", "job_name": '"><b>job</b>',
        "pipeline_url": "javascript:alert(1)",
    }).json()["analysis_id"]  # fmt: skip
    ids.append(hostile)
    done = [wait_analysed(rd, aid) for aid in ids]
    bid = ing.post("/ingest/builds", json={
        "jobName": "acme/api/main", "buildNumber": 41, "status": "failure", "duration": 93_000,
        "startedAt": "2026-11-20T10:00:00Z", "completedAt": "2026-11-20T10:01:33Z",
        "externalRunId": uuid.uuid4().hex, "branch": "<i>main</i>", "jenkinsInstanceId": "j1",
    }).json()["id"]  # fmt: skip
    tests = [{"classname": "tests.api", "name": "test_login", "status": "failed",
              "duration": 40, "message": "<svg onload=alert(1)>"}]  # fmt: skip
    assert ing.post("/ingest/tests", json={"buildId": bid, "tests": tests}).status_code == 200
    agents = {"jenkinsInstanceId": "j1",
              "agents": [{"name": "linux-<1>", "state": "busy", "labels": ["linux"]}],
              "queue": [{"jobName": "acme/web", "waitMs": 60_000}]}  # fmt: skip
    assert ing.post("/ingest/agents", json=agents).status_code == 200
    people = {role: sign_in(server, add_user(server, name, role))
              for role in ("viewer", "member", "admin")}  # fmt: skip
    return Tenant(
        name,
        people,
        ids,
        hostile,
        bid,
        done[0]["fingerprint"]["hash"],
        done[-1]["fingerprint"]["hash"],
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory) -> Iterator[tuple[Server, Tenant]]:
    with dashboard_server(tmp_path_factory.mktemp(request.param), request.param) as srv:
        yield srv, seed(srv)


@pytest.mark.parametrize("path", [*PAGES, *SETTINGS, "/analyses/x", "/runs/x"])
def test_signed_out_visitor_is_sent_to_sign_in(site, path: str) -> None:
    server, _ = site
    r = httpx.get(server.url + path)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ["viewer", "member", "admin"])
def test_every_page_renders_for_every_role(site, role: str) -> None:
    _, t = site
    c = t.people[role]
    details = [f"/analyses/{t.hostile_id}", f"/runs/{t.run_id}", f"/causes/{t.fingerprint}"]
    for path in PAGES + details:
        r = c.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        assert r.headers["content-type"].startswith("text/html")
        assert "no-store" in r.headers["cache-control"]
        assert '<main id="main"' in r.text and 'href="#main"' in r.text
        assert ('href="/settings"' in r.text) == (role == "admin")
    for path in SETTINGS:
        r = c.get(path)
        assert r.status_code == (200 if role == "admin" else 403), path
    for path in ("/analyses/nope", "/runs/nope", "/causes/nope", "/settings/nope"):
        if path.startswith("/settings") and role != "admin":
            continue
        assert c.get(path).status_code == 404


def test_hostile_text_is_escaped_everywhere(site) -> None:
    _, t = site
    c = t.people["viewer"]
    pages = ["/", "/analyses", f"/analyses/{t.hostile_id}", "/causes", f"/causes/{t.hostile_fp}",
             f"/runs/{t.run_id}", "/runs", "/agents", "/tests"]  # fmt: skip
    for path in pages:
        html = c.get(path).text
        for raw in ("<script>alert", "<img src=x", "<b>job</b>", "<svg onload", "<i>main</i>",
                    "linux-<1>", 'href="javascript:'):  # fmt: skip
            assert raw not in html, (path, raw)
    detail = c.get(f"/analyses/{t.hostile_id}").text
    assert "&lt;script&gt;alert(&#34;p&#34;)&lt;/script&gt;/shop" in detail
    assert "&lt;img src=x onerror=alert(&#34;log&#34;)&gt;" in detail
    assert "javascript:alert(1)" in detail  # shown as text, never as a link
    assert 'href="https://ci.example/p/1"' in c.get(f"/analyses/{t.ids[0]}").text
    assert "&lt;svg onload=alert(1)&gt;" in c.get(f"/runs/{t.run_id}").text


def test_detail_marks_the_cause_line_and_links_its_group(site) -> None:
    _, t = site
    html = t.people["viewer"].get(f"/analyses/{t.ids[0]}").text
    marked = re.search(r'<tr id="L(\d+)" class="cause-line"><th scope="row">(\d+)</th>', html)
    assert marked and marked.group(1) == marked.group(2)
    assert f'href="/causes/{t.fingerprint}"' in html
    assert re.search(r"Seen <strong>\d+</strong> times", html)
    cause = t.people["viewer"].get(f"/causes/{t.fingerprint}").text
    assert 'role="img"' in cause and f'href="/analyses/{t.ids[0]}"' in cause


def _ids(html: str) -> list[str]:
    return re.findall(r'<td class="cause"><a href="/analyses/([0-9a-f-]{36})">', html)


def test_filters_and_cursor_pages(site) -> None:
    _, t = site
    c = t.people["member"]
    assert sorted(_ids(c.get("/analyses").text)) == sorted(t.ids)
    api = _ids(c.get("/analyses", params={"project": "acme/api"}).text)
    assert sorted(api) == sorted(t.ids[4:6])
    assert _ids(c.get("/analyses", params={"project": HOSTILE_PROJECT}).text) == [t.hostile_id]
    assert _ids(c.get("/analyses", params={"until": "2001-01-01"}).text) == []
    assert len(_ids(c.get("/analyses", params={"since": "2001-01-01"}).text)) == 7
    assert _ids(c.get("/analyses", params={"source": "nope"}).text) == []
    sev = c.get("/analyses", params={"severity": "high"}).text
    assert all(f"/analyses/{i}" in c.get("/analyses").text for i in _ids(sev))
    seen, url = [], "/analyses?limit=3&project=acme%2Fshop"
    while url:
        html = c.get(url).text
        got = _ids(html)
        assert len(got) <= 3
        seen += got
        nxt = re.search(r'<a href="(\?[^"]+)" rel="next">', html)
        url = "/analyses" + nxt.group(1).replace("&amp;", "&") if nxt else None
    assert sorted(seen) == sorted(t.ids[:4]) and len(seen) == 4
    for bad in ({"severity": "fatal"}, {"since": "yesterday"},
                {"since": "2026-02-01", "until": "2026-01-01"}):  # fmt: skip
        r = c.get("/analyses", params=bad)
        assert r.status_code == 400 and 'role="alert"' in r.text
    stale = c.get("/analyses", params={"cursor": "garbage"})
    assert stale.status_code == 200 and "stale" in stale.text


def test_another_tenants_analysis_is_not_found(site) -> None:
    server, t = site
    other = f"o-{uuid.uuid4().hex[:6]}"
    stranger = sign_in(server, add_user(server, other, "admin"))
    assert stranger.get(f"/analyses/{t.ids[0]}").status_code == 404
    assert stranger.get(f"/runs/{t.run_id}").status_code == 404
    assert stranger.get(f"/causes/{t.fingerprint}").status_code == 404
    assert _ids(stranger.get("/analyses").text) == []
    assert t.name not in stranger.get("/settings/tokens").text


def _post(c: httpx.Client, path: str, **data: str | list[str]) -> httpx.Response:
    return c.post(path, data={"csrf_token": c.cookies["csrf_token"], **data})


def test_tokens_created_once_listed_revoked(site) -> None:
    server, t = site
    admin = t.people["admin"]
    r = _post(admin, "/settings/tokens/create", name="jenkins <prod>", scopes=["ingest", "read"])
    assert r.status_code == 200
    secret = re.search(r'value="(cwy_[^"]+)"', r.text).group(1)
    assert "jenkins &lt;prod&gt;" in r.text
    who = httpx.get(server.url + "/api/v1/auth/whoami",
                    headers={"Authorization": f"Bearer {secret}"}).json()  # fmt: skip
    assert who["tenant"] == t.name and who["scopes"] == ["ingest", "read"]
    listing = admin.get("/settings/tokens").text
    assert secret not in listing and "jenkins &lt;prod&gt;" in listing
    token_id = who["token_id"]
    assert _post(admin, "/settings/tokens/revoke", token_id="not-mine").status_code == 400
    r = _post(admin, "/settings/tokens/revoke", token_id=token_id)
    assert r.status_code == 200 and "revoked" in r.text
    assert _post(admin, "/settings/tokens/create", name="x").status_code == 400  # no scope


def test_mutations_need_csrf_and_the_admin_role(site) -> None:
    _, t = site
    admin, member = t.people["admin"], t.people["member"]
    r = admin.post("/settings/tokens/create", data={"name": "x", "scopes": "read"})
    assert r.status_code == 403 and r.json()["code"] == "csrf_failed"
    r = admin.post("/settings/tokens/create", data={"name": "x", "scopes": "read",
                                                    "csrf_token": "forged"})  # fmt: skip
    assert r.status_code == 403
    assert _post(member, "/settings/tokens/create", name="x", scopes="read").status_code == 403


def test_webhooks_and_users_settings(site) -> None:
    server, t = site
    admin = t.people["admin"]
    assert "Create a github receiver" in admin.get("/settings/webhooks").text
    r = _post(admin, "/settings/webhooks/enable", provider="github")
    url = re.search(r'value="(http://[^"]+/webhooks/github/[^"]+)"', r.text)
    assert r.status_code == 200 and url
    first = re.search(r'id="sec-github" class="mono" readonly value="([^"]+)"', r.text).group(1)
    r = _post(admin, "/settings/webhooks/rotate", provider="github")
    second = re.search(r'id="sec-github" class="mono" readonly value="([^"]+)"', r.text).group(1)
    assert first != second and url.group(1) in r.text
    assert _post(admin, "/settings/webhooks/rotate", provider="nope").status_code == 400
    email = f"new-{uuid.uuid4().hex[:6]}@example.com"
    r = _post(admin, "/settings/users/create", email=email, role="viewer", password=PASSWORD)
    assert r.status_code == 200 and email in r.text
    assert _post(admin, "/settings/users/create", email=email, role="viewer",
                 password=PASSWORD).status_code == 400  # fmt: skip
    newbie = sign_in(server, email)
    assert newbie.get("/").status_code == 200
    uid = re.search(r'name="user_id" value="([^"]+)"', admin.get("/settings/users").text)
    assert uid
    users_page = admin.get("/settings/users").text
    target = re.search(re.escape(email) + r".*?name=\"user_id\" value=\"([^\"]+)\"", users_page,
                       re.S).group(1)  # fmt: skip
    assert _post(admin, "/settings/users/disable", user_id=target).status_code == 200
    assert newbie.get("/").status_code == 303  # the session ended


def test_static_files_are_cached_and_referenced_by_hash(site) -> None:
    _, t = site
    html = t.people["viewer"].get("/").text
    css = re.search(r'href="(/static/app\.css\?v=[0-9a-f]{12})"', html).group(1)
    js = re.search(r'src="(/static/app\.js\?v=[0-9a-f]{12})"', html).group(1)
    for path in (css, js):
        r = t.people["viewer"].get(path)
        assert r.status_code == 200 and "immutable" in r.headers["cache-control"]
    assert "http" not in re.sub(r'https?://[^"]*(w3\.org|ci\.example)[^"]*', "", html.split(
        "<body>")[0])  # no third-party fonts, scripts or styles  # fmt: skip


@contextmanager
def receiver() -> Iterator[tuple[str, list[dict]]]:
    """A webhook receiver on loopback that takes every POST (204); what it got."""
    got: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            got.append({"path": self.path, "body": json.loads(body or b"null")})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/hook", got
    finally:
        srv.shutdown()
        srv.server_close()


def test_notification_channels(site) -> None:
    from ciwhy.notify.channels import KINDS

    _, t = site
    admin = t.people["admin"]
    for name, kind in KINDS.items():  # the form is generated from each kind's fields
        html = admin.get("/settings/channels", params={"kind": name}).text
        assert f'name="kind" value="{name}"' in html
        for f in kind.fields:
            assert f'name="config.{f.name}"' in html and f.label in html.replace("&#39;", "'")
    data = {"kind": "webhook", "name": "ops <hook>", "config.url": "javascript:alert(1)",
            "config.secret": "s3cret-s3cret-s3cret", "min_severity": "high",
            "projects": "acme/api, acme/shop"}  # fmt: skip
    bad = _post(admin, "/settings/channels/create", **data)
    assert bad.status_code == 400 and "URL:" in bad.text
    with receiver() as (url, got):
        r = _post(admin, "/settings/channels/create", **{**data, "config.url": url})
        assert r.status_code == 200 and "ops &lt;hook&gt;" in r.text
        cid = re.search(r'name="channel_id" value="([^"]+)"', r.text).group(1)
        r = _post(admin, "/settings/channels/test", channel_id=cid)
        assert r.status_code == 200 and "on its way" in r.text
        deadline = time.monotonic() + 30
        while "delivered</span> HTTP 204" not in admin.get("/settings/channels").text:
            assert time.monotonic() < deadline, "the test message was not delivered"
            time.sleep(0.2)
        assert got and got[0]["path"] == "/hook"
    page = admin.get("/settings/channels").text
    assert "s3cret-s3cret-s3cret" not in page and "acme/api, acme/shop" in page
    assert "From high severity" in page
    changed = _post(admin, "/settings/channels/rule", channel_id=cid, min_severity="low",
                    projects="acme/web", new_causes_only="on")  # fmt: skip
    assert changed.status_code == 200 and "is saved" in changed.text
    assert "From low severity · acme/web · new causes only" in changed.text
    wrong = _post(admin, "/settings/channels/rule", channel_id=cid, min_severity="urgent")
    assert wrong.status_code == 400 and "From low severity" in wrong.text
    assert "paused" in _post(admin, "/settings/channels/toggle", channel_id=cid).text
    assert _post(admin, "/settings/channels/toggle", channel_id="nope").status_code == 400
    assert t.people["member"].get("/settings/channels").status_code == 403
    r = _post(admin, "/settings/channels/delete", channel_id=cid)
    assert r.status_code == 200 and "No channels yet." in r.text
