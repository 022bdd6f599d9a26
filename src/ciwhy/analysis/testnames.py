"""Failing test names (and file:line where the runner prints them), from the runners' own
failure lines. Only lines the scan flagged as test failures are read."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from ciwhy.models import FailingTest

MAX_TESTS = 50

_RUNNERS = tuple(
    re.compile(p)
    for p in (
        r"^FAILED (?P<file>[^\s:]+\.py)::(?P<name>\S+?)(?: - |$)",  # pytest summary
        r"^(?P<file>[^\s:]+\.py)::(?P<name>\S+) FAILED",  # pytest -v
        r"--- FAIL: (?P<name>\S+)",  # go test
        r"^\s*(?:✕|×) (?P<name>.{1,200}?)(?: \(\d+ ?m?s\)| \d+(?:\.\d+)? ?m?s)?$",  # jest/vitest
        r"^\s*● (?P<name>.{1,200}? › .{1,200})$",  # jest
        r"^(?P<name>[\w.$]+ > .{1,200}?) FAILED$",  # gradle
        r"^(?:\[ERROR\] )?(?P<name>\w+)\((?P<cls>[\w.$]+)\)\s+Time elapsed.{0,40}<<< (?:FAILURE|ERROR)!",
        r"^(?:\[ERROR\] )?(?P<name>[\w.$]+?)(?: --)?\s+Time elapsed.{0,40}<<< (?:FAILURE|ERROR)!",
        r"^rspec (?P<file>\S+?):(?P<line>\d+) # (?P<name>.{1,200})",  # rspec
        r"^(?:\[xUnit\.net [\d:.]+\])?\s*(?P<name>[\w.`<>+-]+(?:\(.{0,120}\))?) \[FAIL\]",  # xunit
        r"^\s*Failed (?P<name>[\w.]+(?:\(.{0,120}\))?) \[",  # dotnet test
        r"^test (?P<name>\S+) \.\.\. FAILED",  # cargo
        r"^\s*\d+\) (?P<name>[\w\\]+::\w+)(?:\s*$| with data set)",  # phpunit
        r"^\s*\d+\) (?P<name>(?:test|doctest|property) .{1,200}) \((?P<cls>[\w.]+)\)",  # ExUnit
        r"^\s*\d+/\d+ Test\s+#\d+: (?P<name>\S+) \.+\*{0,3}Failed",  # ctest
        r"^\s*\d+ - (?P<name>\S+) \((?:Failed|SEGFAULT|Timeout|Subprocess aborted)\)",  # ctest
        r"^not ok \d+ (?:- )?(?P<name>.{1,200})",  # TAP
        r"^(?P<file>\S+\.t) \.+ ?(?:Dubious|Failed)",  # prove
        r"^\[info\] - (?P<name>.{1,200}) \*\*\* FAILED \*\*\*",  # scalatest
        r"^(?P<file>\S+?):(?P<line>\d+): (?P<name>\S+) FAILED",
        r"^(?P<file>[^\s:]+\.c\w{0,2}):(?P<line>\d+):(?P<name>\w+):FAIL\b",  # Unity (C)
        r"^\s*FAILED\s+(?P<name>[\w\\]+ > .{1,200}?)\s*$",  # Pest / Laravel
        r"^FAIL in \((?P<name>[^)]{1,200})\) \((?P<file>[^:()\s]+):(?P<line>\d+)\)",  # clojure.test
        r"^\s*#\s+Failed test '(?P<name>.{1,200})'",  # Perl Test::More
        # mocha's and rspec's headers (minitest's `1) Failure:` names no test: the next line does)
        r"^\s{0,4}\d{1,4}\) (?!(?:Failure|Error):$)(?P<name>[^\s:].{2,200}?):?$",
    )
)
_NUMBERED = _RUNNERS[-1]
_RULE = "─━- "  # (Playwright draws a rule after a failure's title)
_ERROR_BOX = ("│", "╰")  # (pip and uv draw their error's details in a box under its `×` line)
# mocha's failure headers name the suite, then the test on the next line, deeper and ending in
# a colon: `  1) Users API` / `       creates a user:`
_TITLE_GOES_ON = re.compile(r"^(?P<indent>\s+)(?P<rest>\S.{0,200}?)(?P<end>:?)$")
#: How many lines a numbered failure's title may take (mocha nests a suite's describe blocks).
TITLE_LINES = 6


def _title(lines: Sequence[str], i: int, name: str) -> str:
    """A numbered failure's whole title: mocha prints each nested describe on a deeper line,
    the last ending with a colon (`1) TransferService` / `#transfer()` / `applies ...:`)."""
    if lines[i].rstrip().endswith(":"):
        return name
    indent = len(lines[i]) - len(lines[i].lstrip())
    parts = [name]
    for j in range(i + 1, min(len(lines), i + 1 + TITLE_LINES)):
        m = _TITLE_GOES_ON.match(lines[j])
        if m is None or len(m["indent"]) <= indent or ": " in m["rest"]:
            return name  # (not a title going on: `Failure/Error: ...` is the failure's output)
        parts.append(m["rest"].strip())
        indent = len(m["indent"])
        if m["end"]:
            return " ".join(parts)
    return name


# `file.py:12`, `File.cs(42,0)`, and .NET's stack frames: `in /src/Tests/File.cs:line 42`
# A bundler's source-map prefix: `webpack://web/./cypress/e2e/x.cy.ts` is `cypress/e2e/x.cy.ts`
_BUNDLER_PREFIX = re.compile(r"^//[^/]*/(?:\./)?")
# (a call's arguments, `Calc.add(2, 2)`, are not `File.cs(42,0)`; Perl says `at t/x.t line 8`)
_FILE_LINE = re.compile(
    r"(?P<file>[\w./-]+\.\w{1,6})(?::|\((?=\d+(?:,\d+)?\))|:line | line )(?P<line>\d+)"
)


def find(
    lines: Sequence[str],
    indexes: Iterable[int],
    named: Iterable[tuple[int, str, str | None, str | None]] = (),
) -> tuple[FailingTest, ...]:
    """Tests from the runners' failure lines, then from signatures that capture a `test`."""
    found: dict[str, FailingTest] = {}
    pending: dict[int, bool] = {}
    for i in indexes:
        line = lines[i].strip()[:1000]
        for rx in _RUNNERS:
            m = rx.search(line)
            if not m:
                continue
            if rx is _NUMBERED and _pending(lines, i, pending):
                break
            if i + 1 < len(lines) and lines[i + 1].lstrip().startswith(_ERROR_BOX):
                break  # (pip's and uv's `× Building wheel for x did not run successfully.`)
            g = m.groupdict()
            name = g["name"].strip().rstrip(_RULE)
            if rx is _NUMBERED:
                name = _title(lines, i, name)
            if g.get("cls"):
                name = f"{g['cls']}.{name}"
            file, num = g.get("file"), g.get("line")
            if file is None:  # the runner's next lines often carry file:line
                file, num = _location(lines[i + 1 : i + 1 + LOCATION_LINES], name)
            found = _record(found, FailingTest(name, file, int(num) if num else None))
            break
        if len(found) >= MAX_TESTS:
            break
    for i, name, file, num in named:
        name = name.strip().rstrip(_RULE)
        head, sep, rest = name.partition("::")
        if sep and file is None and head.endswith(".py") and rest:  # as pytest's summary gives
            file, name = head, rest
        if file is None and name and not _known(name, found):
            file, num = _location(lines[i + 1 : i + 1 + LOCATION_LINES], name)
        at = int(num) if num and num.isdigit() else None
        # (a name listed without its file: rspec's summary line gives file:line)
        unplaced = name in found and found[name].file is None and bool(file)
        if unplaced or (name and not _known(name, found) and len(found) < MAX_TESTS):
            found[name] = FailingTest(name, file, at)
    # A Go test that failed only because its subtests did (`TestX` beside `TestX/case`).
    parents = {n[:k] for n in found for k, c in enumerate(n) if c == "/" and " " not in n}
    return tuple(t for n, t in found.items() if n not in parents)


# The headers of a runner's report sections: numbered entries under `Pending:` or `Skipped:`
# (rspec, minitest) are tests that did not run, not failures.
# (PHPUnit heads its lists `There were 2 failures:`, `There was 1 risky test:`, and in version
# 10 `1 test triggered 1 PHP deprecation:`)
_SECTION = re.compile(
    r"^(?P<kind>Pending|Skipped|Failures|Errors|Failed examples)\b[^\n]{0,120}:"
    r"|^There (?:was|were) \d+ (?P<kind2>[\w ]{1,40}?):$|^\d+ tests? triggered (?P<kind3>)"
)
_NOT_RUN = ("Pending", "Skipped")
_RUN_FAILED = ("failure", "failures", "error", "errors")
SECTION_LOOKBACK = 400


def _pending(lines: Sequence[str], i: int, seen: dict[int, bool]) -> bool:
    """Whether line i is an entry of a section of tests that did not run. `seen` holds the
    answers for entries above it: the walk back stops at the last one (the same section)."""
    answer = False
    for j in range(i - 1, max(-1, i - SECTION_LOOKBACK), -1):
        if j in seen:
            answer = seen[j]
            break
        m = _SECTION.match(lines[j])
        if m:
            if m["kind2"] is not None:
                answer = m["kind2"] not in _RUN_FAILED
            else:
                answer = m["kind3"] is not None or m["kind"] in _NOT_RUN
            break
    seen[i] = answer
    return answer


#: How far under a failing test its location is looked for: the frame in the test's own file
#: sits under the assertion library's frames (JUnit 5 prints five of its own first).
LOCATION_LINES = 30
#: Without a frame named after the test, the first file:line this close under it is taken.
NEAR_LINES = 4
#: A location is looked for in a line's first characters (a frame is short; a dumped value is not).
LOCATION_CHARS = 400


def _location(following: Sequence[str], name: str) -> tuple[str | None, str | None]:
    """The file:line under a failing test: the first whose file is named after the test (its
    class or module, `InvoiceServiceTest.java:42`) or whose frame names it (`at X.test_y() in
    /src/XTests.cs:line 31`), else the first of the next few lines."""
    near: tuple[str, str] | None = None
    method = re.split(r"[.:> ]", name)[-1]
    lowered = name.lower()
    for k, line in enumerate(following):
        m = _FILE_LINE.search(line[:LOCATION_CHARS])
        if m is None:
            continue
        file = _BUNDLER_PREFIX.sub("", m["file"])
        stem = file.rsplit("/", 1)[-1].split(".", 1)[0]
        # (the file is named after the test's class or module, or the frame names the test)
        if (len(stem) > 2 and stem.lower() in lowered) or (
            len(method) > 3 and method in line[: m.start()]
        ):
            return file, m["line"]
        if near is None and k < NEAR_LINES:
            near = (file, m["line"])
    return near if near else (None, None)


_QUALIFIERS = (" ", "›", ">", ".", ":", "/", "#")


def _record(found: dict[str, FailingTest], test: FailingTest) -> dict[str, FailingTest]:
    """`found` with `test`: a name already listed with more or less of its qualification is
    one test, listed once by its fuller name, in its first place."""
    for known in found:
        if known == test.name or _qualifies(known, test.name):
            old = found[known]
            if old.file is None and test.file is not None:  # (rspec's summary names the file)
                found[known] = FailingTest(old.name, test.file, test.line)
            return found
        if _qualifies(test.name, known):
            old = found[known]
            test = FailingTest(test.name, test.file or old.file, test.line or old.line)
            return {(test.name if k == known else k): (test if k == known else v)
                    for k, v in found.items()}  # fmt: skip
    found[test.name] = test
    return found


def _known(name: str, found: dict[str, FailingTest]) -> bool:
    """Whether a test is already listed, by this name or with or without the suite, class or
    file that qualifies it (a signature may capture `adds` where the runner gave `Cart › adds`,
    or `tests/a.py::test_x` where the summary gave `test_x` and its file)."""
    return name in found or any(
        _qualifies(known, name) or _qualifies(name, known) for known in found
    )


def _qualifies(longer: str, shorter: str) -> bool:
    """`tests/test_api.py::test_x` and `test_x`, `Cart › adds` and `adds`: one test."""
    return longer.endswith(shorter) and longer[: -len(shorter)].endswith(_QUALIFIERS)


_GO_FAIL = re.compile(r"^\s*--- FAIL: (\S+)")


def parent_tests(lines: Mapping[int, str], idxs: Sequence[int]) -> set[int]:
    """Go's `--- FAIL: TestX` lines whose own subtests (`--- FAIL: TestX/case`) failed too:
    a summary of their subtests, not the cause."""
    fails = [(i, m.group(1)) for i in idxs if (m := _GO_FAIL.match(lines[i])) is not None]
    parents = {name[:k] for _, name in fails for k, c in enumerate(name) if c == "/"}
    return {i for i, name in fails if name in parents}
