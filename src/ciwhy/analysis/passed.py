"""Asides of test runs: what a test printed on its way to passing, or a failure its runner
expected. Each function is a finder (`asides.FINDERS` registers them): it reads the lines its
vocabulary role flagged and returns the (start, end) line ranges that are not the job's errors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis import flaky, gotests
from ciwhy.analysis.library_index import MAX_LINE, Hits

_DART_FAILED = re.compile(r"^\d{1,3}:\d\d \+\d{1,7}(?: ~\d{1,7})?(?: -(\d{1,7}))?: ")


def dart(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What a Dart test printed between two progress lines of package:test (or flutter test)
    whose failure count (`-N`) did not grow: the test passed, whatever it printed. So are the
    progress lines where the count did not grow: a test's name is not what went wrong."""
    spans = []
    prev: tuple[int, int] | None = None
    for i in hits.roles.get("dart_progress", ()):
        if i >= fail:
            break
        m = _DART_FAILED.match(lines[i][:MAX_LINE])
        failed = int(m.group(1) or 0) if m is not None else 0
        grew = prev is not None and failed > prev[1]
        if prev is not None and not grew:
            spans.append((prev[0] + 1, i))  # (the output since the last line, and this line)
        elif prev is None:
            spans.append((i, i))
        prev = (i, failed)
    return spans


_RUNNING = re.compile(r"^(?:\[INFO\] )?Running ([\w$.]+)\s*$")
_PASSED_IN = re.compile(r"Failures: 0, Errors: 0,.*? (?:-|--) in ([\w$.]+)")


def surefire(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """A JUnit class that Surefire reports passed (`Running X` .. `Tests run: 14, Failures: 0,
    Errors: 0, ... in X`): exceptions its code logged on the way were expected."""
    running: dict[str, int] = {}
    spans = []
    for i in hits.roles.get("surefire", ()):
        line = lines[i][:MAX_LINE]
        if (m := _RUNNING.match(line)) is not None:
            running[m.group(1)] = i
        elif (m := _PASSED_IN.search(line)) is not None and m.group(1) in running:
            spans.append((running.pop(m.group(1)), i))
    return spans


_TRY = re.compile(r"^\s*TRY (\d+) (FAIL|PASS)\b.*?\]\s*(.+?)\s*$")


def retried_then_passed(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """A test that failed a try and passed a later one (nextest's `TRY 1 FAIL` .. `TRY 2 PASS`):
    the failed try's output is not why the job failed."""
    failed: dict[str, int] = {}
    spans = []
    for i in hits.roles.get("retry", ()):
        m = _TRY.match(lines[i][:MAX_LINE])
        if m is None:
            continue
        if m.group(2) == "FAIL":
            failed.setdefault(m.group(3), i)
        elif m.group(3) in failed:
            spans.append((failed.pop(m.group(3)), i))
    return spans


_OPENS = re.compile(r"^\[ RUN {6}\] (\S+)")
_PASSED = re.compile(r"^\[ {7}OK \] (\S+)")


def googletest(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What a googletest test printed between its `[ RUN ]` and its passing `[ OK ]`: a
    sanitizer's report the test recovered from, an error it expected. (`go test -v`'s
    `=== RUN` .. `--- PASS:` is not read so: with parallel tests its output interleaves.)"""
    spans = []
    opened: tuple[int, str] | None = None
    for i in hits.roles.get("test_bracket", ()):
        if i >= fail:
            break
        line = lines[i][:MAX_LINE]
        if (m := _OPENS.match(line)) is not None:
            opened = (i, m.group(1))
        elif (m := _PASSED.match(line)) is not None and opened is not None:
            if m.group(1) == opened[1]:
                spans.append((opened[0], i))
            opened = None
    return spans


def go_log(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What a Go test logged (`    x_test.go:71: got expected error`, and the lines Go indents
    under it: a recovered panic's stack) when the test passed, whatever its log says. (Not
    the whole `=== RUN` .. `--- PASS` stretch: parallel tests interleave their output.)"""
    return [
        (i, gotests.log_end(lines, i, fail))
        for i in hits.roles.get("go_test_log", ())
        if i < fail
        and gotests.LOG.match(lines[i][:MAX_LINE]) is not None
        and gotests.outcome(lines, i, fail) == "PASS"
    ]


_TAP_TODO = re.compile(r"^\s*not ok \d+\b.{0,1000}#\s*TODO\b", re.IGNORECASE)
_TAP_DIAGNOSTIC = re.compile(r"^\s*#")


def tap_todo(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """A TAP test marked TODO (`not ok 9 - decodes x # TODO not implemented yet`) and the
    diagnostics under it (`#   Failed (TODO) test ...`): an expected failure, not the job's."""
    spans = []
    for i, _ in flaky.failed_results(lines, hits, fail, _TAP_TODO):
        end = i
        while end + 1 < fail and _TAP_DIAGNOSTIC.match(lines[end + 1][:MAX_LINE]):
            end += 1
        spans.append((i, end))
    return spans


_TOX_RESULT = re.compile(r"^(?:ERROR: )?\s{1,4}([\w.-]{1,60}): (commands succeeded|OK \(|\S)")
#: How far above tox's closing verdicts its environments' output may start.
TOX_LINES = 100_000


def tox_passed(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What tox's environments that succeeded printed (`docs: commands succeeded` in its
    summary): from each one's first line (`docs create: ...`, tox 4's `docs: install_deps>`) to
    the next environment's. Sphinx's warnings in a docs build that passed, the test output of
    a Python version that passed, are not why the run failed."""
    verdicts = [i for i in hits.roles.get("tox_result", ()) if i < fail]
    if not verdicts:
        return []
    envs: dict[str, bool] = {}
    for i in verdicts:
        if (m := _TOX_RESULT.match(lines[i][:MAX_LINE])) is not None:
            envs[m.group(1)] = m.group(2) in ("commands succeeded", "OK (")
    if not any(envs.values()):
        return []
    heads = tuple(p for env in envs for p in (f"{env} ", f"{env}: "))
    spans: list[tuple[int, int]] = []
    current, start = None, 0
    first = verdicts[0]
    for i in range(max(0, first - TOX_LINES), first):
        line = lines[i]
        if not line.startswith(heads):
            continue
        env = next(e for e in envs if line.startswith((f"{e} ", f"{e}: ")))
        if env == current:
            continue
        if current is not None and envs[current]:
            spans.append((start, i - 1))
        current, start = env, i
    if current is not None and envs[current]:
        spans.append((start, first - 1))
    return spans


_XCTEST_CASE = re.compile(
    r"^Test Case '(?P<name>-\[[^\]]{1,300}\]|[\w.]{1,300})' (?P<what>started|passed)"
)


def xctest_passed(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What an XCTest case printed between its `Test Case '-[Suite test]' started.` and its
    `passed` (an error its code logged on purpose, `[AuthKit] ERROR token refresh rejected`)."""
    spans = []
    opened: tuple[int, str] | None = None
    for i in hits.roles.get("xctest_case", ()):
        if i >= fail:
            break
        m = _XCTEST_CASE.match(lines[i][:MAX_LINE])
        if m is None:
            continue
        if m.group("what") == "started":
            opened = (i, m.group("name"))
        elif opened is not None and opened[1] == m.group("name"):
            if i > opened[0] + 1:
                spans.append((opened[0] + 1, i - 1))
            opened = None
    return spans
