"""Flaky tests: tests a runner reports as failed, then passed when tried again.

The failed tries' output is in the log, often before the test that really failed, and reads
like a cause; the runner's own verdict (Bazel's `FLAKY`, Playwright's `N flaky` list) says it
is not. Each function is an aside finder (asides.py): the stretches a flaky test's failed tries
printed, as (start, end) line ranges.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.library_index import MAX_LINE, Hits

_BAZEL_OUTPUT = re.compile(r"^=+ Test output for (//\S+):\s*$")
_BAZEL_END = re.compile(r"^={40,}\s*$")
#: How far below its summary the output of a flaky Bazel test may start, and run.
BAZEL_LINES = 2000


def bazel(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """The output Bazel shows of a test it reports FLAKY (failed, then passed when tried
    again): the failed attempt did not fail the build."""
    spans = []
    for i in hits.roles.get("bazel_flaky", ()):
        target = lines[i][7 : lines[i].find(" (Summary)")]
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
    return spans


#: Where Playwright's closing summary (`1 failed`, `2 flaky`, `40 passed (1.2m)`) may stand
#: before the failure marker, and how far above it its run's output is read.
SUMMARY_LINES = 300
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
    start = max(0, fail - SUMMARY_LINES)
    summary = next(
        (i for i in range(fail - 1, start - 1, -1) if _PW_SUMMARY.match(lines[i][:MAX_LINE])),
        None,
    )
    if summary is None:
        return []
    flaky: list[str] = []
    for i in range(summary, start - 1, -1):
        if _PW_FLAKY.match(lines[i][:MAX_LINE]):
            for j in range(i + 1, fail):
                line = lines[j][:MAX_LINE]
                if _PW_SUMMARY.match(line) or (m := _PW_LISTED.match(line)) is None:
                    break
                flaky.append(m.group(1))
            break
    spans = []
    reported: set[str] = set()
    run = range(max(0, summary - RUN_LINES), summary)
    for i in run:  # (the reports, after the run)
        if (m := _PW_REPORT.match(lines[i][:MAX_LINE])) is not None:
            reported.add(m.group(1))
            if any(name in m.group(1) for name in flaky):  # (to the next report)
                end = i
                while end + 1 < summary and not (
                    _PW_REPORT.match(nxt := lines[end + 1][:MAX_LINE]) or _PW_SUMMARY.match(nxt)
                ):
                    end += 1
                spans.append((i, end))
    if not reported:
        return spans
    for i in run:
        if (m := _PW_RAN.match(lines[i][:MAX_LINE])) is not None and (
            m.group(1) in reported or any(name in m.group(1) for name in flaky)
        ):
            spans.append((i, i))
    return spans
