"""Warnings that failed the build: a tool told to treat its warnings as errors.

`mix compile --warnings-as-errors`, scalac's `-Xfatal-warnings`, kotlinc's `-Werror`, Sphinx's
`-W` print their warnings as warnings, then one line saying that they failed the build (JaCoCo's
check, its violated rules). That
line is a summary; the first warning of the compilation it closes is the cause. The Dart
analyzer (`dart analyze`, `flutter analyze`) fails on its warnings unless told otherwise, and
closes its report with `N issues found.`: its first error, else its first warning, is the cause
(its infos are advice).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.library_index import MAX_LINE
from ciwhy.analysis.locate import Candidate
from ciwhy.analysis.structure import Structure

#: How far before the failure marker the tool's closing line may stand.
CLOSING_LINES = 8
#: How far back from that line its warnings may start.
WARNING_LINES = 400

_FATAL = re.compile(
    r"(?i)failed due to warnings|warnings? (?:being |were |are )?treated as errors"
    r"|no warnings can be incurred under -xfatal-warnings|warnings found and -werror specified"
    # (Zephyr's Kconfig run, told that a warning is fatal)
    r"|^error: aborting due to kconfig warnings"
    # (JaCoCo's check, whose rules it prints as warnings: `[WARNING] Rule violated for ...`)
    r"|jacoco-maven-plugin:\S{1,40}:check .{0,200}coverage checks have not been met"
)
# A warning at the start of its line (`warning:`, `[warn]`, `WARNING:`), or after its location
# (`src/a.ex:3: warning:`, `docs/index.rst:12: WARNING:`).
_WARNING = re.compile(
    r"(?i)^\W{0,4}(?:\[warn(?:ing)?\]\s*)?(?:warning\b|\S{1,300}:\d+:(?:\d+:)? warning\b"
    r"|rule violated for )"
)
# Where the compilation that the closing line ends began: mix's `==> app`, a compiler's
# `Compiling N files` (sbt's `[info] Compiling ...`), Sphinx's `Running Sphinx v8.1.3`, or the
# echo of the command that ran it (`$ sphinx-build -W ...`, `+ mix compile`), Kconfig's `Parsing
# .../Kconfig`: a warning before it is another command's (pip's `WARNING: Retrying ...`).
_COMPILATION = re.compile(
    r"^(?:==> \S|(?:\[info\] )?Compiling \d|Running Sphinx v|[$+] \S|Parsing \S{1,300}/Kconfig\s*$"
    # (a Maven plugin's execution: `[INFO] --- jacoco:0.8.12:check (jacoco-check) @ app ---`)
    r"|\[INFO\] --- \S)"
)
#: How far above the chosen line the tool's closing line may stand (what the build printed
#: after it, CMake's `CMake Error at ...`, may have been chosen).
ABOVE_CHOSEN = 4


_DART_SUMMARY = re.compile(r"^\d+ issues? found\.")
_DART_ISSUE = re.compile(r"^\s*(error|warning) • .{1,600} • \S{1,300}:\d+:\d+ • \w+\s*$")


def first(lines: Sequence[str], st: Structure, chosen: Candidate | None) -> Candidate | None:
    """The first warning of the compilation a warnings-as-errors failure closes, as the
    candidate instead of `chosen`; else `chosen`."""
    start = max(st.step_line + 1, st.fail_line - CLOSING_LINES)
    dart = next(
        (i for i in range(st.fail_line - 1, start - 1, -1) if _DART_SUMMARY.match(lines[i])), None
    )
    if dart is not None:
        return _dart_issue(lines, dart, chosen)
    near = [] if chosen is None else range(chosen.index, max(-1, chosen.index - ABOVE_CHOSEN), -1)
    closing = next(
        (
            i
            for i in (*range(st.fail_line - 1, start - 1, -1), *near)
            if _FATAL.search(lines[i][:MAX_LINE])
        ),
        None,
    )
    if closing is None or (chosen is not None and "located_error" in chosen.features):
        # (gcc's and clang's `-Werror` print each warning they promote as an `error:`: the
        # first of those failed the build, not a warning the compilation let pass)
        return chosen
    found = None
    for i in range(closing - 1, max(st.step_line, closing - WARNING_LINES), -1):
        line = lines[i][:MAX_LINE]
        if _WARNING.match(line):
            found = i
        elif _COMPILATION.match(line):
            break
    if found is None:
        return chosen
    return Candidate(found, chosen.score if chosen else 0.0, frozenset({"fatal_warning"}), None)


def _dart_issue(lines: Sequence[str], summary: int, chosen: Candidate | None) -> Candidate | None:
    """The Dart analyzer's first error, else its first warning, before its `summary`."""
    found: dict[str, int] = {}
    for i in range(summary - 1, max(-1, summary - WARNING_LINES), -1):
        if (m := _DART_ISSUE.match(lines[i][:MAX_LINE])) is not None:
            found[m.group(1)] = i
    at = found.get("error", found.get("warning"))
    if at is None:
        return chosen
    return Candidate(at, chosen.score if chosen else 0.0, frozenset({"fatal_warning"}), None)
