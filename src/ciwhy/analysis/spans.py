"""Inclusive (start, end) line ranges."""

from __future__ import annotations

from collections.abc import Iterable


def union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ranges sorted, with overlapping or adjacent ones merged."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
