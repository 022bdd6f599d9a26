"""Go's verbose test output (`go test -v`): which test a log line belongs to, and its result.

`    x_test.go:71: message` is what a test logged (`t.Log`, `t.Error`): the test's result, not
the words, says whether it failed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ciwhy.analysis.library_index import MAX_LINE, Hits
from ciwhy.analysis.lines import Lines

#: How far a Go test's log may run from the line that ends the test.
GO_LOG_LINES = 50
_GO_END = re.compile(r"^\s*(?:--- (PASS|FAIL|SKIP): |=== (?:RUN|CONT|NAME|PAUSE) )")
LOG = re.compile(r"^\s{4,}\w+_test\.go:\d+: ")

#: Go indents the further lines of one log call by 8 columns (4 more than the call's line).
_MORE = re.compile(r"^ {8}|^ {4}\t")


def log_end(lines: Sequence[str], i: int, fail: int) -> int:
    """The last line of the log call at line i: its further lines are indented under it."""
    end = i
    while end + 1 < min(fail, i + GO_LOG_LINES) and _MORE.match(lines[end + 1]):
        end += 1
    return end


#: How far a Go test's log may be from the `=== RUN` that names it, and from its result.
GO_TEST_LINES = 400
_GO_HEAD = re.compile(r"^\s*=== (?:RUN|CONT|NAME)\s+(\S+)\s*$")


def outcome(lines: Sequence[str], i: int, fail: int) -> str | None:
    """The result of the Go test whose log line i is: the `--- X:` line just above the log
    (before Go 1.14 a test's log followed its result, indented under it), else the next line
    that ends or switches a test (since then, the log streams before the result)."""
    k = i - 1
    while k >= 0 and i - k < GO_LOG_LINES and LOG.match(lines[k][:MAX_LINE]) is not None:
        k -= 1
    if k >= 0 and (m := _GO_END.match(lines[k][:MAX_LINE])) is not None and m.group(1):
        return m.group(1)
    # (since Go 1.14 a test's log follows the `=== RUN` (or `=== CONT`, `=== NAME`) that names
    # it: the result of that test, subtests' included, whatever runs between)
    for k in range(i - 1, max(-1, i - GO_TEST_LINES), -1):
        if (m := _GO_HEAD.match(lines[k][:MAX_LINE])) is not None:
            result = _result(lines, i, fail, m.group(1))
            if result is not None:
                return result
            break
        if _GO_END.match(lines[k][:MAX_LINE]) is not None:
            break
    for j in range(i + 1, min(fail, i + GO_LOG_LINES)):
        if (m := _GO_END.match(lines[j][:MAX_LINE])) is not None:
            return m.group(1)
    return None


def _result(lines: Sequence[str], i: int, fail: int, test: str) -> str | None:
    """`PASS`, `FAIL` or `SKIP`: the result Go reports for `test` after line i."""
    result = re.compile(rf"^\s*--- (PASS|FAIL|SKIP): {re.escape(test)} \(")
    for j in range(i + 1, min(fail, i + GO_TEST_LINES)):
        if (m := result.match(lines[j][:MAX_LINE])) is not None:
            return m.group(1)
    return None


_PASSED = re.compile(r"^--- PASS: (\S+) \(")
_STARTED = re.compile(r"^=== (?:RUN|CONT|NAME|PAUSE)\s+(\S+)")


def passed_output(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What a test that passed printed between its `=== RUN   TestX` and its `--- PASS: TestX`,
    where no other test ran or resumed between them (its subtests aside): its output, a
    program's `level=error` logs included, whatever they say."""
    spans: list[tuple[int, int]] = []
    # (a log's noise lines are many: each is tested in place before it is cut)
    passed = lines.line_starts_with if isinstance(lines, Lines) else _line_starts_with(lines)
    for i in hits.roles.get("noise", ()):
        if i >= fail:
            break
        if not passed(i, "--- PASS: "):
            continue
        m = _PASSED.match(lines[i][:MAX_LINE])
        if m is None:
            continue
        test = m.group(1)
        for j in range(i - 1, max(-1, i - GO_TEST_LINES), -1):
            started = _STARTED.match(lines[j][:MAX_LINE])
            if started is None:
                continue
            name = started.group(1)
            if name == test:
                if j + 1 < i:
                    spans.append((j + 1, i - 1))
                break
            if not name.startswith(test + "/"):
                break  # (another test ran between: their output may interleave)
    return spans


def _line_starts_with(lines: Sequence[str]) -> Callable[[int, str], bool]:
    return lambda i, prefix: lines[i].startswith(prefix)
