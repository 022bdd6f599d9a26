"""Confidence that the chosen line is the root cause, from the evidence behind the choice.

Platt scaling: a logistic of the chosen line's score, its margin over the runner-up, whether a
signature matched and whether the job declared its failure. The coefficients (CONFIDENCE in
weights.py) are fitted by bench/fit_weights.py so that, at each confidence level, the fraction
of correct root lines matches the confidence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ciwhy.analysis.locate import Candidate
from ciwhy.analysis.structure import Structure
from ciwhy.analysis.weights import CONFIDENCE

#: Confidence when there was nothing to choose from (an empty or error-free log).
NOTHING = 0.05
#: Confidence when the CI itself says why the job stopped (a time limit, a failure marker that
#: names its cause): a rule, not a score, right on every such log of the benchmark, but those
#: are few, so it is set below certainty.
CI_VERDICT = 0.8


def inputs(chosen: Candidate, cands: Sequence[Candidate], st: Structure) -> dict[str, float]:
    runner_up = max((c.score for c in cands if c is not chosen), default=chosen.score - 5.0)
    return {
        "bias": 1.0,
        "score": max(min(chosen.score, 20.0), -20.0),
        "margin": min(chosen.score - runner_up, 10.0),
        "signature": 1.0 if chosen.signature is not None else 0.0,
        "marker": 1.0 if st.marker is not None else 0.0,
        "few": 1.0 if len(cands) <= 5 else 0.0,
        # (chosen over a better-scored line for its more specific signature: locate.choose)
        "outranking": 1.0 if runner_up > chosen.score else 0.0,
    }


def confidence(
    chosen: Candidate | None, cands: Sequence[Candidate], st: Structure, has_text: bool
) -> float:
    if chosen is None or not has_text:
        return NOTHING
    z = sum(CONFIDENCE.get(k, 0.0) * v for k, v in inputs(chosen, cands, st).items())
    return round(1 / (1 + math.exp(-z)), 3)
