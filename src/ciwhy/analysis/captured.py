"""What a test or a build action printed, as a runner captured it: chatter, not the verdict.

Each function is an aside finder (asides.py). A test's own report of its failure (the
assertion under `X > y() FAILED`) is printed apart from what it wrote to its output, so the
capture is set aside whether the test passed or not; a build tool prints what an action that
failed said under its own error line, apart from what actions that succeeded said.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.library_index import MAX_LINE, Hits

#: Bound on a capture's length (a test that printed a whole log's worth).
CAPTURE_LINES = 2000


def gradle(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """Gradle's `CacheTest > refreshes() STANDARD_OUT` (or `STANDARD_ERROR`) and the indented
    lines under it, to the next line that is not indented (blank lines inside it included)."""
    spans = []
    for i in hits.roles.get("gradle_output", ()):
        if i >= fail:
            break
        end = i
        while end + 1 < min(fail, i + CAPTURE_LINES):
            line = lines[end + 1][:MAX_LINE]
            if line.strip() and line[:1] not in " \t":
                break
            end += 1
        while end > i and not lines[end].strip():  # (the blank lines after it are no part)
            end -= 1
        spans.append((i, end))
    return spans


#: Bazel's own next line: its progress (`[506 / 1,873] ...`), a message of its own, a summary.
_BAZEL_NEXT = re.compile(
    r"^(?:\[\d[\d,]* / \d[\d,]*\]|(?:INFO|ERROR|WARNING|DEBUG|FAIL|FAILED|PASSED):? |Target //"
    r"|Use --sandbox_debug|Executed \d|\(\d\d:\d\d:\d\d\) )"
)


def bazel(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What a Bazel action that succeeded printed (`INFO: From Compiling x.cc:`, then its
    compiler's warnings), to Bazel's next line of its own: an action that failed prints its
    output under its `ERROR: ... failed` line instead."""
    spans = []
    for i in hits.roles.get("bazel_output", ()):
        if i >= fail:
            break
        end = i
        while end + 1 < min(fail, i + CAPTURE_LINES) and not _BAZEL_NEXT.match(lines[end + 1]):
            end += 1
        spans.append((i, end))
    return spans
