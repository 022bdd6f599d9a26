"""Browser sign-in over real HTTP: users from the CLI, argon2 passwords, the session cookie's
flags, CSRF double submit, no open redirect, rate limits, logout, disabled users, and the
legacy list answering the session cookie."""

from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest

from tests.service.conftest import CIWHY, Server, make_server

PASSWORD = "correct horse battery staple"


def ciwhy_users(server: Server, args: list[str], password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return subprocess.run([CIWHY, "users", "create", *args, "--password-stdin"],
                          input=password + "\n", env=server.env, capture_output=True, text=True,
                          timeout=60)  # fmt: skip


def create_user(server: Server, tenant: str, role: str = "admin") -> str:
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    out = ciwhy_users(server, ["--tenant", tenant, "--email", email, "--role", role])
    assert out.returncode == 0, out.stderr
    return email


def browser(server: Server) -> httpx.Client:
    return httpx.Client(base_url=server.url, follow_redirects=False, timeout=30)


def sign_in(server: Server, email: str, password: str = PASSWORD) -> httpx.Client:
    c = browser(server)
    c.get("/login")
    r = c.post("/login", data={"email": email, "password": password, "next": "/analyses",
                               "csrf_token": c.cookies["csrf_token"]})  # fmt: skip
    assert r.status_code == 303, r.text
    return c


def test_cli_refuses_bad_users(server: Server) -> None:
    email = f"{uuid.uuid4().hex[:6]}@example.com"
    for args, text in ((["--role", "root"], "role"), (["--email", "nope"], "email")):
        opts = {"--tenant": "t", "--email": email, "--role": "admin", **dict([args])}
        out = ciwhy_users(server, [x for kv in opts.items() for x in kv])
        assert out.returncode == 2 and text in out.stderr
    short = ciwhy_users(server, ["--tenant", "t", "--email", email], "short")
    assert short.returncode == 2 and "at least" in short.stderr
    taken = create_user(server, "t")
    again = ciwhy_users(server, ["--tenant", "t", "--email", taken.upper()])
    assert again.returncode == 2 and "exists" in again.stderr


def test_sign_in_sets_a_safe_session_cookie(server: Server) -> None:
    email = create_user(server, f"a-{uuid.uuid4().hex[:6]}")
    c = browser(server)
    page = c.get("/login")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    token = c.cookies["csrf_token"]
    assert re.search(r"csrf_token=[^;]+;.*SameSite=lax", page.headers["set-cookie"], re.I)
    r = c.post("/login", data={"email": email, "password": PASSWORD, "next": "/analyses",
                               "csrf_token": token})  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/analyses"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("ciwhy_session=") and "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower() and "secure" not in cookie.lower()  # plain http
    assert c.get("/api/analyses").status_code == 200
    assert c.get("/login").status_code == 303  # signed in already


def test_wrong_credentials_and_missing_csrf(server: Server) -> None:
    email = create_user(server, f"b-{uuid.uuid4().hex[:6]}")
    c = browser(server)
    c.get("/login")
    no_csrf = c.post("/login", data={"email": email, "password": PASSWORD})
    assert no_csrf.status_code == 403 and "ciwhy_session" not in no_csrf.headers.get(
        "set-cookie", ""
    )
    token = c.cookies["csrf_token"]
    wrong = c.post("/login", data={"email": email, "password": "x" * 12, "csrf_token": token})
    unknown = c.post("/login", data={"email": "nobody@example.com", "password": PASSWORD,
                                     "csrf_token": token})  # fmt: skip
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong email or password" in wrong.text and "ciwhy_session" not in c.cookies
    hostile = c.post("/login", data={"email": "<script>alert(1)</script>@x.io", "password": "p",
                                     "csrf_token": token})  # fmt: skip
    assert "<script>alert(1)" not in hostile.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil", ""])
def test_no_open_redirect(server: Server, target: str) -> None:
    email = create_user(server, f"c-{uuid.uuid4().hex[:6]}")
    c = browser(server)
    c.get("/login")
    r = c.post("/login", data={"email": email, "password": PASSWORD, "next": target,
                               "csrf_token": c.cookies["csrf_token"]})  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_logout_needs_csrf_and_ends_the_session(server: Server) -> None:
    email = create_user(server, f"d-{uuid.uuid4().hex[:6]}")
    c = sign_in(server, email)
    assert c.post("/logout").status_code == 403
    r = c.post("/logout", headers={"X-CSRF-Token": c.cookies["csrf_token"]})
    assert r.status_code == 303
    stolen = browser(server)
    assert stolen.get("/api/analyses").status_code == 401


def test_the_legacy_list_answers_the_session_of_its_tenant(server: Server) -> None:
    tenant = f"e-{uuid.uuid4().hex[:6]}"
    ing = server.client(server.token(tenant, "ingest"))
    body = {"provider": "ci", "project": "acme/x", "status": "failed", "log": "error: boom\n"}
    assert ing.post("/api/ingest/log", json=body).status_code == 202
    c = sign_in(server, create_user(server, tenant, role="viewer"))
    got = c.get("/api/analyses").json()
    assert got["total"] == 1 and got["items"][0]["project_path"] == "acme/x"
    other = sign_in(server, create_user(server, tenant + "-other"))
    assert other.get("/api/analyses").json()["total"] == 0
    forged = browser(server)
    forged.cookies.set("ciwhy_session", "x" * 43)
    assert forged.get("/api/analyses").status_code == 401


def test_csrf_endpoint_hands_out_a_fresh_token(server: Server) -> None:
    c = browser(server)
    r = c.get("/api/auth/csrf")
    assert r.status_code == 200 and r.json()["csrf_token"] == c.cookies["csrf_token"]
    assert c.get("/api/auth/csrf").json()["csrf_token"] != r.json()["csrf_token"]


def test_disabled_users_are_signed_out(server: Server) -> None:
    from ciwhy.config import Settings
    from ciwhy.store import Store, users

    tenant = f"f-{uuid.uuid4().hex[:6]}"
    email = create_user(server, tenant)
    c = sign_in(server, email)
    store = Store.from_settings(Settings.from_env(server.env))
    try:
        user = users.authenticate_password(store.engine, email, PASSWORD)
        assert user is not None and users.disable_user(store.engine, user.tenant_id, user.id)
    finally:
        store.close()
    assert c.get("/api/analyses").status_code == 401
    c2 = browser(server)
    c2.get("/login")
    r = c2.post("/login", data={"email": email, "password": PASSWORD,
                                "csrf_token": c2.cookies["csrf_token"]})  # fmt: skip
    assert r.status_code == 401


def test_sign_in_is_rate_limited(tmp_path: Path) -> None:
    srv = make_server(tmp_path, None, CIWHY_LOGIN_RATE_LIMIT="3/minute")
    srv.start()
    try:
        c = browser(srv)
        c.get("/login")
        codes = [c.post("/login", data={"email": "x@example.com", "password": "wrong-one-1",
                                        "csrf_token": c.cookies["csrf_token"]}).status_code
                 for _ in range(5)]  # fmt: skip
        assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429]
    finally:
        srv.stop()


def test_a_browser_gets_an_html_403_and_a_script_json(server: Server) -> None:
    c = sign_in(server, create_user(server, f"g-{uuid.uuid4().hex[:6]}", role="viewer"))
    page = c.get("/settings/tokens", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
    assert "<h1>403</h1>" in page.text and "admin" in page.text
    script = c.get("/settings/tokens", headers={"Accept": "application/json"})
    assert script.status_code == 403 and script.json()["code"] == "forbidden"
    api = c.get("/api/v1/analyses/nope", headers={"Accept": "text/html"})
    assert api.headers["content-type"].startswith("application/json")  # the API stays JSON
