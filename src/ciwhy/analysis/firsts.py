"""The first report of a kind: after the choice (locate.choose), a line yields to an earlier
report of the same cause signature, a compiler's or runner's first of a kind, not its third."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ciwhy.analysis.locate import Candidate

#: The same cause signature earlier (within SAME_LINES, scored at most SAME_MARGIN below) is the
#: root instead: a compiler's or runner's first report of a kind, not its third.
SAME_LINES = 200
SAME_MARGIN = 1.0


#: Lines of the same cause signature at most this far apart are one burst of reports (lld
#: prints two or three `>>> referenced by` lines and a blank under each undefined symbol).
BURST_GAP = 5


def first_in_burst(cands: Sequence[Candidate], rival: Candidate) -> Candidate:
    """The first line of the burst of reports `rival` belongs to (a linker's first undefined
    reference, not the one nearest the end), scored at most SAME_MARGIN below it. (Not any
    earlier report: in a Java cause chain, frames stand between a wrapper and its cause.)"""
    assert rival.signature is not None
    sig, first = rival.signature.signature.id, rival
    for c in reversed(cands):  # (in line order: backwards from the rival)
        if c.index >= first.index:
            continue
        if first.index - c.index > BURST_GAP:
            break
        if (
            c.signature is not None
            and c.signature.signature.id == sig
            and rival.score - c.score <= SAME_MARGIN
        ):
            first = c
    return first


def first_of_same(cands: Sequence[Candidate], best: Candidate, step: int = -1) -> Candidate:
    """The first report of `best`'s cause signature, within SAME_LINES and SAME_MARGIN; not
    before the failing step's first line (`step`) when `best` is in that step: an earlier
    step that printed the same error went on (a retried install)."""
    if best.signature is None:
        return _first_alike(cands, best, step)
    sig = best.signature.signature.id
    for c in cands:  # (in line order: the first found is the earliest)
        if c.index >= best.index:
            break
        if (
            not c.index <= step < best.index
            and c.signature is not None
            and c.signature.signature.id == sig
            and best.index - c.index <= SAME_LINES
            and best.score - c.score <= SAME_MARGIN
        ):
            return c
    return best


#: A test's failure that no signature knows (Pester's ` Expected 3, but got 0.`) yields to the
#: first of the same kind in its step, scored at most ALIKE_MARGIN below it: a runner's first
#: failed test, not its third.
ALIKE_MARGIN = 0.4
_TEST_KINDS = frozenset(("expected", "test_fail", "assertion"))


def _first_alike(cands: Sequence[Candidate], best: Candidate, step: int) -> Candidate:
    if _TEST_KINDS.isdisjoint(best.features):
        return best
    for c in cands:  # (in line order: the first found is the earliest)
        if c.index >= best.index:
            break
        if (
            c.index > step
            and c.signature is None
            and c.features == best.features
            and best.index - c.index <= SAME_LINES
            and best.score - c.score <= ALIKE_MARGIN
        ):
            return c
    return best


#: What a line says beyond its step's number and its error tag (BuildKit's `#18 ERROR: `).
_TAGGED = re.compile(r"^(?:#\d{1,5} )?(?:(?:ERROR|Error|error|FATAL|fatal)(?:\[\w{1,20}\])?:? )?")
#: A message this long, said again inside a later line, is the same report wrapped.
MIN_WRAPPED = 30


def first_copy(
    lines: Sequence[str], cands: Sequence[Candidate], best: Candidate | None
) -> Candidate | None:
    """The first of the candidates whose line says exactly what `best`'s says (its margin
    aside), within SAME_LINES before it and scored at most SAME_MARGIN below: a build tool's
    summary repeats the error its task printed (Gradle's `* What went wrong:`). Or whose
    message (MIN_WRAPPED characters at least, its tags aside) `best`'s line wraps, whatever
    the scores: BuildKit's `ERROR: failed to solve: ` before what its step `#18` reported."""
    if best is None:
        return None
    text = lines[best.index].strip()
    for c in cands:  # (in line order: the first found is the earliest)
        if c.index >= best.index:
            break
        if best.index - c.index > SAME_LINES:
            continue
        said = lines[c.index].strip()
        if said == text and best.score - c.score <= SAME_MARGIN:
            return c
        message = said[_TAGGED.match(said).end() :]  # type: ignore[union-attr]
        if len(message) >= MIN_WRAPPED and message != text and message in text:
            # (the same report: as strong as its wrapper says it is)
            return replace(c, score=max(c.score, best.score), features=c.features | best.features)
    return best


#: Terraform's diagnostics, each in a box (`╷`, `│ Error: ...`, `│ ...`, `╵`), printed together
#: at the end of a run: the first box's error is the first problem, the others often its
#: consequences (`Failed to query available provider packages`, then `Inconsistent dependency
#: lock file`).
_BOX = ("╷", "│", "╵")
_BOX_ERROR = re.compile(r"^│ Error: \S")
#: How far up the boxes printed together may run.
BOX_LINES = 300


def first_box(
    lines: Sequence[str], cands: Sequence[Candidate], best: Candidate | None
) -> Candidate | None:
    """The first error box of the run of Terraform diagnostics a chosen box error is in."""
    if best is None or not _BOX_ERROR.match(lines[best.index]):
        return best
    first = best.index
    for j in range(best.index - 1, max(-1, best.index - BOX_LINES), -1):
        line = lines[j]
        if not line.startswith(_BOX) and line.strip():
            break  # (the run of boxes began below this line)
        if _BOX_ERROR.match(line):
            first = j
    if first == best.index:
        return best
    return next((c for c in cands if c.index == first), None) or replace(
        best, index=first, signature=None
    )
