"""What a test printed, as a runner captured it: the test's chatter, not the runner's verdict.

Each function is an aside finder (asides.py). A test's own report of its failure (the
assertion under `X > y() FAILED`) is printed apart from what it wrote to its output, so the
capture is set aside whether the test passed or not.
"""

from __future__ import annotations

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
