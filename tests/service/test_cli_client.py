"""The CLI client against the real server: auth login/status/logout, ingest (flags from a CI
job's environment), analyses list/show."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tests.service.conftest import Server
from tests.service.test_ingest import LOG

GITHUB_ENV = {
    "CI": "true",
    "GITHUB_ACTIONS": "true",
    "GITHUB_REPOSITORY": "acme/cli-shop",
    "GITHUB_RUN_ID": "9001",
    "GITHUB_RUN_NUMBER": "12",
    "GITHUB_JOB": "test",
    "GITHUB_REF_NAME": "main",
    "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
    "GITHUB_SERVER_URL": "https://github.com",
}


def _env(server: Server, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in server.env.items() if not k.startswith(("GITHUB_", "GITLAB", "CI"))}
    env.pop("CIWHY_URL", None)
    return env | {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "HOME": str(tmp_path)} | extra


def test_auth_ingest_and_read_back(server: Server, tmp_path: Path) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    secret = server.token(tenant, "ingest", "read")
    log = tmp_path / "build.log"
    log.write_text(LOG)
    env = _env(server, tmp_path, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    run = lambda *a, check=True: server.cli(*a, env=env, check=check)  # noqa: E731

    out = run("auth", "status", check=False)
    assert out.returncode != 0 and "auth login" in out.stderr
    bad = run("auth", "login", "--url", server.url, "--token", "cwy_wrong", check=False)
    assert bad.returncode == 1 and "401" in bad.stderr
    ok = run("auth", "login", "--url", server.url + "/", "--token", secret)
    assert f"of {tenant}" in ok.stdout
    token_file = tmp_path / "cfg" / "ciwhy" / "token"
    assert token_file.stat().st_mode & 0o777 == 0o600 and secret in token_file.read_text()
    assert tenant in run("auth", "status").stdout

    # in a GitHub Actions job, --log-file is enough
    env_ci = env | GITHUB_ENV
    out = server.cli("ingest", "--log-file", str(log), "--wait", "--json", env=env_ci)
    a = json.loads(out.stdout)
    aid = a["id"]
    assert a["provider"] == "github_actions" and a["project_path"] == "acme/cli-shop"
    assert a["ci_run_id"] == "9001" and a["branch"] == "main" and a["state"] == "analyzed"
    assert a["commit_sha"] == GITHUB_ENV["GITHUB_SHA"]

    listed = run("analyses", "list", "--since", "1h", "--json").stdout.strip().splitlines()
    assert aid in {json.loads(x)["id"] for x in listed}
    shown = run("analyses", "show", aid).stdout
    assert "Root cause:" in shown and "acme/cli-shop" in shown and ">" in shown
    assert run("analyses", "list", "--since", "soon", check=False).returncode == 2
    assert run("analyses", "show", str(uuid.uuid4()), check=False).returncode == 1

    # outside CI, provider and project are required
    out = run("ingest", "--log-file", str(log), check=False)
    assert out.returncode == 2 and "--provider" in out.stderr
    out = run("ingest", "--log-file", str(tmp_path / "missing.log"), "--provider", "x",
              "--project", "y", check=False)  # fmt: skip
    assert out.returncode == 1 and "missing.log" in out.stderr

    run("auth", "logout")
    assert not token_file.exists()
    assert run("auth", "status", check=False).returncode != 0
    # CIWHY_URL / CIWHY_TOKEN override the saved login
    over = server.cli("auth", "status", env=env | {"CIWHY_URL": server.url, "CIWHY_TOKEN": secret})
    assert "token from env" in over.stdout
