"""A chosen line that only heads what follows yields to the line it heads.

After the choice (locate.choose): a traceback's head to its exception line, a test runner's
file header (jest's `FAIL src/a.test.js`) to its first failed test, rspec's `Failure/Error:`
to the exception under it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.library_index import Hits
from ciwhy.analysis.locate import Candidate

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
#: A header that yields to the line it heads: (the header, the line under it that says more,
#: how many lines below the header it may start).
HEADERS: tuple[tuple[re.Pattern[str], re.Pattern[str], int], ...] = (
    # jest's and vitest's `FAIL src/a.test.js` names a file; the `● Suite › test` under it
    # names the failed test, and its assertion follows
    (_FILE_HEADER, _TEST_BULLET, 3),
    # rspec's `Failure/Error:` quotes the code that raised; the exception's class under it
    # (`KeyError:`, its message indented below) says what went wrong
    (_FAILURE_ERROR, EXCEPTION_CLASS, 3),
)


def past_header(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """The line a chosen header heads (HEADERS), when it is a candidate; else `chosen`."""
    if chosen is None:
        return None
    for header, under, within in HEADERS:
        if not header.match(lines[chosen.index]):
            continue
        by_index = {c.index: c for c in cands}
        for j in range(chosen.index + 1, min(len(lines), chosen.index + 1 + within)):
            if lines[j].strip():
                c = by_index.get(j)
                return c if c is not None and under.match(lines[j]) else chosen
    return chosen


def past(
    lines: Sequence[str], hits: Hits, cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """The line `chosen` heads, where it only heads one."""
    return past_header(lines, cands, past_head(lines, hits, cands, chosen))
