"""A feature of the heuristic vocabulary: one pattern, its weight and its role."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    pattern: str
    weight: float = 0.0
    role: str = "score"  # score | frame | step | fail | end | cascade | noise

    @property
    def gate(self) -> bool:
        """Gate features make a line a candidate and run in the multi-pattern scan; the others
        (discounts) only modify a candidate's evidence and are checked on candidates alone."""
        return self.weight > 0 or self.role != "score"
