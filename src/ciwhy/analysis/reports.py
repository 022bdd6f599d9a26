"""A runner's verdict or detail line yields to the report it closes, printed above it.

Some runners print why a test failed before the line that says it failed (ERT's `Test x
condition:` then `   FAILED  17/34  x`), or a detail under the line that names the failed check
(vader's `(X)` check, then `- Expected:`; Test::More's `#   Failed test 'name'`, then where).
Each rule: the chosen line's shape, the shape of the line above it to go to, how far above it
may be, and which line of it says why (0: that line, 1: the one under it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.chains import at
from ciwhy.analysis.library_index import MAX_LINE
from ciwhy.analysis.locate import Candidate

ABOVE: tuple[tuple[re.Pattern[str], re.Pattern[str], int, int], ...] = (
    # ERT (Emacs' test runner): `   FAILED  17/34  name`, after `Test name condition:` and the
    # condition indented under it, `    (wrong-type-argument number-or-marker-p nil)`
    (
        re.compile(r"^\s*FAILED\s+\d+/\d+\s+\S"),
        re.compile(r"^Test \S{1,300} condition:\s*$"),
        60,
        1,
    ),
    # vader.vim: the `(X)` of the check that failed, over its `- Expected:` / `- Got:` lines
    (
        re.compile(r"^\s+- (?:Expected|Got):\s*$"),
        re.compile(r"^\s*\(\s*\d+/\s*\d+\) \[\s*\w+\] \(X\) \S"),
        3,
        0,
    ),
    # Test::More: `#   at t/x.t line 41.` names where the test it follows failed
    (
        re.compile(r"^#\s{1,4}at \S{1,300} line \d+\."),
        re.compile(r"^#\s{1,4}Failed (?:\(TODO\) )?test '"),
        1,
        0,
    ),
)


def past_verdict(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """The report above a chosen verdict or detail line (ABOVE); else `chosen`."""
    if chosen is None:
        return None
    line = lines[chosen.index][:MAX_LINE]
    for verdict, report, reach, offset in ABOVE:
        if not verdict.match(line):
            continue
        for j in range(chosen.index - 1, max(-1, chosen.index - 1 - reach), -1):
            if report.match(lines[j][:MAX_LINE]):
                return at(cands, min(j + offset, chosen.index), chosen)
    return chosen
