"""Flaky tests: tests a runner reports as failed, then passed when tried again.

The failed tries' output is in the log, often before the test that really failed, and reads
like a cause; the runner's own verdict (Bazel's `FLAKY:`, Playwright's `N flaky` list, Maven
Surefire's `Flakes:`, a later `PASSED` or `✔` for a test Gradle or xcpretty had reported failed)
says it is not.
Each function is an aside finder (asides.py): the stretches a flaky test's failed tries
printed, as (start, end) line ranges. The runners' lists are found by the scan (the
vocabulary's `flaky` role).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ciwhy.analysis.library_index import MAX_LINE, Hits

_BAZEL_FLAKY = re.compile(r"^FLAKY: (//\S+) \(Summary\)")
_BAZEL_FLAKY_ROW = re.compile(r"^(//\S{1,300})\s+FLAKY, failed in \d+ out of \d+")
_BAZEL_OUTPUT = re.compile(r"^=+ Test output for (//\S+):\s*$")
_BAZEL_END = re.compile(r"^={40,}\s*$")
#: How far below its summary the output of a flaky Bazel test may start, and run.
BAZEL_LINES = 2000


def failed_results(
    lines: Sequence[str], hits: Hits, fail: int, shape: re.Pattern[str]
) -> Iterator[tuple[int, re.Match[str]]]:
    """Each line before `fail` that the scan read as a test's failure and `shape` matches."""
    for i in hits.lines_with(("test_fail",)).tolist():
        if i >= fail:
            break
        if (m := shape.match(lines[i][:MAX_LINE])) is not None:
            yield i, m


def _lists(lines: Sequence[str], hits: Hits, head: re.Pattern[str], fail: int) -> list[int]:
    return [i for i in hits.roles.get("flaky", ()) if i < fail and head.match(lines[i][:MAX_LINE])]


def bazel(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """The output Bazel shows of a test it reports FLAKY (failed, then passed when tried
    again): the failed attempt did not fail the build."""
    spans = []
    for i in _lists(lines, hits, _BAZEL_FLAKY, fail):
        target = _BAZEL_FLAKY.match(lines[i][:MAX_LINE]).group(1)  # type: ignore[union-attr]
        start = None
        for j in range(i + 1, min(fail, i + BAZEL_LINES)):
            line = lines[j][:MAX_LINE]
            if start is None:
                m = _BAZEL_OUTPUT.match(line)
                if m is not None and m.group(1) == target:
                    start = j
            elif _BAZEL_END.match(line):
                spans.append((i, j))
                break
    for i in _lists(lines, hits, _BAZEL_FLAKY_ROW, fail):
        # (the summary's table row, `//pkg:test   FLAKY, failed in 1 out of 2`: the failed
        # attempt's `FAIL: //pkg:test` and output were printed before it)
        target = _BAZEL_FLAKY_ROW.match(lines[i][:MAX_LINE]).group(1)  # type: ignore[union-attr]
        for j in range(i - 1, max(-1, i - BAZEL_LINES), -1):
            m = _BAZEL_OUTPUT.match(lines[j][:MAX_LINE])
            if m is None or m.group(1) != target:
                continue
            end = next((k for k in range(j + 1, i) if _BAZEL_END.match(lines[k])), None)
            first = next((k for k in range(max(0, j - 2), j) if target in lines[k]), j)
            if end is not None:
                spans.append((first, end))
            break
    return spans


#: How far above the failure marker Playwright's run is read.
RUN_LINES = 20000
_PW_FLAKY = re.compile(r"^\s{0,8}\d+ flaky\s*$")
_PW_SUMMARY = re.compile(r"^\s{0,8}\d+ (?:failed|flaky|passed|skipped|interrupted|did not run)\b")
# A test listed under it: `    [chromium] › cart.spec.ts:30:5 › adds item ───` (the project
# in brackets when there are several).
_PW_LISTED = re.compile(r"^\s{2,12}(?:\[[^\]]{1,100}\] › )?(\S.{0,500}?\S)[\s─]*$")
# The header of a test's report in the failures list: `  2) [chromium] › cart.spec.ts:30:5 › `.
_PW_REPORT = re.compile(
    r"^\s{0,8}\d+\) (?:\[[^\]]{1,100}\] › )?(\S{1,300}:\d+:\d+ › .{0,500}?\S)[\s─]*$"
)
# A test's line in the run as the list reporter prints it: `  ✘  10 [chromium] › a.spec.ts:4:5
# › pays (30.0s)`.
_PW_RAN = re.compile(
    r"^\s{0,8}[✘×]\s+\d+ (?:\[[^\]]{1,100}\] › )?(\S{1,300}:\d+:\d+ › .{0,500}?)"
    r"(?: \(retry #\d+\))? \(\d[\d.]*m?s\)\s*$"
)


def playwright(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What Playwright printed of a test that was not why the run failed, or not first: a
    test it lists as flaky (its failed tries in the run, its report in the failures list, up
    to the next report or the summary), and the run's `✘` line of a test whose report follows
    (the report says why)."""
    ran = [i for i, _ in failed_results(lines, hits, fail, _PW_RAN)]
    flaky: list[str] = []
    for i in _lists(lines, hits, _PW_FLAKY, fail):
        for j in range(i + 1, fail):
            line = lines[j][:MAX_LINE]
            if _PW_SUMMARY.match(line) or (m := _PW_LISTED.match(line)) is None:
                break
            flaky.append(m.group(1))
    if not ran and not flaky:
        return []
    spans = []
    reported: set[str] = set()
    for i in range(max(ran[0] if ran else 0, fail - RUN_LINES), fail):  # (the reports)
        if (m := _PW_REPORT.match(lines[i][:MAX_LINE])) is not None:
            reported.add(m.group(1))
            if any(name in m.group(1) for name in flaky):  # (to the next report)
                end = i
                while end + 1 < fail and not (
                    _PW_REPORT.match(nxt := lines[end + 1][:MAX_LINE]) or _PW_SUMMARY.match(nxt)
                ):
                    end += 1
                spans.append((i, end))
    for i in ran:
        name = _PW_RAN.match(lines[i][:MAX_LINE]).group(1)  # type: ignore[union-attr]
        if name in reported or any(f in name for f in flaky):
            spans.append((i, i))
    return spans


_SUREFIRE_FLAKES = re.compile(r"^\[WARNING\] Flakes:\s*$")
# A flaky test in the list (`[WARNING] com.acme.ApiTest.streams`) and each try under it
# (`[ERROR]   Run 1: ApiTest.streams:142 ...`, `[INFO]   Run 2: PASS`); Surefire 2.20 and
# later name the class again after the method (`...ApiTest.streams(com.acme.ApiTest)`).
_SUREFIRE_TEST = re.compile(r"^\[WARNING\] ([\w$.]+)\.([\w$]+)(?:\([\w$.]*\))?\s*$")
_SUREFIRE_RUN = re.compile(r"^\[(?:ERROR|INFO|WARNING)\] {2,}Run \d+: ")
# A test's result in the run: `[ERROR] com.acme.ApiTest.streams -- Time elapsed: 0.5 s <<<
# FAILURE!` (Surefire 3), `streams(com.acme.ApiTest)  Time elapsed: 0.5 sec  <<< FAILURE!`.
_SUREFIRE_RESULT = re.compile(
    r"^(?:\[(?:ERROR|WARNING)\] )?(?:([\w$.]+)\.([\w$]+)(?:\(\))? -- |([\w$]+)\(([\w$.]+)\) )"
    r".{0,100}<<< (?:FAILURE|ERROR)!"
)
#: How far the report of a test's failed try (its exception and stack) may run.
SUREFIRE_LINES = 300


def surefire(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """A test Maven Surefire lists under `Flakes:` (rerun after failing, then passed): its
    failed try's report in the run (from its `<<< FAILURE!` line to the blank line that ends
    its stack), and the list itself."""
    flaky: set[tuple[str, str]] = set()
    spans = []
    for i in _lists(lines, hits, _SUREFIRE_FLAKES, fail):
        end = i
        while end + 1 < fail:
            line = lines[end + 1][:MAX_LINE]
            if (m := _SUREFIRE_TEST.match(line)) is not None:
                flaky.add((m.group(1), m.group(2)))
            elif not _SUREFIRE_RUN.match(line):
                break
            end += 1
        spans.append((i, end))
    if not flaky:
        return spans
    for i, m in failed_results(lines, hits, fail, _SUREFIRE_RESULT):
        if m.group(1, 2) not in flaky and m.group(4, 3) not in flaky:
            continue
        end = i
        while end + 1 < min(fail, i + SUREFIRE_LINES) and lines[end + 1].strip():
            end += 1
        spans.append((i, end))
    return spans


# Gradle's result of a test: `com.acme.RepoTest > refreshes() FAILED`, its report indented under
# it; the test-retry plugin runs it again and prints `... PASSED` when the retry passes.
_GRADLE_FAILED = re.compile(r"^(\S.{0,500} > .{1,500}) FAILED\s*$")
#: How far after a failed try its passing retry may be reported.
GRADLE_RETRY_LINES = 5000


def gradle(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """A Gradle test reported `FAILED` and, retried, `PASSED` later: its failed try's result
    line and the report indented under it."""
    spans = []
    for i, m in failed_results(lines, hits, fail, _GRADLE_FAILED):
        passed = m.group(1) + " PASSED"
        if not any(
            lines[j].rstrip() == passed for j in range(i + 1, min(fail, i + GRADLE_RETRY_LINES))
        ):
            continue
        end = i
        while end + 1 < fail and (not lines[end + 1].strip() or lines[end + 1][:1] in " \t"):
            end += 1
        spans.append((i, end))
    return spans


# xcpretty's and xcbeautify's result of a test: `✖ testSnaps, Asynchronous wait failed: ...`
# then, when Xcode retried it and it passed, `✔ testSnaps (0.844 seconds)`.
_MARKED_FAILED = re.compile(r"^\s{0,8}[✖✗✘×] (\w{1,300})\b")
_MARKED_PASSED = re.compile(r"^\s{0,8}[✔✓] (\w{1,300})\b")
#: How far after a failed try its passing retry may be reported.
MARKED_RETRY_LINES = 200


def marked(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """A test a runner marked failed (`✖ name, reason`) and, a little later, passed (`✔ name`):
    its failed try."""
    spans = []
    for i, m in failed_results(lines, hits, fail, _MARKED_FAILED):
        for j in range(i + 1, min(fail, i + MARKED_RETRY_LINES)):
            passed = _MARKED_PASSED.match(lines[j][:MAX_LINE])
            if passed is not None and passed.group(1) == m.group(1):
                spans.append((i, i))
                break
    return spans


# XCTest's own output when Xcode retries failed tests (`-retry-tests-on-failure`): a try's
# `file.swift:74: error: -[Mod.Tests testX] : ...`, then `Test Case '-[Mod.Tests testX]'
# started (Iteration 2 of 3)` and, when the retry passed, `... passed (0.412 seconds).`
_XCTEST_ERROR = re.compile(r"^\S{1,500}:\d+: error: (-\[[^\]]{1,300}\]) : ")
#: How far after a failed try its passing retry may be reported.
XCTEST_RETRY_LINES = 500


def xctest(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """A failed try of an XCTest case that passed when Xcode ran it again: its error line."""
    spans = []
    for i in sorted(hits.signatures):
        if i >= fail:
            break
        if (m := _XCTEST_ERROR.match(lines[i][:MAX_LINE])) is None:
            continue
        case = f"Test Case '{m.group(1)}' "
        after = range(i + 1, min(fail, i + XCTEST_RETRY_LINES))
        if any(lines[j].startswith(case + "passed") for j in after):
            # (the try's error, to its own `failed (2.014 seconds).`)
            end = next((j for j in after if lines[j].startswith(case + "failed")), i)
            spans.append((i, end))
    return spans
