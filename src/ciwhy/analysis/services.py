"""A job that cannot reach a service container that never started: the service's own words.

A service the CI started with systemd (Travis' `services: mongodb`) that failed to start says so
(`Job for mongod.service failed ...`) long before the tests that cannot reach it.

GitLab starts a job's services (`services: [postgres:16]`) before its script and, when one
fails its health check, prints a block before the script runs::

    *** WARNING: Service runner-...-postgres-0 probably didn't start properly.
    Health check error:
    ...
    Service container logs:
    2024-06-03T08:12:17.881Z Error: Database is uninitialized and superuser password is ...
    *********

The job then fails connecting to it (`Connection refused ... port 5432`). That failure is a
consequence: the first error in the service's log says why. The block is easy to overlook (the
runner calls it a warning, and many services pass their check late and work), so it speaks
only when the chosen line is a failure to connect.

Elsewhere the services' logs come after the failure: a step that runs on failure prints
`docker compose logs` (`db-1  | FATAL:  password authentication failed for user "app"`). The
first such line that says why, after a chosen failure to connect, is the cause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.chains import at as _at
from ciwhy.analysis.library_index import MAX_LINE, Hits
from ciwhy.analysis.locate import Candidate, cause_signature

_LOGS = re.compile(r"^Service container logs:\s*$")
_END = re.compile(r"^\*{5,}\s*$")
#: A failure to reach a server: the consequence a service that never started leaves.
_UNREACHED = re.compile(
    r"(?i)connection refused|could not connect|can't connect|cannot connect|failed to connect"
    # (Prisma's `P1001: Can't reach database server at `postgres:5432``)
    r"|\b(?:can't|cannot|could not|couldn't|unable to) reach\b"
    r"|connection reset|no route to host|could not translate host name|name or service not known"
    # (or the service's container itself, that Compose saw stop or never pass its check)
    r"|container \S{1,200} (?:exited \(\d+\)|is unhealthy)|dependency failed to start"
    # (Node's: `TypeError: fetch failed` over its cause, `connect ECONNREFUSED 172.22.0.4:8080`)
    r"|\bfetch failed\b|\beconnrefused\b|\benotfound\b"
)
_SYSTEMD_FAILED = "infra.systemd.service_failed"
#: How many lines under the chosen one may say it could not connect (a test's message under
#: its title), and how far on the host it could not reach may be named.
UNDER_LINES, HOST_LINES = 3, 200
#: A host a client could not find or reach, by name: a Compose service (`getaddrinfo
#: ENOTFOUND api`, `could not translate host name "db"`).
_HOST = re.compile(
    r"\b(?:ENOTFOUND|EAI_AGAIN)\s+([\w.-]{1,100})|could not translate host name \"([\w.-]{1,100})\""
)
_SERVICE = re.compile(r"^([\w.-]{1,100}?)[-_]\d{1,3}\s+\| ")
#: An error mark before a program's own message (`❌ Invalid environment variables: ...`).
_MARKED = re.compile(r"^[\w.-]{1,100}[-_]\d{1,3}\s+\| \W{0,3}❌\s*\S")
#: What a line of the service's log must have to say why it stopped.
_SAYS_WHY = frozenset(
    ("error_colon", "error_word", "fatal_word", "exception", "located_error", "panic", "crash")
)
#: A service's log line that gives its own level, below an error: logfmt's `level=info`
#: (`skip loading plugin ... error="aufs is not supported"` is dockerd starting well), MySQL's
#: `[Note]`/`[Warning]`, PostgreSQL's `LOG:`.
_CALM = re.compile(
    r"\blevel=(?:info|warn(?:ing)?|debug|trace)\b|\[(?:Note|Warning|System)\]|\bLOG:\s"
)
#: How far the logs may run after the warning.
BLOCK_LINES = 400
#: A service's line as `docker compose logs` prints it, and how far after the failure the dump
#: may be. (Its error must be stated: a fatal word, an exception, an `Error:`.)
DUMP_LINES = 1500
_DUMP_SAYS_WHY = frozenset(("fatal_word", "exception", "panic", "crash", "error_colon"))


def past_unreached(
    lines: Sequence[str],
    hits: Hits,
    cands: Sequence[Candidate],
    chosen: Candidate | None,
    fail: int,
) -> Candidate | None:
    """The first error of a service's log that GitLab showed as not started (before a chosen
    failure to connect), else of one that `docker compose logs` printed after the failure, in
    place of the chosen failure to connect; else `chosen`."""
    if chosen is None:
        return chosen
    at = chosen.index
    if not any(
        _UNREACHED.search(lines[j][:MAX_LINE]) for j in range(at, min(len(lines), at + UNDER_LINES))
    ):
        return chosen
    found = _gitlab_service(lines, hits, chosen.index)
    if found is None:
        # (a service the CI started with systemd before the job's work, that failed to start)
        found = next(
            (
                j
                for j in sorted(hits.signatures)
                if j < at and any(h.signature.id == _SYSTEMD_FAILED for h in hits.signatures[j])
            ),
            None,
        )
    if found is None:
        # (where the client names the host it could not find, that service's log says why)
        named = {
            h
            for j in range(at, min(fail, at + HOST_LINES))
            for m in _HOST.finditer(lines[j][:MAX_LINE])
            for h in m.groups()
            if h
        }
        found = next(
            (
                j
                for j in range(fail + 1, min(len(lines), fail + DUMP_LINES))
                if _dumped_why(lines, hits, j, named)
            ),
            None,
        )
    if found is None:
        return chosen
    return _at(cands, found, chosen)


def _dumped_why(lines: Sequence[str], hits: Hits, j: int, named: set[str]) -> bool:
    """Whether line j is a service's log line, as `docker compose logs` prints it, that says
    why (of one of the `named` services, when the client named any)."""
    line = lines[j][:MAX_LINE]
    service = _SERVICE.match(line)
    if service is None or (named and service.group(1) not in named):
        return False
    says = not _DUMP_SAYS_WHY.isdisjoint(hits.features.get(j, ())) or _MARKED.match(line)
    return bool(says or cause_signature(hits, j) is not None) and not _CALM.search(line)


def _gitlab_service(lines: Sequence[str], hits: Hits, before: int) -> int | None:
    """The first line that says why in the logs of a service GitLab reported, before line
    `before`, as not started properly."""
    warnings = hits.roles.get("service_warning", [])  # (the vocabulary finds the blocks)
    for w in (w for w in warnings if w < before):
        logs = next(
            (
                j
                for j in range(w + 1, min(before, w + BLOCK_LINES))
                if _LOGS.match(lines[j][:MAX_LINE])
            ),
            None,
        )
        if logs is None:
            continue
        for j in range(logs + 1, min(before, logs + BLOCK_LINES)):
            line = lines[j][:MAX_LINE]
            if _END.match(line) or j in warnings:
                break
            if (
                not _SAYS_WHY.isdisjoint(hits.features.get(j, ())) or j in hits.signatures
            ) and not _CALM.search(line):
                return j
    return None


#: GitHub's verdict on a job's service container, and the block where it prints the container's
#: logs (`Print service container logs: <name>`, then `docker logs --details` and their lines).
_GHA_SERVICE_FAILED = re.compile(
    r"^##\[error\](?:Failed to initialize container \S|One or more containers failed to start)"
)
_GHA_SERVICE_LOGS = re.compile(r"^Print service container logs: \S")
#: How far under GitHub's verdict the logs may start, and how long they may run.
GHA_LOGS_WITHIN, GHA_LOGS_LINES = 40, 300


def past_service_logs(
    lines: Sequence[str], hits: Hits, cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """GitHub's `Failed to initialize container postgres:16` yields to the first line of the
    service's own log that says why (`Error: Database is uninitialized and superuser password
    is not specified.`), printed under `Print service container logs:`; else `chosen`."""
    if chosen is None or not _GHA_SERVICE_FAILED.match(lines[chosen.index][:MAX_LINE]):
        return chosen
    at = chosen.index
    start = next(
        (
            j
            for j in range(at + 1, min(len(lines), at + GHA_LOGS_WITHIN))
            if _GHA_SERVICE_LOGS.match(lines[j][:MAX_LINE])
        ),
        None,
    )
    if start is None:
        return chosen
    for j in range(start + 1, min(len(lines), start + GHA_LOGS_LINES)):
        line = lines[j][:MAX_LINE]
        if line.startswith("##[") and not line.startswith("##[command]"):
            break  # (the block ends where the runner's own lines resume)
        says = not _SAYS_WHY.isdisjoint(hits.features.get(j, ())) or j in hits.signatures
        if says and not _CALM.search(line) and not line.startswith("##[command]"):
            return _at(cands, j, chosen)
    return chosen
