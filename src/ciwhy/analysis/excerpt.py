"""The excerpt: the cause line with the block it heads (message continuation, frames,
expected/actual), and the lines just before it that belong to it (a test's header)."""

from __future__ import annotations

from collections.abc import Sequence

from ciwhy.analysis.library_index import Hits
from ciwhy.models import Excerpt

BLOCK_AFTER = 10
BLOCK_BEFORE = 2
_STOP_ROLES = ("step", "fail", "cascade")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def block(lines: Sequence[str], hits: Hits, root: int, stop: int, max_lines: int) -> tuple[int, int]:
    """0-based inclusive (start, end) of the block the root line heads."""
    feats = hits.features
    end = root
    limit = min(stop - 1, root + min(BLOCK_AFTER, max_lines - 1), len(lines) - 1)
    base = _indent(lines[root])
    blanks = 0
    while end < limit:
        nxt = end + 1
        text = lines[nxt]
        f = feats.get(nxt, set())
        if any(r in f for r in _STOP_ROLES):
            break
        if not text.strip():
            blanks += 1
            if blanks > 1:
                break
            end = nxt
            continue
        blanks = 0
        if _indent(text) > base or "frame" in f or f or hits.signatures.get(nxt):
            end = nxt
            continue
        break
    while end > root and not lines[end].strip():
        end -= 1
    start = root
    while start > max(0, root - BLOCK_BEFORE):
        prev = start - 1
        f = feats.get(prev, set())
        if not lines[prev].strip() or any(r in f for r in _STOP_ROLES) or not f:
            break
        if "test_fail" in f or "numbered_failure" in f or "pytest_header" in f:
            start = prev
            continue
        break
    return start, end


def render(lines: Sequence[str], spans: Sequence[tuple[int, int]], redact: object) -> tuple[Excerpt, ...]:
    out = []
    for a, b in sorted(spans):
        text = "\n".join(lines[a : b + 1])
        out.append(Excerpt(a + 1, b + 1, redact(text)))  # type: ignore[operator]
    return tuple(out)


def merge(spans: Sequence[tuple[int, int]], max_lines: int) -> list[tuple[int, int]]:
    """Sorted, overlapping or adjacent spans merged; trimmed to max_lines in total."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    out, budget = [], max_lines
    for a, b in merged:
        if budget <= 0:
            break
        b = min(b, a + budget - 1)
        out.append((a, b))
        budget -= b - a + 1
    return out
