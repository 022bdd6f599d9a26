"""Confidence that the chosen line is the root cause, from the evidence behind the choice.

A logistic of a few features (signature match, score, margin over the runner-up, whether the
job declared its failure); its coefficients were fitted so the fraction of correct root lines
at each confidence level matches the confidence (see docs/engine.md for how to refit).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ciwhy.analysis.locate import Candidate
from ciwhy.analysis.structure import Structure

COEF = {"bias": -1.2, "signature": 1.0, "score": 0.12, "margin": 0.15, "marker": 0.3, "many": -0.4}


def confidence(
    chosen: Candidate | None, cands: Sequence[Candidate], st: Structure, has_text: bool
) -> float:
    if chosen is None or not has_text:
        return 0.05
    others = [c.score for c in cands if c is not chosen]
    margin = chosen.score - max(others, default=0.0)
    z = (
        COEF["bias"]
        + COEF["signature"] * (chosen.signature is not None)
        + COEF["score"] * min(chosen.score, 25.0)
        + COEF["margin"] * max(min(margin, 10.0), -5.0)
        + COEF["marker"] * (st.marker is not None)
        + COEF["many"] * (len(cands) > 50)
    )
    return round(1 / (1 + math.exp(-z)), 3)
