"""The message a channel sends, built from an outbox row's facts at send time.

The facts were stored when the message was decided (analysis id, project, branch, severity,
category, the already redacted root cause, or a digest's counts); the links are made here
from the server's public URL: `{public_url}/analyses/{id}`, the dashboard's page for it.
A kind of outbox row with no builder raises `KeyError`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_LINE = 200


@dataclass(frozen=True)
class Message:
    title: str
    root_cause: str | None
    project: str | None
    branch: str | None
    severity: str | None
    category: str | None
    link: str
    lines: tuple[str, ...] = ()  # a digest's lines (or a test message's note)

    def facts(self) -> list[tuple[str, str]]:
        pairs = [
            ("Project", self.project),
            ("Branch", self.branch),
            ("Severity", self.severity),
            ("Category", self.category),
        ]
        return [(k, v) for k, v in pairs if v]

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "root_cause": self.root_cause,
            "project": self.project,
            "branch": self.branch,
            "severity": self.severity,
            "category": self.category,
            "link": self.link,
            "lines": list(self.lines),
        }

    def text(self) -> str:
        """The plain text form: title, root cause, facts, lines, link."""
        out = [self.title]
        if self.root_cause:
            out.append(self.root_cause)
        if self.facts():
            out.append(" · ".join(f"{k}: {v}" for k, v in self.facts()))
        out.extend(self.lines)
        out.append(self.link)
        return "\n".join(out)


def base_url(settings: Any) -> str:
    """The dashboard's base URL: CIWHY_PUBLIC_URL, else http://CIWHY_HOST:CIWHY_PORT."""
    public = getattr(settings, "public_url", None)
    if public:
        return str(public).rstrip("/")
    return f"http://{getattr(settings, 'host', '127.0.0.1')}:{getattr(settings, 'port', 8080)}"


def analysis_link(base: str, analysis_id: str) -> str:
    return f"{base}/analyses/{analysis_id}"


def _clip(s: str | None, n: int = MAX_LINE) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _analysis(p: dict[str, Any], base: str) -> Message:
    where = f" on {p['branch']}" if p.get("branch") else ""
    return Message(
        title=f"CI failed: {p.get('project')}{where}",
        root_cause=p.get("root_cause") or "no root cause found",
        project=p.get("project"),
        branch=p.get("branch"),
        severity=p.get("severity"),
        category=p.get("category"),
        link=analysis_link(base, str(p["analysis_id"])),
    )


def _digest(p: dict[str, Any], base: str) -> Message:
    sev = p.get("severity", {})
    n = int(p.get("failures", 0))
    lines = [
        f"{n} failure{'s' * (n != 1)}: {sev.get('high', 0)} high, "
        f"{sev.get('medium', 0)} medium, {sev.get('low', 0)} low"
    ]
    if p.get("top_causes"):
        lines.append("Top root causes:")
        lines += [f"{c['n']}× {_clip(c['root_cause'])}" for c in p["top_causes"]]
    if p.get("newest_high"):
        lines.append("Newest high-severity failures:")
        for a in p["newest_high"]:
            where = f" ({a['branch']})" if a.get("branch") else ""
            lines.append(
                f"{a['project']}{where}: {_clip(a['root_cause'], 120)} "
                f"{analysis_link(base, a['analysis_id'])}"
            )
    since = str(p.get("since", ""))[:16].replace("T", " ")
    return Message(
        title=f"ciwhy digest since {since} UTC",
        root_cause=None,
        project=None,
        branch=None,
        severity=None,
        category=None,
        link=f"{base}/analyses",
        lines=tuple(lines),
    )


def _test(p: dict[str, Any], base: str) -> Message:
    return Message(
        title="ciwhy test message",
        root_cause=None,
        project=None,
        branch=None,
        severity=None,
        category=None,
        link=base,
        lines=("This channel works: ciwhy can reach it.",),
    )


BUILDERS: dict[str, Callable[[dict[str, Any], str], Message]] = {
    "analysis": _analysis,
    "digest": _digest,
    "test": _test,
}


def build(kind: str, payload: dict[str, Any], base: str) -> Message:
    return BUILDERS[kind](payload, base)
