"""Cause chains: an error printed with the errors that caused it yields to the cause.

A JVM exception's `Caused by:` lines, a notebook runner's exception around the notebook's own,
a Rust program's `Caused by:` list (anyhow's, Buck2's: `    0: ...`, `    1: ...`, the last
the deepest).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.library_index import MAX_LINE
from ciwhy.analysis.locate import Candidate, candidate


def at(cands: Sequence[Candidate], j: int, chosen: Candidate) -> Candidate:
    """Line j in place of `chosen`: its own candidate when it is one, else one scored as
    `chosen` (a line the evidence did not flag, but the structure names)."""
    return next((c for c in cands if c.index == j), None) or candidate(j, chosen.score, {}, None)


#: How long a JVM stack trace may run.
STACK_LINES = 400
_FRAME = re.compile(r"^\s+at \S|^\s*\.\.\. \d+ (?:more|common frames omitted)\s*$")
_CAUSED_BY = re.compile(r"^\s*Caused by: \S")


def past_caused_by(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """A JVM exception that heads a stack trace yields to a `Caused by:` of its chain: the one
    whose cause signature ranks highest (the deepest of equals), else the deepest. Its causes
    say more than the wrapper (`TaskExecutionException: Execution failed for task` over the
    `OutOfMemoryError` that made it fail), but not always the last of them: a driver's
    `Connection to localhost:5432 refused` over the bare `ConnectException` under it."""
    if chosen is None or chosen.index + 1 >= len(lines):
        return chosen
    if not _FRAME.match(lines[chosen.index + 1][:MAX_LINE]):
        return chosen
    causes = []
    for j in range(chosen.index + 1, min(len(lines), chosen.index + STACK_LINES)):
        line = lines[j][:MAX_LINE]
        if _CAUSED_BY.match(line):
            causes.append(at(cands, j, chosen))
        elif not _FRAME.match(line):
            break
    if not causes:
        return chosen

    def rank(c: Candidate) -> tuple[int, int]:
        return (c.signature.signature.priority if c.signature else -1, c.index)

    best = max(causes, key=rank)
    # (a wrapper that prints its cause whole says it already: CodeQL's `CatastrophicError:
    # java.io.IOException: No space left on device` over `Caused by: java.io.IOException: No
    # space left on device`)
    said = lines[best.index][:MAX_LINE].strip().removeprefix("Caused by: ")
    if said and said in lines[chosen.index][:MAX_LINE]:
        return chosen
    return chosen if chosen.signature is not None and rank(chosen) >= rank(best) else best


#: A notebook runner's exception wraps the notebook's own (papermill, nbclient): the last
#: exception of the cell's traceback, printed under it, says why.
_NOTEBOOK_WRAPPER = re.compile(r"\b(?:PapermillExecutionError|CellExecutionError):")
NOTEBOOK_LINES = 300


def past_notebook(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """The notebook's exception that a notebook runner's exception (`chosen`) wraps."""
    if chosen is None or not _NOTEBOOK_WRAPPER.search(lines[chosen.index][:MAX_LINE]):
        return chosen
    inner = [
        c
        for c in cands
        if chosen.index < c.index <= chosen.index + NOTEBOOK_LINES and "exception" in c.features
    ]
    return inner[-1] if inner else chosen


#: anyhow's chain under an error: `Caused by:` alone, then `    0: ...`, `    1: ...`.
_CHAIN_HEAD = re.compile(r"^Caused by:\s*$")
_CHAIN_LINK = re.compile(r"^\s{2,8}\d{1,2}: \S")
#: How far above the chosen line (a build's closing verdict) the chain may end.
CHAIN_REACH = 20


def past_anyhow(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """The last link of an anyhow-style chain (the deepest cause) in place of a chosen line
    of the chain, of the error it follows, or of the verdict just below it."""
    if chosen is None:
        return None
    for j in range(chosen.index + 2, max(-1, chosen.index - CHAIN_REACH), -1):
        if j >= len(lines) or not _CHAIN_HEAD.match(lines[j][:MAX_LINE]):
            continue
        last = None
        for k in range(j + 1, min(len(lines), j + 40)):
            if _CHAIN_LINK.match(lines[k][:MAX_LINE]):
                last = k
            elif not lines[k].startswith("  ") and lines[k].strip():
                break
        if last is None or last == chosen.index:
            return chosen
        return at(cands, last, chosen)
    return chosen


#: SBCL's and ASDF's wrapper when a file did not compile (`Unhandled
#: UIOP/LISP-BUILD:COMPILE-FILE-ERROR ...`, `  COMPILE-FILE-ERROR while`): the compiler's
#: `; caught ERROR:` above it says why, in the lines indented under it.
_COMPILE_FILE_ERROR = re.compile(
    r"^(?:Unhandled \S{0,200}COMPILE-FILE-ERROR\b|\s*COMPILE-FILE-ERROR while\s*$)"
)
_CAUGHT_ERROR = re.compile(r"^; caught ERROR:\s*$")
_CAUGHT_MESSAGE = re.compile(r"^;\s{2,}(?!READ error during COMPILE-FILE:)\S")
_COMPILING_FILE = re.compile(r"^; compiling file ")
#: How far above its wrapper the compiler's report may stand.
CAUGHT_LINES = 300


def past_compile_file_error(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """SBCL's wrapper for a file that did not compile yields to the message of the compiler's
    first `; caught ERROR:` in the file it was compiling (a READ error's message two lines
    under its `READ error during COMPILE-FILE:`); else `chosen`."""
    if chosen is None or not _COMPILE_FILE_ERROR.match(lines[chosen.index][:MAX_LINE]):
        return chosen
    first = None
    for j in range(chosen.index - 1, max(-1, chosen.index - CAUGHT_LINES), -1):
        line = lines[j][:MAX_LINE]
        if _CAUGHT_ERROR.match(line):
            first = j
        elif first is not None and _COMPILING_FILE.match(line):
            break
    if first is None:
        return chosen
    for k in range(first + 1, min(len(lines), first + 6)):
        if _CAUGHT_MESSAGE.match(lines[k][:MAX_LINE]):
            return at(cands, k, chosen)
    return at(cands, first, chosen)
