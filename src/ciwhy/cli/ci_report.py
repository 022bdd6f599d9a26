"""`ciwhy report`: run as a CI job's last step, it uploads the job's run, its JUnit results and
its log to a ciwhy server, and prints the root cause when the job failed (docs/ci-report.md).

Three requests, in order: ``POST /api/ingest/run`` (``X-API-Key``; the RunWatch pipeline-run
body, see ci_report_env.run_body) gives the ``pipeline_run_id``; then ``POST /ingest/tests``
once per JUnit file and ``POST /ingest/build-logs`` for the log (``Authorization: Bearer``, raw
bytes, ``?buildId=<pipeline_run_id>``). Files are streamed, ``.gz`` logs decompressed on the way.

Exit status: 0 when everything was sent, whatever the job's status; 1 when the server refused
something or could not be reached; 2 for usage errors (nothing to identify the run, unreadable
files, no token). A ``--junit`` glob that matches nothing is only a warning.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

import httpx
import typer
from typer import Option

from ciwhy.cli import credentials
from ciwhy.cli.ci_report_env import FAILURES, UsageError, gather, read_check, run_body

CHUNK = 256 * 1024
PROGRESS_MIN = 512 * 1024  # files at least this large get a progress bar
RUN_PATH = "/api/ingest/run"
TESTS_PATH = "/ingest/tests"
LOGS_PATH = "/ingest/build-logs"
REDACTED = "<redacted>"
Str = str | None
Strs = list[str] | None


class Refused(Exception):
    """The server said no, or could not be reached: exit status 1."""


@dataclass(frozen=True)
class Upload:
    """One file to send: its path, its size on disk, whether it is sent gunzipped."""

    kind: str  # "tests" or "log"
    path: str
    size: int
    gunzip: bool = False

    def describe(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "decompressed": self.gunzip}


@dataclass
class Outcome:
    """What was sent and what the server answered, for --json and the exit status."""

    server: str
    run: dict[str, Any] = field(default_factory=dict)
    tests: list[dict[str, Any]] = field(default_factory=list)
    log: dict[str, Any] | None = None
    analysis: dict[str, Any] | None = None
    errors: list[str] = field(default_factory=list)


def _junit_files(patterns: list[str], warn: Callable[[str], None]) -> list[Upload]:
    seen: dict[str, Upload] = {}
    for pattern in patterns:
        matched = sorted(glob.glob(pattern, recursive=True))
        files = [m for m in matched if not os.path.isdir(m)]
        if not files:
            warn(f"--junit {pattern!r} matched no file")
        for path in files:
            if path not in seen:
                seen[path] = Upload("tests", path, read_check(path))
    return list(seen.values())


def _log_file(path: str) -> Upload:
    size = read_check(path)
    with open(path, "rb") as handle:
        gz = path.endswith(".gz") and handle.read(2) == b"\x1f\x8b"
    return Upload("log", path, size, gunzip=gz)


def _chunks(upload: Upload, advance: Callable[[int], None]) -> Iterator[bytes]:
    """The file's bytes, ``CHUNK`` at a time. A plain file is cut at the size it had when the
    command started (a log still being written must match its Content-Length)."""
    with open(upload.path, "rb") as raw:
        if upload.gunzip:
            with gzip.GzipFile(fileobj=raw, mode="rb") as src:
                while chunk := src.read(CHUNK):
                    advance(raw.tell())
                    yield chunk
            return
        left = upload.size
        while left > 0 and (chunk := raw.read(min(CHUNK, left))):
            left -= len(chunk)
            advance(upload.size - left)
            yield chunk


def _progress(upload: Upload, show: bool) -> Any:
    if not show or upload.size < PROGRESS_MIN:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    console = Console(stderr=True)  # a CI log (no terminal) gets the finished bar, once
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console,
        transient=console.is_terminal,
    )


def _answer(r: httpx.Response) -> dict[str, Any]:
    try:
        data = r.json()
    except ValueError:
        return {"error": r.text[:300]}
    return data if isinstance(data, dict) else {"value": data}


def _send(client: httpx.Client, path: str, headers: dict[str, str], content: Any) -> Any:
    """POST and return the JSON answer; Refused with a message naming the server otherwise."""
    where = f"{client.base_url}".rstrip("/") + path.split("?")[0]
    try:
        r = client.post(path, headers=headers, content=content)
    except httpx.HTTPError as exc:
        raise Refused(f"cannot reach {where}: {exc}") from exc
    body = _answer(r)
    if r.status_code >= 400:
        raise Refused(f"{where} refused it: {r.status_code} {body.get('error') or r.reason_phrase}")
    return body


def _upload(
    client: httpx.Client, upload: Upload, path: str, headers: dict[str, str], show: bool
) -> Any:
    with _progress(upload, show) as bar:
        task = bar.add_task(os.path.basename(upload.path), total=upload.size) if bar else None
        advance = (lambda n: bar.update(task, completed=n)) if bar else (lambda n: None)
        if not upload.gunzip:
            headers = {**headers, "Content-Length": str(upload.size)}
        try:
            return _send(client, path, headers, _chunks(upload, advance))
        except (OSError, EOFError, zlib.error) as exc:
            raise Refused(f"{upload.path}: could not be sent: {exc}") from exc


def _plan(body: dict[str, Any], uploads: list[Upload], token: str | None) -> list[dict[str, Any]]:
    """The requests, as --dry-run prints them: the token's value never appears."""
    shown = REDACTED if token else "<no token>"
    out: list[dict[str, Any]] = [
        {
            "method": "POST",
            "path": RUN_PATH,
            "json": body,
            "headers": {"Content-Type": "application/json", "X-API-Key": shown},
        }
    ]
    for u in uploads:
        path, ctype = (
            (TESTS_PATH, "application/xml")
            if u.kind == "tests"
            else (LOGS_PATH, "text/plain; charset=utf-8")
        )
        headers = {"Content-Type": ctype, "Authorization": f"Bearer {shown}"}
        out.append(
            {
                "method": "POST",
                "path": f"{path}?buildId=<pipeline_run_id>",
                "headers": headers,
                "file": u.describe(),
            }
        )
    return out


def _wait_analysis(client: httpx.Client, aid: str, seconds: float) -> dict[str, Any] | None:
    """The analysis once it is done, polling ``GET /api/v1/analyses/{id}`` (client.py's
    ``_wait``); None when it is not done in ``seconds``. Read errors become Refused."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            r = client.get(f"/api/v1/analyses/{quote(aid, safe='')}")
        except httpx.HTTPError as exc:
            raise Refused(f"cannot reach {client.base_url}: {exc}") from exc
        a = _answer(r)
        if r.status_code >= 400:
            raise Refused(f"{r.status_code} {a.get('error')}")
        if a.get("state") != "queued":
            return dict(a)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.5)


def _credentials(server: str | None, token: str | None) -> credentials.Credentials:
    """``--server``/``--token``, else CIWHY_URL/CIWHY_TOKEN, else what `ciwhy auth login` saved
    for that server (credentials.load: a token is only sent to the server it was saved for)."""
    env = dict(os.environ)
    if server:
        env[credentials.URL_ENV] = server
    try:
        creds = credentials.load(env)
    except credentials.CredentialsError as exc:
        raise UsageError(str(exc)) from exc
    if token and token.strip():
        creds = credentials.Credentials(creds.url, token.strip(), "arg")
    if creds.token and not (creds.token.isascii() and creds.token.isprintable()):
        raise UsageError(f"the token (from {creds.source}) is not printable ASCII")
    return creds


def _deliver(
    client: httpx.Client,
    token: str,
    body: dict[str, Any],
    uploads: list[Upload],
    out: Outcome,
    *,
    failed: bool,
    wait: float,
    show: bool,
) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json", "X-API-Key": token}
    answer = _send(client, RUN_PATH, headers, data)
    run_id = answer.get("pipeline_run_id")
    if not isinstance(run_id, str) or not run_id:
        raise Refused(f"{client.base_url}{RUN_PATH} gave no pipeline_run_id: {str(answer)[:200]}")
    out.run = {"sent": body, "answer": answer, "pipeline_run_id": run_id}
    query = f"?buildId={quote(run_id, safe='')}"
    bearer = {"Authorization": f"Bearer {token}"}
    for u in uploads:
        is_log = u.kind == "log"
        path = (LOGS_PATH if is_log else TESTS_PATH) + query
        ctype = "text/plain; charset=utf-8" if is_log else "application/xml"
        row: dict[str, Any] = u.describe()
        try:
            row["answer"] = _upload(client, u, path, {**bearer, "Content-Type": ctype}, show)
        except Refused as exc:
            row["error"] = str(exc)
            out.errors.append(str(exc))
        if is_log:
            out.log = row
        else:
            out.tests.append(row)
    aid = (out.log or {}).get("answer", {}).get("analysis_id")
    if aid and failed and wait > 0:
        try:
            out.analysis = _wait_analysis(client, str(aid), wait) or {"id": aid, "state": "queued"}
        except Refused as exc:  # an ingest-only token may not read: everything was sent
            out.analysis = {"id": aid, "state": "unknown", "error": str(exc)}


def _print_summary(out: Outcome, echo: Callable[[str], None]) -> None:
    run = out.run.get("sent", {})
    echo(
        f"reported {run.get('ci_vendor')} {run.get('repository')} run {run.get('run_id')} "
        f"({run.get('status')}) to {out.server}: {out.run.get('pipeline_run_id')}"
    )
    for t in out.tests:
        ok = f"{t['answer'].get('received', '?')} test cases" if "answer" in t else t["error"]
        echo(f"tests {t['path']}: {ok}")
    if out.log:
        a = out.log.get("answer") or {}
        ok = f"stored={a.get('stored')} analysis={a.get('analysis_id')}" if a else out.log["error"]
        echo(f"log {out.log['path']}: {ok}")
    a = out.analysis
    if a and a.get("state") == "analyzed":
        echo(f"Root cause: {a.get('root_cause')}")
        if a.get("fix_suggestion"):
            echo(f"Fix: {a['fix_suggestion']}")
    elif a:
        echo(f"analysis {a['id']}: {a.get('state')} (see `ciwhy analyses show {a['id']}`)")


def report(
    junit: Annotated[Strs, Option("--junit", help="JUnit XML files or a glob; may repeat.")] = None,
    log_file: Annotated[Str, Option("--log-file", help="The job's log (plain or .gz).")] = None,
    status: Annotated[Str, Option(help="success, failure, cancelled, ... or an exit code.")] = None,
    pipeline: Annotated[Str, Option(help="Pipeline or workflow name.")] = None,
    project: Annotated[Str, Option(help="Repository slug, owner/repo.")] = None,
    run_id: Annotated[Str, Option("--run-id", help="The CI's run id.")] = None,
    server: Annotated[Str, Option(help="Server URL (default: CIWHY_URL, else saved).")] = None,
    token: Annotated[Str, Option(help="API token (default: CIWHY_TOKEN, else saved).")] = None,
    wait: Annotated[float, Option(min=0, help="Seconds to wait for a root cause.")] = 30,
    dry_run: Annotated[bool, Option("--dry-run", help="Print the requests; send none.")] = False,
    as_json: Annotated[bool, Option("--json", help="Print a JSON summary.")] = False,
    quiet: Annotated[bool, Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    """Report this CI job to a ciwhy server: its run, JUnit results and log.

    Exit status 0 when everything was sent (whatever the job's status), 1 when the server
    refused something or could not be reached, 2 for usage errors.
    """

    def err(message: str) -> None:
        typer.echo(f"ciwhy: {message}", err=True)

    def warn(message: str) -> None:
        if not quiet:
            err(f"warning: {message}")

    now = datetime.now(UTC)
    try:
        facts = gather(
            os.environ, now=now, status=status, project=project, pipeline=pipeline, run_id=run_id
        )
        uploads = _junit_files(junit or [], warn)
        if log_file:
            uploads.append(_log_file(log_file))
        creds = _credentials(server, token)
        if not creds.token and not dry_run:
            raise UsageError(f"no token for {creds.url}: set CIWHY_TOKEN or run `ciwhy auth login`")
    except UsageError as exc:
        err(str(exc))
        raise typer.Exit(2) from exc
    if facts.status_from == "unknown":
        why = f"{facts.vendor} gives it to no step" if facts.vendor != "other" else "no CI"
        warn(f"the job's status is unknown ({why}): reported as {facts.status}; pass --status")
    body = run_body(facts, now)
    if dry_run:
        plan = {
            "server": creds.url,
            "token_from": creds.source if creds.token else None,
            "requests": _plan(body, uploads, creds.token),
        }
        typer.echo(json.dumps(plan, indent=2, ensure_ascii=False))
        return
    out = Outcome(creds.url)
    token_value = creds.token or ""
    show = not (as_json or quiet)
    try:
        with httpx.Client(base_url=creds.url, timeout=httpx.Timeout(120, connect=15)) as c:
            _deliver(
                c,
                token_value,
                body,
                uploads,
                out,
                failed=facts.status in FAILURES,
                wait=wait,
                show=show,
            )
    except Refused as exc:
        out.errors.insert(0, str(exc))
    for message in out.errors:
        err(message)
    if as_json:
        summary = {
            "server": out.server,
            "ok": not out.errors,
            "facts": facts.as_dict(),
            "run": out.run,
            "tests": out.tests,
            "log": out.log,
            "analysis": out.analysis,
            "errors": out.errors,
        }
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    elif not quiet and out.run:
        _print_summary(out, typer.echo)
    if out.errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
