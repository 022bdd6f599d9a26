"""The words of an analysis: title, explanation and fix, from the signature's templates or,
for a heuristic choice, from per-category templates filled with the failing command."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ciwhy.analysis.library_index import SignatureHit


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


# A capture that ends a sentence of its own (`... to type 'string'.` + the template's `.`).
_DOUBLE_STOP = re.compile(r"(?<=[^.])\.\.(?=\s|$)")


def _fill(template: str, values: _Blank) -> str:
    return _DOUBLE_STOP.sub(".", template.format_map(values))


@dataclass(frozen=True, slots=True)
class Description:
    title: str
    explanation: str
    fix: str


_GENERIC = {
    "compile": (
        "The build failed to compile.",
        "Fix the error at the location the compiler names, then rebuild locally.",
    ),
    "test": (
        "A test failed.",
        "Run the failing test locally, read its assertion or exception, fix the code or the test.",
    ),
    "lint": (
        "A lint or formatting check failed.",
        "Run the linter or formatter locally and commit its fixes.",
    ),
    "dependency": (
        "A dependency could not be resolved or installed.",
        "Check the package name, version constraints and lock file, then reinstall.",
    ),
    "config": (
        "The job's configuration or environment is wrong.",
        "Check the command, paths and settings the job uses against the repository.",
    ),
    "network": (
        "A network operation failed.",
        "Retry the job; if it persists, check the host, DNS, proxy and the service's status.",
    ),
    "credentials": (
        "Authentication failed.",
        "Check that the job's token or credentials exist, are valid and not expired.",
    ),
    "permission": (
        "An operation was refused for lack of permission.",
        "Grant the job the permission it needs or change the file modes it relies on.",
    ),
    "infrastructure": (
        "The CI machine ran out of a resource or was lost.",
        "Retry; if it recurs, give the job more memory or disk, or reduce its parallelism.",
    ),
    "timeout": (
        "The job ran too long and was stopped.",
        "Find the step that hangs or slowed down, or raise the time limit.",
    ),
    "cancelled": ("The job was cancelled.", "Re-run it if the cancellation was not intended."),
    "unknown": (
        "The job failed.",
        "Read the excerpt around the marked line: the most error-like output before the failure.",
    ),
}


_NO_TEXT_FIX = "Check that the CI step captured the job's output (stdout and stderr)."


def describe(
    line: str,
    hit: SignatureHit | None,
    category: str,
    *,
    command: str | None,
    exit_code: int | None,
) -> Description:
    if hit is not None:
        values = _Blank(hit.captures)
        sig = hit.signature
        return Description(
            _fill(sig.title, values), _fill(sig.explanation, values), _fill(sig.fix, values)
        )
    what, fix = _GENERIC.get(category, _GENERIC["unknown"])
    if not line:
        return Description("The log is empty", "The log holds no text to analyse.", _NO_TEXT_FIX)
    parts = [what, f"The first error-like line of the failing step is: {line[:160]}"]
    if command:
        tail = f" with exit code {exit_code}" if exit_code is not None else ""
        one_line = " ; ".join(command.splitlines())
        parts.append(f"The failing command was `{one_line[:120]}`{tail}.")
    elif exit_code is not None:
        parts.append(f"The job ended with exit code {exit_code}.")
    return Description(line or "The job failed without output", " ".join(parts), fix)
