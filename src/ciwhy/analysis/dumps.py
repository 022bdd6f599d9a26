"""What a job prints after the failure about it: a failed test's log, a stack's events.

Runners that keep a test's output in a file name only the test where it failed (automake's
`FAIL: test_table`, then `See tests/test-suite.log`); a job that then prints the file (Travis'
`after_failure: cat tests/test-suite.log`, a step that runs on failure) repeats that line as
the heading of the test's output. The first error under the repeated heading says why.

A CloudFormation deploy's verdict names no resource either (`Failed to create/update the stack`);
a step run on failure lists the stack's events, and the earliest resource that failed, with
CloudFormation's reason, is the cause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.chains import at
from ciwhy.analysis.library_index import MAX_LINE, Hits
from ciwhy.analysis.locate import Candidate, candidate, cause_signature

#: A runner's line that names a failed test and nothing more (`FAIL: test_table`,
#: `FAILED: tests/unit/parser`).
_BARE_FAIL = re.compile(r"^\s*(?:FAIL|FAILED|ERROR):?\s+[\w./:+-]{1,300}\s*$")
#: How far after the failure the dump may start, and how long a test's output in it may run.
DUMP_WITHIN, OUTPUT_LINES = 2000, 500
#: What a line of the test's output must have to say why: a crash, a panic, an exception, an
#: error of its own.
_SAYS_WHY = frozenset(("crash", "panic", "exception", "error_colon", "located_error"))


def past_dump(
    lines: Sequence[str],
    hits: Hits,
    cands: Sequence[Candidate],
    chosen: Candidate | None,
    fail: int,
) -> Candidate | None:
    """The first error of a chosen bare test failure's output, where a dump after the failure
    repeats its line as a heading; else `chosen`."""
    if chosen is None or chosen.index >= fail:
        return chosen
    line = lines[chosen.index][:MAX_LINE]
    if not _BARE_FAIL.match(line):
        return chosen
    heading = line.strip()
    end = min(len(lines), fail + DUMP_WITHIN)
    start = next((j for j in range(fail + 1, end) if lines[j][:MAX_LINE].strip() == heading), None)
    if start is None:
        return chosen
    for j in range(start + 1, min(end, start + OUTPUT_LINES)):
        if _BARE_FAIL.match(lines[j][:MAX_LINE]):
            break  # (the next test's output)
        found = hits.features.get(j, ())
        if not _SAYS_WHY.isdisjoint(found) or cause_signature(hits, j) is not None:
            return at(cands, j, chosen)
    return chosen


#: `aws cloudformation deploy`'s verdict and SAM's: they name no resource; the stack's events
#: (`aws cloudformation describe-stack-events`, which a step run on failure prints) say which
#: resource failed and why.
_STACK_FAILED = re.compile(
    r"Failed to create/update the stack|Waiter Stack(?:Create|Update)Complete failed"
)
_STACK_EVENT = "cloudformation.resource.failed"
#: How far from the chosen line the verdict may be.
VERDICT_LINES = 5
#: An event's own time, where the listing gives it: the earliest failure is the first cause.
_EVENT_TIME = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?")


def past_stack_events(
    lines: Sequence[str],
    hits: Hits,
    cands: Sequence[Candidate],
    chosen: Candidate | None,
    fail: int,
) -> Candidate | None:
    """The earliest failed resource of the stack's events printed after the failure, in place of
    a chosen CloudFormation deploy's verdict that names none; else `chosen`."""
    if chosen is None or chosen.index >= fail or cause_signature(hits, chosen.index) is not None:
        return chosen
    near = range(max(0, chosen.index - VERDICT_LINES), min(fail, chosen.index + VERDICT_LINES + 1))
    if not any(_STACK_FAILED.search(lines[j][:MAX_LINE]) for j in near):
        return chosen
    events = [
        j
        for j in sorted(hits.signatures)
        if fail < j < fail + DUMP_WITHIN
        and any(h.signature.id == _STACK_EVENT for h in hits.signatures[j])
    ]
    if not events:
        return chosen
    stamps = [(m.group(0), j) for j in events if (m := _EVENT_TIME.search(lines[j][:MAX_LINE]))]
    # (the listing's own order may be either: the earliest event is the first failure; without
    # times, describe-stack-events lists the newest first)
    found = min(stamps)[1] if len(stamps) == len(events) else events[-1]
    hit = next(h for h in hits.signatures[found] if h.signature.id == _STACK_EVENT)
    return candidate(found, chosen.score, {}, hit)
