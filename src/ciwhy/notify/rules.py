"""Which failures a channel announces: a pure decision over facts the outbox gathers.

A channel's rule has three parts:

- `min_severity` (low | medium | high): analyses below it are not announced;
- `projects`: a list of project names, or None for every project;
- `new_causes_only`: announce a cause (an analysis's fingerprint) only the first time the
  tenant sees it, or when it comes back after `QUIET` (7 days) without being seen.

Bad input: `parse_severity` and `parse_projects` raise `RuleError` (a `ValueError`) naming
the field; an unknown severity stored in the database ranks as "low".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

SEVERITIES = ("low", "medium", "high")
QUIET = timedelta(days=7)
MAX_PROJECTS = 200


class RuleError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Rule:
    min_severity: str = "low"
    projects: tuple[str, ...] | None = None
    new_causes_only: bool = False


def rank(severity: str | None) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def parse_severity(value: Any) -> str:
    if value not in SEVERITIES:
        raise RuleError("min_severity", f"must be one of {', '.join(SEVERITIES)}")
    return str(value)


def parse_projects(value: Any) -> tuple[str, ...] | None:
    """None (every project) or a non-empty list of non-empty project names."""
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise RuleError("projects", "must be a list of project names, or null for every project")
    names = tuple(dict.fromkeys(str(p).strip() for p in value if isinstance(p, str)))
    if len(names) != len(value) or not all(names):
        raise RuleError("projects", "every project must be a non-empty string, once")
    if not names:
        raise RuleError("projects", "an empty list would match nothing; use null for every one")
    if len(names) > MAX_PROJECTS:
        raise RuleError("projects", f"at most {MAX_PROJECTS} projects")
    return names


def projects_json(projects: tuple[str, ...] | None) -> str | None:
    return None if projects is None else json.dumps(list(projects))


def rule_of(min_severity: str, projects: str | None, new_causes_only: bool) -> Rule:
    """The rule as stored in a `channels` row (projects: JSON text or NULL)."""
    listed = json.loads(projects) if projects else None
    return Rule(min_severity, tuple(listed) if listed is not None else None, bool(new_causes_only))


def is_new_cause(received_at: datetime, previous: datetime | None) -> bool:
    """New when never seen before, or when the previous sighting is `QUIET` or more ago."""
    return previous is None or received_at - previous >= QUIET


def wants(rule: Rule, severity: str | None, project: str, new_cause: bool) -> bool:
    if rank(severity) < rank(rule.min_severity):
        return False
    if rule.projects is not None and project not in rule.projects:
        return False
    return new_cause or not rule.new_causes_only
