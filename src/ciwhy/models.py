"""Frozen dataclasses shared by every stage of ciwhy.

The analysis engine produces these; storage, the API and the CLI only read them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Category = Literal[
    "compile",
    "test",
    "lint",
    "dependency",
    "config",
    "network",
    "credentials",
    "permission",
    "infrastructure",
    "timeout",
    "cancelled",
    "unknown",
]
Domain = Literal["code", "platform", "unknown"]
Severity = Literal["low", "medium", "high"]

CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
DOMAINS: tuple[str, ...] = Domain.__args__  # type: ignore[attr-defined]
SEVERITIES: tuple[str, ...] = Severity.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A block of consecutive log lines, 1-based and inclusive."""

    start_line: int
    end_line: int
    text: str


@dataclass(frozen=True, slots=True)
class FailingTest:
    name: str
    file: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A stable hash of the masked root cause, and how it was made (it explains itself)."""

    hash: str
    template: str
    values: tuple[tuple[str, str], ...]
    rule: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "hash": self.hash,
            "template": self.template,
            "values": [list(v) for v in self.values],
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Step:
    """A step, section or stage of the CI job that failed, as the log shows it."""

    name: str
    start_line: int
    end_line: int
    command: str | None = None
    exit_code: int | None = None


@dataclass(frozen=True, slots=True)
class Analysis:
    root_cause: str
    root_cause_line: int | None
    explanation: str
    fix_suggestion: str
    category: Category
    domain: Domain
    severity: Severity
    confidence: float
    excerpt: tuple[Excerpt, ...]
    failing_tests: tuple[FailingTest, ...]
    signature: str
    fingerprint: Fingerprint
    failing_step: Step | None = None
    exit_code: int | None = None
    lines: int = 0
    bytes: int = 0
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["fingerprint"] = self.fingerprint.as_dict()
        out["notes"] = list(self.notes)
        return out
