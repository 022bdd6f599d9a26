"""Locating the root-cause line: score candidate lines, prefer the earliest causal error of
the failing step over the cascade that follows it.

A line's score is the sum of its vocabulary weights, plus what a matching cause signature
adds, adjusted by its place in the job (inside the failing step, before it) and its
neighbours (an exception head followed by stack frames).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ciwhy.analysis.library_index import Hits, SignatureHit
from ciwhy.analysis.structure import Structure
from ciwhy.analysis.vocabulary import FEATURES

WEIGHTS = {f.name: f.weight for f in FEATURES}
IN_STEP_BONUS = 3.0
BEFORE_STEP_PENALTY = -1.0
SIGNATURE_BONUS = 8.0
FRAME_HEAD_BONUS = 3.0
CASCADE_CAP = 1.0
LONG_LINE = 300
#: Candidates within this many points of the best are all "good"; the earliest good one wins.
MARGIN = 2.0
#: How far back from the failure marker candidates are looked for.
WINDOW = 2000


@dataclass(frozen=True, slots=True)
class Candidate:
    index: int  # 0-based line index
    score: float
    features: frozenset[str]
    signature: SignatureHit | None


def _cause_signature(hits: Hits, i: int) -> SignatureHit | None:
    found = [h for h in hits.signatures.get(i, ()) if h.signature.kind == "cause"]
    return max(found, key=lambda h: h.signature.priority) if found else None


def score_line(lines: Sequence[str], hits: Hits, st: Structure, i: int) -> Candidate | None:
    feats = hits.features.get(i, set())
    sig = _cause_signature(hits, i)
    if "frame" in feats or "fail" in feats:
        return None
    score = sum(WEIGHTS.get(f, 0.0) for f in feats)
    if sig is not None:
        score = max(score, 0.0) + SIGNATURE_BONUS + sig.signature.priority / 20
    elif "cascade" in feats or hits.signatures.get(i):
        score = min(score, CASCADE_CAP)
    if score <= 0:
        return None
    line = lines[i]
    if len(line) > LONG_LINE:
        score -= 2
    if not line.strip():
        return None
    nxt = i + 1
    while nxt < len(lines) and nxt < i + 3 and not lines[nxt].strip():
        nxt += 1
    if nxt < len(lines) and "frame" in hits.features.get(nxt, ()):
        score += FRAME_HEAD_BONUS
    if st.step_line < i < st.fail_line:
        score += IN_STEP_BONUS
    elif i < st.step_line:
        score += BEFORE_STEP_PENALTY
    return Candidate(i, score, frozenset(feats), sig)


def candidates(lines: Sequence[str], hits: Hits, st: Structure) -> list[Candidate]:
    low = max(0, st.fail_line - WINDOW)
    seen = set(hits.features) | set(hits.signatures)
    out = []
    for i in sorted(x for x in seen if low <= x < st.fail_line):
        c = score_line(lines, hits, st, i)
        if c is not None:
            out.append(c)
    return out


def choose(cands: Sequence[Candidate]) -> Candidate | None:
    if not cands:
        return None
    best = max(c.score for c in cands)
    for c in cands:
        if c.score >= best - MARGIN:
            return c
    return None
