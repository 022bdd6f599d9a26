"""A tool's line that only names what failed yields to the tool's own report of why.

Gradle's failed task (or its closing `BUILD FAILED`) to the deepest `>` line of its `* What went
wrong:` report, pytest's short summary to the `E` line it repeats, Go's `--- FAIL: TestX` to
what the test printed and its `FAIL pkg [build failed]` to the compiler's errors, a failed
Flutter test's line to the message of the exception box above it, rustc's `-->` location to
the diagnostic over it, and its `linking with cc failed` to the linker's error in the note under
it. Each rule runs after the choice (`heads.past` calls them).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace

from ciwhy.analysis.chains import at as _at
from ciwhy.analysis.library_index import MAX_LINE, Hits
from ciwhy.analysis.locate import Candidate

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
    if chosen.index and _WHAT_WENT_WRONG.match(lines[chosen.index - 1]):
        # (the report's first line, `A problem occurred configuring project ':app'.`,
        # `Execution failed for task ':app:lint'.`: its deepest `>` line says why)
        deepest = _deepest(lines, chosen.index - 1)
        return chosen if deepest is None else _at(cands, deepest, chosen)
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


#: pytest's short test summary (`FAILED tests/a.py::test_x - AssertionError: assert 1 == 2`,
#: `ERROR tests/a.py::test_y - OperationalError: ...` for an error in a fixture) repeats the
#: `E   AssertionError: ...` line of the failure's report above it.
_SHORT_SUMMARY = re.compile(r"^(?:FAILED|ERROR) \S+ - (?P<message>\S.{9,})")
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


#: pytest's trailer under a failure's traceback (`src/codec.py:61: UnicodeEncodeError`): the
#: `E   UnicodeEncodeError: message` line above it says what went wrong, the trailer only where.
_PYTEST_LOCATION = re.compile(r"^[^\s:]{1,300}\.py:\d+: ([A-Z]\w{0,100})\s*$")
_PYTEST_REPORT_HEADER = re.compile(r"^_{3,} .{1,300} _{3,}\s*$")
#: How far above the trailer its `E` lines may be.
E_LINES = 40


def past_pytest_location(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """The nearest `E` line above a chosen pytest location trailer that names its exception."""
    if chosen is None or (m := _PYTEST_LOCATION.match(lines[chosen.index][:MAX_LINE])) is None:
        return chosen
    names = re.compile(rf"^E\s+(?:[\w.]{{1,200}}\.)?{re.escape(m.group(1))}(?::|\s*$)")
    for j in range(chosen.index - 1, max(-1, chosen.index - E_LINES), -1):
        line = lines[j][:MAX_LINE]
        if _PYTEST_REPORT_HEADER.match(line):
            break  # (the report's own header: the failure before it is another)
        if names.match(line):
            return _at(cands, j, chosen)
    return chosen


#: rustc's report of a failed link, then the linker's command and output as notes under it.
_LINK_FAILED = re.compile(r"^error: linking with `[^`]{1,100}` failed")
_NOTE_COMMAND = re.compile(r"^\s*= note: (?:LC_ALL=|\"|some arguments are omitted)")
_LINKER_SAYS = re.compile(
    r"(?i)\berror\b|undefined (?:reference|symbol)|cannot find|not found|multiple definition"
    r"|will not fit|overflowed"
)
#: How far under rustc's line the linker's notes may run.
NOTE_LINES = 40


def past_linker_note(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """rustc's `error: linking with `cc` failed` yields to the first error the linker printed
    in the notes under it (`= note: /usr/bin/ld: cannot find -lssl`, `rust-lld: error: section
    '.text' will not fit in region 'FLASH'`), past the note of its command line."""
    if chosen is None or not _LINK_FAILED.match(lines[chosen.index]):
        return chosen
    for j in range(chosen.index + 1, min(len(lines), chosen.index + NOTE_LINES)):
        line = lines[j][:MAX_LINE]
        if line.strip() and not line[0].isspace():
            break  # (the notes end at the next line at the margin)
        if not _NOTE_COMMAND.match(line) and _LINKER_SAYS.search(line):
            return _at(cands, j, chosen)
    return chosen


#: CTest's closing list of failed tests (`The following tests FAILED:`, `  6 - name (Failed)`)
#: and, above it, each test's result line, with what the test printed under it
#: (`--output-on-failure`) up to the next test's start.
_CTEST_LIST = re.compile(r"^The following tests FAILED:\s*$")
_CTEST_FAILED = re.compile(r"^\s{1,12}\d+ - (?P<test>\S{1,200}) \(")
_CTEST_NEXT = re.compile(r"^\s*(?:Start\s+\d+: |\d+/\d+ Test\s+#)|^\s*\d+% tests passed")
#: How far above its closing list a failed test's result may stand, and how long its output.
CTEST_REACH, CTEST_OUTPUT = 20000, 200


def past_ctest(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """CTest's closing list of failed tests yields to what the first of them printed under its
    result line (`6/12 Test  #6: halo_np4 ....***Failed`): the first candidate there; else
    `chosen` (the list names the test, the output was not shown)."""
    if chosen is None:
        return chosen
    i = chosen.index
    if _CTEST_LIST.match(lines[i]) and i + 1 < len(lines):
        i += 1
    if (m := _CTEST_FAILED.match(lines[i])) is None:
        return chosen
    result = re.compile(rf"^\s*\d+/\d+ Test\s+#\d+: {re.escape(m.group('test'))} \.*\s*\*\*\*")
    by_index = {c.index: c for c in cands}
    for j in range(i - 1, max(-1, i - CTEST_REACH), -1):
        if not result.match(lines[j]):
            continue
        for k in range(j + 1, min(i, j + CTEST_OUTPUT)):
            if _CTEST_NEXT.match(lines[k]):
                break
            if k in by_index:
                return by_index[k]
        break
    return chosen


#: Surefire's run of a test class (`Running com.x.FooTest`), its verdict on the class
#: (`Tests run: 4, Failures: 1, ... <<< FAILURE! - in com.x.FooTest`) and, under the verdict, a
#: failed test's header (`testX(com.x.FooTest)  Time elapsed: 0.5 sec  <<< ERROR!`) over what
#: it raised.
_SUREFIRE_RUNNING = re.compile(r"^(?:\[INFO\] )?Running (?P<cls>[\w$.]+)\s*$")
_SUREFIRE_VERDICT = re.compile(r"^(?:\[(?:ERROR|INFO|WARNING)\] )?Tests run: \d+, ")
_SUREFIRE_FAILED = re.compile(r"<<< (?:FAILURE|ERROR)!")
_SUREFIRE_TEST = re.compile(
    r"^(?:\[ERROR\] )?\S.{0,300}\s+Time elapsed: .{1,40} <<< (?:FAILURE|ERROR)!"
)
#: How far a class's run may reach either side of the chosen line, and its report under it.
SUREFIRE_LINES, SUREFIRE_REPORT = 3000, 40


def past_surefire_output(
    lines: Sequence[str], hits: Hits, cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """A line a failing JUnit class printed while it ran (`Exception in thread "pool-2"
    ...`, a logged error) yields to what its first failed test raised, as Surefire reports it
    under the class's verdict: the report says why the test failed; what the code logged on
    the way may be expected. (Not a line a signature knows as a cause: Testcontainers' `Could
    not find a valid Docker environment` fails the class, and its report only repeats it.)
    Else `chosen`."""
    if chosen is None or chosen.signature is not None or _SUREFIRE_TEST.match(lines[chosen.index]):
        return chosen
    i = chosen.index
    # (the vocabulary flags each `Running X`: the nearest above, if any, bounds the search)
    flagged = hits.roles.get("surefire", [])
    k = bisect.bisect_left(flagged, i) - 1
    if k < 0 or i - flagged[k] > SUREFIRE_LINES:
        return chosen
    running = None
    for j in range(i - 1, flagged[k] - 1, -1):
        line = lines[j]
        if _SUREFIRE_VERDICT.match(line):
            return chosen  # (a class's verdict between: the line is not in a class's run)
        if (m := _SUREFIRE_RUNNING.match(line)) is not None:
            running = m.group("cls")
            break
    if running is None:
        return chosen
    for j in range(i + 1, min(len(lines), i + SUREFIRE_LINES)):
        line = lines[j]
        if _SUREFIRE_RUNNING.match(line):
            return chosen
        if not _SUREFIRE_VERDICT.match(line):
            continue
        if not _SUREFIRE_FAILED.search(line):
            return chosen  # (the class passed: its output is an aside already)
        for k in range(j + 1, min(len(lines) - 1, j + SUREFIRE_REPORT)):
            if _SUREFIRE_TEST.match(lines[k]) and lines[k + 1].strip():
                said = _at(cands, k + 1, chosen)
                return replace(said, features=said.features | {"test_report"})
        return chosen
    return chosen
