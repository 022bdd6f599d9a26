"""Asides: stretches of output that are not the job's own errors.

Each finder reads the lines its vocabulary role flagged (vocabulary.py) and returns (start,
end) line ranges; a line inside one is never a candidate for the root cause, whatever its words
say. Finders register by name, so a new runner's shape is one function.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from ciwhy.analysis import captured, ci_asides, flaky, gotests, passed
from ciwhy.analysis.library_index import MAX_LINE, TOOL_PREFIX, Hits
from ciwhy.analysis.spans import union
from ciwhy.analysis.structure import JENKINS_POST, jenkins_pipeline_end
from ciwhy.analysis.traces import ignored_failures

Finder = Callable[[Sequence[str], Hits, int], list[tuple[int, int]]]
FINDERS: dict[str, Finder] = {}

#: How far a program's usage text runs after its `Usage:` line.
USAGE_LINES = 60
#: How far a test runner's capture of a test's output may run before its next result line.
CONSOLE_LINES = 400
#: How far a section that ends at a known heading (rspec's `Pending:`) may run.
SECTION_LINES = 5000


def finder(name: str) -> Callable[[Finder], Finder]:
    def deco(fn: Finder) -> Finder:
        FINDERS[name] = fn
        return fn

    return deco


FINDERS["bazel_flaky"] = flaky.bazel
FINDERS["playwright_flaky"] = flaky.playwright
FINDERS["surefire_flaky"] = flaky.surefire
FINDERS["gradle_retried"] = flaky.gradle
FINDERS["marked_retried"] = flaky.marked
FINDERS["xctest_retried"] = flaky.xctest
FINDERS["gradle_output"] = captured.gradle
FINDERS["bazel_output"] = captured.bazel
FINDERS["go_passed_test"] = gotests.passed_output
FINDERS["go_passed_log"] = passed.go_log
FINDERS["dart_passed_output"] = passed.dart
FINDERS["surefire_passed"] = passed.surefire
FINDERS["retried_then_passed"] = passed.retried_then_passed
FINDERS["passed_test_output"] = passed.googletest
FINDERS["tap_todo"] = passed.tap_todo
FINDERS["tox_passed"] = passed.tox_passed
FINDERS["xctest_passed"] = passed.xctest_passed
FINDERS["doctor"] = ci_asides.doctor
FINDERS["r_check_note"] = ci_asides.r_check_note
FINDERS["buildkit_done"] = ci_asides.buildkit_done
FINDERS["command_ok"] = ci_asides.command_ok
FINDERS["travis_after_success"] = ci_asides.travis_after_success
FINDERS["travis_preparation"] = ci_asides.travis_preparation
FINDERS["travis_setup"] = ci_asides.travis_setup


def find(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """Every aside before the failure marker, as sorted, disjoint ranges."""
    return union([span for fn in FINDERS.values() for span in fn(lines, hits, fail)])


def within(spans: Sequence[tuple[int, int]], i: int) -> bool:
    """Whether line i lies in one of `spans` (sorted and disjoint, as `find` returns them)."""
    k = bisect.bisect_right(spans, (i, 1 << 62)) - 1  # the last stretch starting at or before i
    return k >= 0 and i <= spans[k][1]


#: A rule across the line (box drawing), that closes a block of a runner's report.
_RULE = re.compile(r"^\s*[─━═]{5,}\s*$")


@finder("usage")
def _usage(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """A program's usage text, printed after it refused its arguments: the refusal is the line
    before it; the options listed in it are not causes. (It ends where the next step starts.)"""
    steps = hits.roles.get("step", [])
    spans = []
    for u in hits.roles.get("usage", ()):
        k = bisect.bisect_right(steps, u)
        end = min(u + USAGE_LINES, steps[k] - 1 if k < len(steps) else fail)
        # (or where a rule closes the block it is part of: Playwright's attachment, `Usage:` then
        # `npx playwright show-trace ...`, ends with a rule before the next test's report)
        end = next((j - 1 for j in range(u + 1, end + 1) if _RULE.match(lines[j])), end)
        spans.append((u + 1, end))
    return spans


@finder("ignored_failure")
def _ignored_failure(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What a traced command printed before the script ignored its failure (`cmd || true`
    traces `+ true` after it): not the job's error."""
    return [(cmd + 1, true) for true, cmd in ignored_failures(lines, hits, fail).items()]


# A test runner's next result: a file's PASS/FAIL line, or a failing test's `● name` header.
_RESULT_LINE = re.compile(r"^\s*(?:PASS|FAIL)\s|^\s*● (?!Console\s*$)")
# (or the runner's own next output, at the margin: its summary, a coverage table)
_CONSOLE_END = re.compile(_RESULT_LINE.pattern + r"|^\S")


def _until(
    lines: Sequence[str], opens: Sequence[int], closes: re.Pattern[str], fail: int, most: int
) -> list[tuple[int, int]]:
    """From each opening line to the line before the next that `closes` matches (or the
    failure marker, or `most` lines on)."""
    spans = []
    for start in opens:
        end = start + 1
        while end < min(fail, start + most) and not closes.match(lines[end]):
            end += 1
        spans.append((start, end - 1))
    return spans


@finder("console")
def _console(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """A test runner's capture of what a test printed (jest's `● Console`), to the next test
    result or line at the margin: the test's chatter, reported whether the test passed or not."""
    return _until(lines, hits.roles.get("console", ()), _CONSOLE_END, fail, CONSOLE_LINES)


# (a blank line, maybe after a monorepo runner's prefix: `@shop/api:test: `)
_BLANK = re.compile(rf"^(?:{TOOL_PREFIX})?\s*$")


@finder("vitest_console")
def _vitest_console(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """Vitest's capture of what a test printed (`stderr | src/a.test.ts > Suite > test`), to
    the blank line that ends it: the test's chatter, whether the test passed or not."""
    return _until(lines, hits.roles.get("vitest_console", ()), _BLANK, fail, CONSOLE_LINES)


_GROUP_END = re.compile(r"^##\[endgroup\]")
#: How long a GitHub step's opening group (its script, inputs and environment) may be.
STEP_HEADER_LINES = 100


@finder("github_step_header")
def _github_step_header(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """A GitHub step's opening group, `##[group]Run x` to `##[endgroup]`: the step's script,
    its `with:` inputs and `env:` (`timeout: 600000`, `if-no-files-found: error`), printed
    before it runs, never its output. (A group that does not close before the failure is
    not such a header: what it holds is output.)"""
    opens = [i for i in hits.roles.get("step", ()) if lines[i].startswith("##[group]Run ")]
    return [
        (a, b)
        for a, b in _until(lines, opens, _GROUP_END, fail, STEP_HEADER_LINES)
        if b + 1 < fail and _GROUP_END.match(lines[b + 1])
    ]


_PHPUNIT_NOT_FAILED = re.compile(
    r"^There (?:was|were) \d+ (?:PHPUnit )?(?:warning|risky test|deprecation|notice"
    r"|incomplete test|skipped test)s?:$|^\d+ tests? triggered \d+ "
)
_PHPUNIT_NEXT = re.compile(
    r"^There (?:was|were) \d+ |^\d+ tests? triggered |^FAILURES!|^OK\b|^Tests: "
)


@finder("phpunit_not_failed")
def _phpunit_not_failed(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """PHPUnit's lists of tests that did not fail (`There was 1 PHPUnit warning:`, `There
    were 2 risky tests:`, `1 test triggered 1 deprecation:`), up to its next list: the
    numbered entries there are not failures."""
    opens = [i for i in hits.roles.get("numbered_list", ()) if _PHPUNIT_NOT_FAILED.match(lines[i])]
    return [(a, _next(lines, a, fail)) for a in opens]


def _next(lines: Sequence[str], start: int, fail: int) -> int:
    end = start + 1
    while end < min(fail, start + SECTION_LINES) and not _PHPUNIT_NEXT.match(lines[end]):
        end += 1
    return end - 1


_PENDING_END = re.compile(r"^(?:Failures:|Finished in )")


@finder("rspec_pending")
def _rspec_pending(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """rspec's `Pending:` section, up to its `Failures:` (or `Finished in`): the failures
    listed there are expected and do not fail the run."""
    return _until(lines, hits.roles.get("rspec_pending", ()), _PENDING_END, fail, SECTION_LINES)


# (pytest's next section: a `=== ... ===` rule; the warnings' docs link ends the summary)
_SECTION_END = re.compile(r"^(?:=+ .{1,200} =+\s*$|-- Docs: )")


@finder("pytest_warnings")
def _pytest_warnings(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """pytest's `warnings summary`: warnings, and the tracebacks of exceptions Python ignored
    (`PytestUnraisableExceptionWarning`), none of which failed a test."""
    return _until(lines, hits.roles.get("pytest_warnings", ()), _SECTION_END, fail, SECTION_LINES)


# A unified diff's own lines: file headers, hunk headers and the changed or context lines.
_DIFF_LINE = re.compile(
    r"^(?:[-+ @\\]|$|index [0-9a-f]|(?:new|deleted) file mode|(?:old|new) mode|similarity "
    r"|rename (?:from|to) |diff --git )"
)
#: How far above Ansible's `...ignoring` the failure it ignores may start (`-v` prints its
#: result as indented JSON).
IGNORED_LINES = 100
_ANSIBLE_FAILED = re.compile(r"^(?:fatal|failed): \[")


@finder("ansible_ignoring")
def _ansible_ignoring(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """An Ansible task failure the playbook ignores (`ignore_errors`): its `fatal: [host]:
    FAILED!` and `...ignoring` under it, which did not stop the play."""
    spans = []
    for i in hits.roles.get("ansible_ignoring", ()):
        for k in range(i - 1, max(-1, i - IGNORED_LINES), -1):
            if _ANSIBLE_FAILED.match(lines[k]):
                spans.append((k, i))
                break
    return spans


#: How long a diff printed by a check may run.
DIFF_LINES = 5000


_HOOKS_CHANGED = "All changes made by hooks:"


@finder("diff")
def _diff(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What a diff shows after its first header (`git diff --exit-code` printing the files a
    generator or a formatter changed): file content, whatever its words; the header says what
    changed."""
    spans: list[tuple[int, int]] = []
    for start in hits.roles.get("diff", ()):
        if spans and start <= spans[-1][1]:
            continue
        end = start + 1
        while end < min(fail, start + DIFF_LINES) and _DIFF_LINE.match(lines[end][:MAX_LINE]):
            end += 1
        # (pre-commit's `--show-diff-on-failure`: the diff shows what a hook that failed above
        # changed, and that hook's `Failed` line says which; the header is no cause of its own)
        shown = start > 0 and lines[start - 1].startswith(_HOOKS_CHANGED)
        spans.append((start if shown else start + 1, end - 1))
    return spans


#: How many lines above a retry notice belong to the attempt that failed, and how far on its
#: error is looked for again.
RETRIED_LINES = 2
RETRIED_LOOKAHEAD = 200
#: Bound on the retry notices read (a log of nothing but retries costs no more than this).
MAX_RETRIED = 200
_NUMBERS = re.compile(r"\d+")
#: A retry notice at the end of the error it follows (the error's own line is the attempt).
_INLINE_NOTICE = re.compile(r"(?i)\w\)?[,;] (?:retrying|will retry)\b")


def _shape(line: str) -> str:
    return _NUMBERS.sub("0", line[:MAX_LINE].strip())


@finder("retried")
def _retried(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """The error just above a notice that the work is tried again (`503 Service Unavailable`
    then `Retrying.`), unless a later attempt failed the same way: that attempt's failure was
    not final, and a different error after it is. (When every attempt printed the same error,
    the first copy says it as well as the last.)"""
    spans = []
    for n in hits.roles.get("retry_notice", [])[:MAX_RETRIED]:
        if n >= fail:
            break
        # (an error that says it is tried again is the attempt itself)
        inline = _INLINE_NOTICE.search(lines[n][:MAX_LINE]) is not None
        start, attempt = n, [_shape(lines[n])] if inline else []
        while not inline and start > 0 and len(attempt) < RETRIED_LINES:
            start -= 1
            if lines[start].strip():
                attempt.append(_shape(lines[start]))
        if not attempt:
            continue
        error = attempt[0]  # (the attempt's last words: its error)
        ahead = range(n + 1, min(fail, n + 1 + RETRIED_LOOKAHEAD))
        if all(_shape(lines[j]) != error for j in ahead):
            spans.append((start, n))
    return spans


@finder("jenkins_post_actions")
def _jenkins_post_actions(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """A Jenkins pipeline's post actions (`{ (Declarative: Post Actions)` to `End of
    Pipeline`): work done after the failure, reporting it, not causing it."""
    spans = []
    for start in hits.roles.get("end", ()):
        if start >= fail:
            break
        if lines[start].startswith(JENKINS_POST):
            end = jenkins_pipeline_end(lines, hits, start, fail)
            spans.append((start, fail - 1 if end is None else end))
    return spans
