"""A chosen line that only heads what follows yields to the line it heads.

After the choice (locate.choose): a traceback's head to its exception line, a test runner's
file header (jest's `FAIL src/a.test.js`) to its first failed test, rspec's `Failure/Error:`
to the exception under it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ciwhy.analysis.chains import at as _at
from ciwhy.analysis.chains import (
    past_anyhow,
    past_caused_by,
    past_compile_file_error,
    past_notebook,
)
from ciwhy.analysis.library_index import MAX_LINE, Hits
from ciwhy.analysis.locate import Candidate
from ciwhy.analysis.reports import past_summary, past_verdict

#: How far a traceback announced by its head (`Traceback (most recent call last):`) may run.
TRACEBACK_LINES = 300


def past_head(
    lines: Sequence[str], hits: Hits, cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """A traceback's head says only that one follows: its exception line (the first line
    after the head's frames that is not indented, `KeyError: 'x'`) names the cause. The
    chosen head yields to that line when it is a candidate with an exception or a cause
    signature."""
    if chosen is None or "traceback" not in hits.features.get(chosen.index, ()):
        return chosen
    by_index = {c.index: c for c in cands}
    for j in range(chosen.index + 1, min(len(lines), chosen.index + TRACEBACK_LINES)):
        line = lines[j]
        if not line.strip() or line[:1] in " \t":
            continue
        c = by_index.get(j)
        if c is not None and (c.signature is not None or "exception" in c.features):
            return c
        return chosen
    return chosen


_FILE_HEADER = re.compile(r"^\s*FAIL\s+\S")
_TEST_BULLET = re.compile(r"^\s*● \S")
_FAILURE_ERROR = re.compile(r"^\s*Failure/Error: ")
#: An exception's class alone on its line, its message indented under it (rspec's report).
EXCEPTION_CLASS = re.compile(r"^\s*[A-Z][\w:.]{0,200}(?:Error|Exception|Exit)\w{0,40}:\s*$")
#: vstest's heading of a failed test's message: the message is the line under it.
_ERROR_MESSAGE = re.compile(r"^\s*Error Message:\s*$")
#: FiveAM's heading of its failed checks (a test runner's, though its words do not say so).
_FIVEAM_DETAILS = re.compile(r"^\s*Failure Details:\s*$")
#: Headers that are a test runner's whatever their words say.
_TEST_HEADERS = frozenset((_FIVEAM_DETAILS,))
#: rspec's line before a report of an error outside any example (a spec file that failed to
#: load, a suite hook): its `Failure/Error:` heads no test's failure.
_OUTSIDE_TESTS = re.compile(
    r"^\s*An error occurred (?:while loading|in a `?(?:before|after)\(:suite\))"
)
#: A header that yields to the line it heads: (the header, the first line under it that says
#: more, how many lines below the header it may be).
HEADERS: tuple[tuple[re.Pattern[str], re.Pattern[str], int], ...] = (
    # jest's and vitest's `FAIL src/a.test.js` names a file; the `● Suite › test` under it
    # names the failed test, and its assertion follows
    (_FILE_HEADER, _TEST_BULLET, 3),
    # rspec's `Failure/Error:` quotes the code that raised; the exception's class under it
    # (`KeyError:`, its message indented below) says what went wrong
    (_FAILURE_ERROR, EXCEPTION_CLASS, 3),
    # R CMD check's `* checking examples ... ERROR` (or tests): R's own `Error in f():` below
    # it, after the lines of the example that ran, says what went wrong
    (
        re.compile(r"^\* checking .{1,200} \.\.\. ERROR\s*$"),
        re.compile(r"^Error(?: in .{1,300})?:"),
        40,
    ),
    # jest's `● Suite › test`: the message indented under it (`TypeError: ...`, `expect(...)`)
    # (a test's, `Suite › test`; not jest's own `● Validation Error:`; not a matcher's
    # boilerplate, `expect(received).toBe(expected)`: the test's name says more)
    # (a snapshot's `Received value does not match stored snapshot "x 1".` is its message)
    (re.compile(r"^\s*● .{1,300} › "), re.compile(r"^\s{2,}(?!expect\(|Expected|Received:)\S"), 4),
    # Playwright's `  1) [chromium] › a.spec.ts:5:3 › test ───`: the error indented under it
    (re.compile(r"^\s*\d{1,5}\) \[[\w -]{1,60}\] › \S"), re.compile(r"^\s{2,}\S"), 2),
    # Gradle's `FooTest > bar() FAILED`: the exception indented under it
    (
        re.compile(r"^\S.{0,300} > .{1,300} FAILED\s*$"),
        re.compile(r"^\s+(?:[a-z_$][\w$]*\.)*[A-Z][\w$]*(?:Error|Exception|Failure)\b"),
        2,
    ),
    # ExUnit's `  1) test name (Module)`: after the test's file:line, what raised or failed
    (
        re.compile(r"^\s*\d{1,5}\) (?:test|doctest|property) .{1,500} \([\w.]{1,200}\)\s*$"),
        re.compile(r"^\s+(?:\*\* \([A-Z]|Assertion with |Expected truthy|match \(=\) failed)"),
        4,
    ),
    # rspec's `Failure/Error: <the code that raised>`: the class of what it raised, alone on its
    # line under it (`ActiveRecord::RecordNotUnique:`, its message below); not an expectation's
    # `expected: 3`
    (
        re.compile(r"^\s*Failure/Error: "),
        re.compile(r"^\s+(?:[A-Z]\w{0,100}::){0,8}[A-Z]\w{0,100}:\s*$"),
        3,
    ),
    # rcmdcheck's ` E  Running ‘testthat.R’` over the tests' last lines of output: their first
    # failure or error
    (
        re.compile(r"^\s{0,2}E\s{2}(?:Running|checking) \S"),
        re.compile(r"^\s*(?:── (?:\d+\. )?(?:Failure|Error)\b|Error(?: in .{1,300})?:)"),
        40,
    ),
    # Stack's build plan: which package's version does not match, indented under the package
    # that needs it
    (
        re.compile(r"^(?:Error: )?While constructing the build plan, the following exceptions"),
        re.compile(r"^\s{4}\S"),
        6,
    ),
    # R's `Error: processing vignette 'x.Rmd' failed with diagnostics:`, then the diagnostic
    (
        re.compile(r"^Error: processing vignette .{1,300} failed with diagnostics:\s*$"),
        re.compile(r"^\S"),
        2,
    ),
    # unittest's `FAIL: test_x (pkg.TestY)`: what its traceback ends with, at the margin
    (
        re.compile(r"^(?:FAIL|ERROR): \w{1,200} \([\w.]{1,300}\)\s*$"),
        re.compile(r"^(?:[a-z_]\w{0,100}\.){0,10}[A-Z]\w{0,100}(?:Error|Exception|Failure|Exit)\b"),
        60,
    ),
    # Pester's `[-] name 61ms`: its message indented under it
    (re.compile(r"^\s*\[-\] \S"), re.compile(r"^\s{2,}(?!at )\S"), 2),
    # FiveAM's `Failure Details:`, its rule, then the failed test's name and description (the
    # check that failed under it)
    (
        _FIVEAM_DETAILS,
        re.compile(r"^\s*[A-Z][\w.:%*+/<>=!?-]{0,200}(?: \[.{0,300}\])?: ?\s*$"),
        3,
    ),
    # `dotnet test`'s `  Failed Ns.Test [1 s]`: the line under its `  Error Message:` says why
    (
        re.compile(r"^\s*Failed \S.{0,300} \[[\d.,]+ \w{1,3}\]\s*$"),
        _ERROR_MESSAGE,
        3,
    ),
)


def past_header(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """The line a chosen header heads (HEADERS); else `chosen`."""
    if chosen is None:
        return None
    for header, under, within in HEADERS:
        if not header.match(lines[chosen.index]):
            continue
        by_index = {c.index: c for c in cands}
        for j in range(chosen.index + 1, min(len(lines), chosen.index + 1 + within)):
            test: bool | None = header in _TEST_HEADERS or None
            if chosen.index and _OUTSIDE_TESTS.match(lines[chosen.index - 1]):
                test = False  # (rspec's error while loading a spec file: no test ran)
            if under is _ERROR_MESSAGE and under.match(lines[j]):
                # (the heading's message, on the line under it)
                if j + 1 >= len(lines):
                    return chosen
                return _as_test(_at(cands, j + 1, chosen), chosen, test)
            if under.match(lines[j]):
                return _as_test(by_index.get(j) or _at(cands, j, chosen), chosen, test)
    return chosen


def _as_test(c: Candidate, header: Candidate, test: bool | None = None) -> Candidate:
    """`c`, read as a failed test's own report when the header it yields from is a test's
    (by its features or signature; `test` True or False: by its shape or its context)."""
    sig = header.signature
    if test is False:
        return c
    if test or "test_fail" in header.features or (sig is not None and "test" in sig.captures):
        return replace(c, features=c.features | {"test_report"})
    return c


#: Gradle's line for a failed task (`> Task :app:lint FAILED`, `Execution failed for task
#: ':app:lint'.`): the build's report below it (`* What went wrong:`) says why, its deepest `>`
#: line most precisely.
_TASK_FAILED = re.compile(
    r"^(?:> Task \S+ FAILED\s*$|(?:[\w.]+Exception: )?Execution failed for task )"
)
#: Gradle's closing verdict on the build, after its report.
_BUILD_FAILED = re.compile(r"^(?:BUILD FAILED in \S+\s*$|FAILURE: Build failed with an exception)")
_WHAT_WENT_WRONG = re.compile(r"^\* What went wrong:\s*$")
_REPORT_END = re.compile(r"^\* (?:Try|Exception is|Get more help):")
_DETAIL = re.compile(r"^\s*> \S")
#: A detail that only points elsewhere: the task's own output above holds the cause.
_POINTER = re.compile(
    r"(?i)^\s*> (?:A failure occurred while executing|There (?:were|was) (?:\w+ )?fail|"
    r"Compilation (?:error|failed)|Run with --|See the report|Process '.{0,300}' finished with "
    r"non-zero exit value)"
)
#: How far below the task's line Gradle's report may start, and how long it may run.
REPORT_WITHIN, REPORT_LINES = 120, 40


def _deepest(lines: Sequence[str], start: int) -> int | None:
    """The deepest `>` line of the report that `* What went wrong:` at `start` opens, unless it
    only points back at output above (failing tests, compilation errors)."""
    deepest = None
    for j in range(start + 1, min(len(lines), start + REPORT_LINES)):
        if _REPORT_END.match(lines[j]):
            break
        if _DETAIL.match(lines[j]):
            deepest = j
    return None if deepest is None or _POINTER.match(lines[deepest]) else deepest


def past_task(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """A chosen Gradle task failure yields to the deepest `>` line of the build's report on
    it, unless that line only points back at the task's output (failing tests, compilation
    errors: their own lines above were not chosen, the report says no more). The build's
    closing verdict (`BUILD FAILED in 41s`) yields to the report above it: its deepest `>`
    line, else what the report's first line says went wrong."""
    if chosen is None:
        return chosen
    if _TASK_FAILED.match(lines[chosen.index]):
        end = min(len(lines), chosen.index + REPORT_WITHIN)
        start = next(
            (j for j in range(chosen.index + 1, end) if _WHAT_WENT_WRONG.match(lines[j])), None
        )
        deepest = None if start is None else _deepest(lines, start)
        return chosen if deepest is None else _at(cands, deepest, chosen)
    if _DETAIL.match(lines[chosen.index]):
        # (a line of the report: its deepest `>` line says most)
        start = next(
            (
                j
                for j in range(chosen.index - 1, max(-1, chosen.index - REPORT_LINES), -1)
                if _WHAT_WENT_WRONG.match(lines[j]) or _REPORT_END.match(lines[j])
            ),
            None,
        )
        if start is None or not _WHAT_WENT_WRONG.match(lines[start]):
            return chosen
        deepest = _deepest(lines, start)
        return chosen if deepest is None or deepest <= chosen.index else _at(cands, deepest, chosen)
    if _BUILD_FAILED.match(lines[chosen.index]):
        low = max(-1, chosen.index - REPORT_WITHIN)
        start = next(
            (j for j in range(chosen.index - 1, low, -1) if _WHAT_WENT_WRONG.match(lines[j])),
            None,
        )
        if start is None or start + 1 >= chosen.index:
            return chosen
        deepest = _deepest(lines, start)
        return _at(cands, start + 1 if deepest is None else deepest, chosen)
    return chosen


#: pytest's short test summary (`FAILED tests/a.py::test_x - AssertionError: assert 1 == 2`)
#: repeats the `E   AssertionError: ...` line of the failure's report above it.
_SHORT_SUMMARY = re.compile(r"^FAILED \S+ - (?P<message>\S.{9,})")
_E_LINE = re.compile(r"^E\s+(?P<message>\S.*)")
#: How far above its short summary a failure's report may stand.
REPORT_REACH = 3000


def past_repeat(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """A chosen pytest short-summary line yields to the `E` line it repeats, where the failure
    was reported (the first such line above it); else `chosen`."""
    if chosen is None or not (m := _SHORT_SUMMARY.match(lines[chosen.index])):
        return chosen
    said = m.group("message")[:40]
    for j in range(max(0, chosen.index - REPORT_REACH), chosen.index):
        e = _E_LINE.match(lines[j])
        if e is not None and e.group("message").startswith(said):
            return _at(cands, j, chosen)
    return chosen


_GO_FAIL = re.compile(r"^\s*--- FAIL: (?P<test>\S+)")
_GO_MESSAGE = re.compile(r"^\s+[\w.-]+_test\.go:\d+: \S")
_GO_NEXT = re.compile(r"^\s*(?:=== (?:RUN|CONT|PAUSE|NAME)|--- )")
#: How far above its `--- FAIL:` a Go test's `=== RUN` may stand.
GO_TEST_LINES = 400
_GO_BUILD_FAILED = re.compile(r"^FAIL\s+(?P<pkg>\S+) \[build failed\]")
#: How far above a package's `FAIL pkg [build failed]` its compiler errors may stand.
GO_BUILD_LINES = 5000


def past_go_fail(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """A chosen Go `--- FAIL: TestX` yields to the first `x_test.go:N:` line its test printed
    (Go 1.14 and later stream a test's output after its `=== RUN TestX`, before the result);
    a `FAIL pkg [build failed]` to the first compiler error under `# pkg`; else `chosen` (older
    Go prints a test's output after the result)."""
    if chosen is None:
        return chosen
    if b := _GO_BUILD_FAILED.match(lines[chosen.index]):
        # (`FAIL pkg [build failed]`: the compiler's errors under `# pkg` above, printed when
        # the test binary was built)
        head = f"# {b.group('pkg')}"
        for j in range(chosen.index - 1, max(-1, chosen.index - GO_BUILD_LINES), -1):
            if lines[j] == head or lines[j].startswith(head + " ["):
                return _at(cands, j + 1, chosen) if j + 1 < chosen.index else chosen
        return chosen
    if not (m := _GO_FAIL.match(lines[chosen.index])):
        return chosen
    run = f"=== RUN   {m.group('test')}"
    for j in range(chosen.index - 1, max(-1, chosen.index - GO_TEST_LINES), -1):
        if lines[j].rstrip() != run:
            continue
        for k in range(j + 1, chosen.index):
            if _GO_MESSAGE.match(lines[k]):
                return _at(cands, k, chosen)
            if _GO_NEXT.match(lines[k]):
                break
        break
    return chosen


#: Flutter's test framework prints what a test threw in a box before the runner's line for
#: the failed test (`00:23 +31 -1: file: name [E]`): the box's message (after `The following
#: TestFailure was thrown running a test:`) says why.
_FLUTTER_BOX = re.compile(r"^══╡ EXCEPTION CAUGHT BY [A-Z ]{1,60} ╞")
_THROWN = re.compile(r"^The following .{1,200} was thrown\b.{0,200}:\s*$")
_DART_FAILED = re.compile(r"^\d{1,3}:\d\d \+\d+(?: ~\d+)? -\d+: .{1,2000} \[E\]\s*$")
BOX_REACH = 200


def past_flutter_box(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """The message of the Flutter exception box above a chosen failed test's line."""
    if chosen is None or not _DART_FAILED.match(lines[chosen.index][:MAX_LINE]):
        return chosen
    for j in range(chosen.index - 1, max(-1, chosen.index - BOX_REACH), -1):
        line = lines[j][:MAX_LINE]
        if _DART_FAILED.match(line):
            break  # (an earlier failed test's: the box is not this test's)
        if _FLUTTER_BOX.match(line):
            end = min(chosen.index, j + 9)
            thrown = next((k for k in range(j + 1, end) if _THROWN.match(lines[k])), None)
            said = thrown and next((m for m in range(thrown + 1, end) if lines[m].strip()), None)
            return _at(cands, said, chosen) if said else chosen
    return chosen


#: rustc's location under its diagnostic (`   --> src/x.rs:3:5` under `error[E0308]: ...`):
#: the diagnostic says what went wrong, the location only where.
_LOCATION = re.compile(r"^\s*--> \S+:\d+")
_DIAGNOSTIC = re.compile(r"^error(?:\[[\w-]{1,40}\])?: \S")


def past_location(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """The diagnostic a chosen location line sits under."""
    if chosen is None or chosen.index == 0 or not _LOCATION.match(lines[chosen.index]):
        return chosen
    above = chosen.index - 1
    return _at(cands, above, chosen) if _DIAGNOSTIC.match(lines[above]) else chosen


def past(
    lines: Sequence[str], hits: Hits, cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """The line `chosen` heads, where it only heads one."""
    chosen = past_caused_by(lines, cands, past_head(lines, hits, cands, chosen))
    chosen = past_compile_file_error(lines, cands, chosen)
    chosen = past_notebook(lines, cands, past_flutter_box(lines, cands, chosen))
    chosen = past_header(lines, cands, past_header(lines, cands, chosen))
    chosen = past_summary(lines, cands, past_task(lines, cands, chosen))
    chosen = past_location(lines, cands, past_anyhow(lines, cands, chosen))
    chosen = past_go_fail(lines, cands, past_repeat(lines, cands, chosen))
    return past_verdict(lines, cands, chosen)
