"""A failed test's own output, printed after the failure: the job's dump of its log.

Runners that keep a test's output in a file name only the test where it failed (automake's
`FAIL: test_table`, then `See tests/test-suite.log`); a job that then prints the file (Travis'
`after_failure: cat tests/test-suite.log`, a step that runs on failure) repeats that line as
the heading of the test's output. The first error under the repeated heading says why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.chains import at
from ciwhy.analysis.library_index import MAX_LINE, Hits
from ciwhy.analysis.locate import Candidate, cause_signature

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
