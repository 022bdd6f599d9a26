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
from ciwhy.analysis.library_index import MAX_LINE, TOOL_PREFIX, Hits
from ciwhy.analysis.locate import Candidate
from ciwhy.analysis.reports import past_summary, past_verdict
from ciwhy.analysis.tool_reports import (
    past_ctest,
    past_flutter_box,
    past_go_fail,
    past_linker_note,
    past_location,
    past_pytest_location,
    past_repeat,
    past_surefire_output,
    past_task,
)

_PREFIX = re.compile(TOOL_PREFIX)
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
    j, end = chosen.index + 1, min(len(lines), chosen.index + TRACEBACK_LINES)
    while j < end:
        line = lines[j]
        if not line.strip() or line[:1] in " \t":
            j += 1
            continue
        # (an exception caught, then another raised while handling it: the first was expected,
        # the one its handler raised is why the program stopped)
        after = _handled(lines, j)
        if after is not None:
            j, end = after, min(len(lines), after + TRACEBACK_LINES)
            continue
        c = by_index.get(j)
        if c is not None and (c.signature is not None or "exception" in c.features):
            return c
        return chosen
    return chosen


_DURING_HANDLING = "During handling of the above exception, another exception occurred:"
_TRACEBACK_HEAD = "Traceback (most recent call last):"


def _handled(lines: Sequence[str], j: int) -> int | None:
    """Where the next traceback's frames start, when Python says that the exception on line j
    was being handled when that one was raised; else None."""
    k = j + 1
    while k < min(len(lines), j + 4) and not lines[k].strip():
        k += 1
    if k >= len(lines) or lines[k].strip() != _DURING_HANDLING:
        return None
    for m in range(k + 1, min(len(lines), k + 4)):
        if lines[m].strip() == _TRACEBACK_HEAD:
            return m + 1
    return None


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
    # (a Ruby class whose name says no `Error`: `PG::ConnectionBad:`, `Capybara::ElementNotFound:`)
    (_FAILURE_ERROR, re.compile(r"^\s*[A-Z]\w{0,100}(?:::[A-Z]\w{0,100}){1,8}:\s*$"), 3),
    # R CMD check's `* checking examples ... ERROR` (or tests): R's own `Error in f():` below
    # it, after the lines of the example that ran, says what went wrong
    (
        re.compile(r"^\* checking .{1,200} \.\.\. ERROR\s*$"),
        re.compile(r"^Error(?: in .{1,300})?:"),
        40,
    ),
    # phpcs' count over a file's table: its first ERROR row (` 47 | ERROR | [x] Expected ...`)
    (
        re.compile(r"^FOUND \d+ ERRORS? (?:AND \d+ WARNINGS? )?AFFECTING \d+ LINES?"),
        re.compile(r"^\s*\d+ \| ERROR \| "),
        12,
    ),
    # Composer's `Your requirements could not be resolved`: the first problem it states, past
    # its restating of what was asked (`- Installation request for x -> satisfiable by x`,
    # Composer 2's `- Root composer.json requires x -> satisfiable by x`)
    (
        re.compile(
            r"^\s*Your requirements could not be resolved to an installable set of packages"
        ),
        # (nor a link of the chain, `- a/b[1.0] require c/d ^9 -> satisfiable by c/d[9.0]`: the
        # problem is where a link is refused, `- Only one of these can be installed: ...`)
        re.compile(
            r"^\s+- (?!Installation request for |Root composer\.json requires )"
            r"(?!.{0,2000}-> satisfiable by )\S"
        ),
        12,
    ),
    # a tool's failure mark on a file alone (graphql-codegen's `  ✖ src/generated/graphql.tsx`):
    # the message indented right under it
    (re.compile(r"^\s*(?:✖|✗|✘|×)\s+[\w./@-]{1,300}\s*$"), re.compile(r"^\s{2,}\S"), 1),
    # fastlane's `Error in your Fastfile at line 41` and the code there: its `[!]` message below
    (re.compile(r"^Error in your Fastfile at line \d+"), re.compile(r"^\[!\] \S"), 30),
    # jest's `● Suite › test`: the message indented under it (`TypeError: ...`, `expect(...)`)
    # (a test's, `Suite › test`; not jest's own `● Validation Error:`; not a matcher's
    # boilerplate, `expect(received).toBe(expected)`: the test's name says more)
    # (a snapshot's `Received value does not match stored snapshot "x 1".` is its message)
    # (nor the name of the snapshot that did not match: the test's name says as much)
    (
        re.compile(r"^\s*● .{1,300} › "),
        re.compile(r"^\s{2,}(?!expect\(|Expected|Received:|Snapshot name:)\S"),
        4,
    ),
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
    # SonarScanner's `ERROR: Error during SonarScanner execution`: why, on its next ERROR line
    (
        re.compile(r"^(?:ERROR: )?Error during SonarScanner execution\s*$"),
        re.compile(r"^ERROR: (?!Re-run )\S"),
        3,
    ),
    # ninja's `FAILED: src/x.cpp.o`, the command it ran, then what the command said: its first
    # error (`src/x.cpp:12:5: error: ...`, `ccache: error: ...: Permission denied`)
    (
        re.compile(r"^FAILED: (?!Build did NOT)\S{1,300}(?: \S{1,300})?\s*$"),
        re.compile(r"^\S{1,300}?:(?:\d+:){0,2} ?(?:fatal )?error\b"),
        4,
    ),
    # Rust's panic since 1.73: `thread 'main' panicked at src/x.rs:190:5:`, its message on the
    # lines below (a build script's, after cargo's `--- stderr`, with blank lines between; not a
    # test's thread, whose panic line names the test and where it failed)
    (
        re.compile(r"^\s*thread 'main' panicked at \S{1,300}:\d+:\d+:?\s*$"),
        re.compile(r"^\s*\S"),
        4,
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
    # (a monorepo runner's prefix on each line, `@shop/web:test: FAIL src/a.test.tsx`: the
    # tool's own lines are read after it)
    prefix = _PREFIX.match(lines[chosen.index][:MAX_LINE])
    cut = prefix.end() if prefix is not None else 0
    for header, under, within in HEADERS:
        if not header.match(lines[chosen.index][cut:]):
            continue
        by_index = {c.index: c for c in cands}
        for j in range(chosen.index + 1, min(len(lines), chosen.index + 1 + within)):
            test: bool | None = header in _TEST_HEADERS or None
            if chosen.index and _OUTSIDE_TESTS.match(lines[chosen.index - 1][cut:]):
                test = False  # (rspec's error while loading a spec file: no test ran)
            if under is _ERROR_MESSAGE and under.match(lines[j][cut:]):
                # (the heading's message, on the line under it)
                if j + 1 >= len(lines):
                    return chosen
                return _as_test(_at(cands, j + 1, chosen), chosen, test)
            if under.match(lines[j][cut:]):
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
    chosen = past_pytest_location(lines, cands, chosen)
    chosen = past_ctest(lines, cands, past_linker_note(lines, cands, chosen))
    chosen = past_surefire_output(lines, hits, cands, chosen)
    chosen = past_go_fail(lines, cands, past_repeat(lines, cands, chosen))
    return past_verdict(lines, cands, chosen)
