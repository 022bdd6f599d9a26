"""Client commands against a ciwhy server: `auth`, `ingest`, `analyses`. The server URL and
token come from CIWHY_URL / CIWHY_TOKEN, else from `ciwhy auth login` (keyring, or a 0600
file). Inside a CI job, `ingest` takes its flags from the job's environment (ci_env.py)."""

from __future__ import annotations

import json
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from ciwhy.cli import ci_env, credentials

auth_app = typer.Typer(help="Sign the CLI in to a ciwhy server.", no_args_is_help=True)
analyses_app = typer.Typer(help="Read analyses from the server.", no_args_is_help=True)
MAX_LOG = 10 * 1024 * 1024
_RELATIVE = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"ciwhy: {message}", err=True)
    return typer.Exit(code)


def _creds() -> credentials.Credentials:
    try:
        return credentials.load()
    except credentials.CredentialsError as exc:
        raise _fail(str(exc), 2) from exc


def _client(creds: credentials.Credentials | None = None) -> httpx.Client:
    creds = creds or _creds()
    if not creds.token:
        raise _fail("no token: run `ciwhy auth login` or set CIWHY_TOKEN", 2)
    return httpx.Client(
        base_url=creds.url, headers={"Authorization": f"Bearer {creds.token}"}, timeout=60
    )


def _call(client: httpx.Client, method: str, path: str, **kw: Any) -> Any:
    try:
        r = client.request(method, path, **kw)
    except httpx.HTTPError as exc:
        raise _fail(f"cannot reach {client.base_url}: {exc}") from exc
    if r.status_code >= 400:
        try:
            msg = r.json().get("error") or r.text
        except ValueError:
            msg = r.text
        raise _fail(f"{r.status_code}: {msg}")
    return r.json()


@auth_app.command("login")
def login(
    url: Annotated[str, typer.Option(help="Server URL.")] = credentials.DEFAULT_URL,
    token: Annotated[str | None, typer.Option(help="API token (asked for when absent).")] = None,
) -> None:
    """Check a token against the server, then remember it."""
    token = token or typer.prompt("API token", hide_input=True)
    url = credentials.normalize_url(url)
    with _client(credentials.Credentials(url, token, "arg")) as c:
        me = _call(c, "GET", "/api/v1/auth/whoami")
    try:
        where = credentials.save(url, token)
    except credentials.CredentialsError as exc:
        raise _fail(str(exc), 2) from exc
    typer.echo(f"signed in to {url} as {me['name']} of {me['tenant']} ({' '.join(me['scopes'])})")
    typer.echo(f"token kept in {where}")


@auth_app.command("status")
def status() -> None:
    """Which server and token the CLI uses, and whether the server accepts it."""
    creds = _creds()
    if not creds.token:
        raise _fail(f"not signed in ({creds.url}); run `ciwhy auth login`")
    with _client(creds) as c:
        me = _call(c, "GET", "/api/v1/auth/whoami")
    scopes = " ".join(me["scopes"])
    typer.echo(f"{creds.url}: {me['name']} of {me['tenant']} ({scopes}); token from {creds.source}")


@auth_app.command("logout")
def logout() -> None:
    """Forget the saved token."""
    credentials.clear()
    typer.echo("signed out")


def _read_log(name: str) -> str:
    from ciwhy.analysis.lines import decompress

    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise _fail(f"{name}: {exc.strerror or exc}", 1) from exc
    data, _ = decompress(data)
    text = data.decode("utf-8", "replace")
    if len(text.encode()) > MAX_LOG:  # the cause is at the end: keep the last 10 MiB
        typer.echo(f"ciwhy: {name} is over 10 MiB; sending its last 10 MiB", err=True)
        text = text.encode()[-MAX_LOG + 1024 :].decode("utf-8", "ignore")
    return text


def ingest(
    log_file: Annotated[str, typer.Option("--log-file", help="The job's log; - reads stdin.")],
    provider: Annotated[str | None, typer.Option(help="CI system (default: detected).")] = None,
    project: Annotated[
        str | None, typer.Option(help="owner/repo or job (default: detected).")
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="Job status (default: detected, else failed).")
    ] = None,
    pipeline_id: Annotated[str | None, typer.Option()] = None,
    job_id: Annotated[str | None, typer.Option()] = None,
    job_name: Annotated[str | None, typer.Option()] = None,
    branch: Annotated[str | None, typer.Option()] = None,
    commit_sha: Annotated[str | None, typer.Option()] = None,
    pipeline_url: Annotated[str | None, typer.Option()] = None,
    build_number: Annotated[str | None, typer.Option()] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Wait for the analysis; print it.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Send a failed job's log to the server; prints the analysis id."""
    ctx = ci_env.detect()
    given = {
        "provider": provider or (ctx.vendor if ctx else None),
        "project": project or (ctx.project if ctx else None),
        "status": status or (ctx.status if ctx and ctx.status else "failed"),
        "pipeline_id": pipeline_id or (ctx.pipeline_id if ctx else None),
        "job_id": job_id or (ctx.job_id if ctx else None),
        "job_name": job_name or (ctx.job_name if ctx else None),
        "branch": branch or (ctx.branch if ctx else None),
        "commit_sha": commit_sha or (ctx.commit_sha if ctx else None),
        "pipeline_url": pipeline_url or (ctx.pipeline_url if ctx else None),
        "build_number": build_number or (ctx.build_number if ctx else None),
    }
    missing = [k for k in ("provider", "project") if not given[k]]
    if missing:
        flags = ", ".join("--" + m for m in missing)
        raise _fail(f"not in a known CI job: give {flags}", 2)
    body = {k: v for k, v in given.items() if v is not None} | {"log": _read_log(log_file)}
    with _client() as c:
        aid = _call(c, "POST", "/api/ingest/log", json=body)["analysis_id"]
        if not wait:
            typer.echo(json.dumps({"analysis_id": aid}) if as_json else aid)
            return
        a = _wait(c, aid)
    typer.echo(json.dumps(a) if as_json else render(a))


def _wait(c: httpx.Client, aid: str, timeout: float = 300) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        a = _call(c, "GET", f"/api/v1/analyses/{aid}")
        if a["state"] != "queued":
            return a
        time.sleep(0.2)
    raise _fail(f"analysis {aid} not ready after {timeout:.0f} s")


def render(a: dict[str, Any]) -> str:
    """An analysis from the API, as a short readable report."""
    if a["state"] == "failed":
        return f"{a['id']}: the analysis failed: {a['error']}"
    if a["state"] == "queued":
        return f"{a['id']}: queued"
    out = [
        f"{a['project_path']} · {a['provider']} · {a['status']} · {a['created_at']}",
        f"Root cause: {a['root_cause']}",
        f"{a['category']} · {a['severity']} · confidence {a['confidence']:.2f}",
        f"Why: {a['explanation']}",
        f"Fix: {a['fix_suggestion']}",
    ]
    for t in a["failing_tests"][:10]:
        where = f" ({t['file']}:{t['line']})" if t.get("file") else ""
        out.append(f"Failing test: {t['name']}{where}")
    for block in a["excerpt"]:
        for k, line in enumerate(block["text"].split("\n")):
            n = block["start_line"] + k
            mark = ">" if n == a.get("root_cause_line") else " "
            out.append(f"{mark}{n:6d} | {line[:300]}")
    return "\n".join(out)


def _when(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    m = _RELATIVE.match(value.strip())
    if m:
        ago = timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})
        return (datetime.now(UTC) - ago).isoformat()
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _fail(f"--{name}: use 24h, 7d, 30m, 2w or an ISO 8601 time", 2) from exc
    return value


@analyses_app.command("list")
def analyses_list(
    since: Annotated[str | None, typer.Option(help="24h, 7d, or ISO 8601.")] = None,
    until: Annotated[str | None, typer.Option(help="24h, 7d, or ISO 8601.")] = None,
    severity: Annotated[str | None, typer.Option(help="low, medium or high.")] = None,
    project: Annotated[str | None, typer.Option()] = None,
    source: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    all_pages: Annotated[bool, typer.Option("--all", help="Follow every page.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines, one analysis each.")] = False,
) -> None:
    """Analyses, newest first."""
    params = {
        "since": _when(since, "since"),
        "until": _when(until, "until"),
        "severity": severity,
        "project": project,
        "source": source,
        "limit": limit,
    }
    params = {k: v for k, v in params.items() if v is not None}
    with _client() as c:
        while True:
            page = _call(c, "GET", "/api/v1/analyses", params=params)
            for a in page["items"]:
                typer.echo(json.dumps(a) if as_json else _row(a))
            if not all_pages or not page["next_cursor"]:
                break
            params["cursor"] = page["next_cursor"]


def _row(a: dict[str, Any]) -> str:
    cause = (a["root_cause"] or a["state"])[:90]
    sev = a["severity"] or "-"
    return f"{a['id']}  {a['created_at'][:19]}  {sev:<6} {a['project_path'][:30]:<30} {cause}"


@analyses_app.command("show")
def analyses_show(
    analysis_id: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One analysis."""
    with _client() as c:
        a = _call(c, "GET", f"/api/v1/analyses/{analysis_id}")
    typer.echo(json.dumps(a) if as_json else render(a))


def register(app: typer.Typer) -> None:
    app.add_typer(auth_app, name="auth")
    app.command("ingest")(ingest)
    app.add_typer(analyses_app, name="analyses")
