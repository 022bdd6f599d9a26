"""Locating the root-cause line: score candidate lines, choose the best.

Candidates are the lines the scan flagged (vocabulary features or signatures) before the
failure marker, plus the last lines of output before it. Each gets a vector of generic
evidence: its vocabulary features, a cause signature, its place in the job (inside the
failing step, distance to the failure marker, rank among candidates from the end), its
neighbours (stack frames after it, a test header before it) and how often its shape repeats.
The score is a weighted sum; the weights are data (weights.py), fitted on labelled logs with
bench/fit_weights.py and validated on repositories left out of the fit.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ciwhy.analysis.asides import find as aside_spans
from ciwhy.analysis.asides import within
from ciwhy.analysis.firsts import first_in_burst, first_of_same
from ciwhy.analysis.library_index import INFO_TAG, WARNING_TAG, Hits, SignatureHit
from ciwhy.analysis.structure import Structure, failing_echo, grouped
from ciwhy.analysis.testnames import parent_tests
from ciwhy.analysis.traces import caught, echoed
from ciwhy.analysis.vocabulary import FEATURES, WORDS
from ciwhy.analysis.weights import WEIGHTS

SCORE_FEATURES = tuple(f.name for f in FEATURES if f.role in ("score", "cascade", "step"))
_SCORE_SET = frozenset(SCORE_FEATURES)  # membership tests (the tuple keeps the order)
TAIL = 3  # the last lines of output before the failure marker are always candidates
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[a-z]+")
GAP = 8
#: Lines with only weak evidence (error words) count when this close to the failure marker;
#: strong ones (compiler errors, exceptions, test failures, signatures) count anywhere.
WEAK_WINDOW = 1500
#: Bound on scored lines (the benchmark's logs have at most ~1,200 candidates), so that a log
#: made of nothing but error lines costs no more than a few thousand evaluations.
MAX_CANDIDATES = 4000
POSITIVE = {f.name: f.weight > 0 for f in FEATURES}
_POSITIVE_SET = frozenset(name for name, positive in POSITIVE.items() if positive)
# The first of a runner's numbered failures (`1) Cart totals ...`) and the line under it.
_FIRST_NUMBERED = re.compile(r"^\s{0,4}1\)(?: \S| ?$)")
# A source location alone on its line (`  /src/Tests/CartTests.m:1051`): the report above it
# names where it failed.
_BARE_LOCATION = re.compile(r"^\s*[\w./\\~+-]+\.\w{1,6}:\d+(?::\d+)?\s*$")
# A shell's trace of an `echo` (`+ echo "build FAILED"`), and the line it printed: the
# script's own words about a failure, not the failure.
# A caret under a quoted source line: a compiler showing where its diagnostic points.
_CARET = re.compile(r"^\s*\^[~^]*\s*$")
# A line its tool tags an error first, whatever it then says of warnings.
_ERROR_FIRST = re.compile(r"^\W{0,3}(?:error|Error|ERROR)\b")
# A table's column header padded to the table's width (PHPStan's `   Error        ...`).
_COLUMN_HEAD = re.compile(r"^\s*(?:Errors?|ERRORS?)\s{20,}$")
# A rule, a box's edge, a row of carets: says nothing.
_WORDLESS = re.compile(r"^[\W_]*$")
_NOT_CAUSES = frozenset(("fail_marker", "ci_noise", "not_failed", "quoted_code", "tox_result"))
# A diagnostic's header (`warning: unused variable`, `warning[W0612]:`): the location and
# notes printed under it belong to the warning.
# Python's warning: `path.py:17: DeprecationWarning: ...`, its message may run over lines.
_PY_WARNING = re.compile(r"^\S+\.py:\d+: [A-Z]\w*Warning: ")
PY_WARNING_LINES = 8
_BOX_WARNING = re.compile(r"┌ (?:Warning|Info|Debug):")
_WARNING_HEAD = re.compile(r"(?i)^\W{0,12}warning(?:\[[\w-]+\])?:")
_OWN_ERROR = frozenset(
    ("located_error", "error_colon", "exception", "test_fail", "error_word", "fail_word", "panic")
)
_TROUBLE = _OWN_ERROR | {"trouble", "crash", "fatal_word"}
STRONG = frozenset(
    (
        "located_error",
        "error_colon",
        "exception",
        "test_fail",
        "panic",
        "crash",
        "pytest_e",
        "traceback",
    )
)


@dataclass(frozen=True, slots=True)
class Candidate:
    index: int  # 0-based line index
    score: float
    features: frozenset[str]
    signature: SignatureHit | None


def cause_signature(hits: Hits, i: int) -> SignatureHit | None:
    """The highest-priority signature on line i, when it is a cause (a symptom that outranks
    the line's causes speaks for it: Gradle's `TaskExecutionException` is a wrapper, whatever
    the generic exception signature says)."""
    found = hits.signatures.get(i)
    if not found:
        return None
    if i in hits.warned:  # (a line its tool tags a warning: the tool did not fail on it)
        return None
    top = max(found, key=lambda h: (h.signature.priority, h.signature.kind == "cause"))
    return top if top.signature.kind == "cause" else None


def _tail(lines: Sequence[str], hits: Hits, end: int) -> list[int]:
    out: list[int] = []
    i = end - 1
    while i >= 0 and len(out) < TAIL and i > end - 50:
        f = hits.features.get(i, ())
        if lines[i].strip() and not {"frame", "step", "ci_noise"}.intersection(f):
            out.append(i)
        i -= 1
    return out


def evidence(
    lines: Sequence[str],
    hits: Hits,
    st: Structure,
    asides: Sequence[tuple[int, int]] | None = None,
) -> list[tuple[int, dict[str, float], SignatureHit | None]]:
    """Every candidate line with its evidence vector (what the weights multiply). `asides` are
    the log's asides (`asides.find`), when the caller has them already."""
    fail = st.fail_line
    tail = set(_tail(lines, hits, fail))
    low = fail - WEAK_WINDOW
    # (lines with a positive feature before the failure: near it, or strong; every line with
    # a signature is one anyway)
    pos = hits.lines_with(_POSITIVE_SET, none_of=("frame", "ci_noise"))
    pos = pos[pos < fail]
    pos = pos[(pos >= low) | np.isin(pos, hits.lines_with(STRONG))]
    idxs = sorted(set(pos.tolist()) | {i for i in hits.signatures if i < fail} | tail)
    # Failure markers are where the search ends, and CI bookkeeping (including package
    # tools' frontend chatter) is never a cause, whatever a signature says of its words.
    usage = hits.roles.get("usage", [])
    if asides is None:
        asides = aside_spans(lines, hits, fail)
    text = {i: lines[i] for i in idxs}  # (each line is cut from the log once)
    idxs = [
        i
        for i in idxs
        if text[i].strip()
        and not _NOT_CAUSES.intersection(hits.features.get(i, ()))
        and not within(asides, i)
        and not _under_warning(lines, hits, i, text[i])
        and not echoed(lines, hits, i, text[i])
        and not _CARET.match(text[i])
        and not _COLUMN_HEAD.match(text[i])
        and not _WORDLESS.match(text[i])
        # (a line its tool tags a warning: the tool went on; `fatal_warnings` knows when not)
        and WARNING_TAG.match(text[i]) is None
        and INFO_TAG.match(text[i]) is None
        and not (i + 1 < fail and _CARET.match(lines[i + 1]))
    ]
    parents = parent_tests(text, idxs)
    idxs = [i for i in idxs if i not in parents]
    # (a CI that groups each step's output and marks the one that failed: when the failing step
    # says why, the steps before it, which passed, are not the cause; in GitLab's script, nor
    # the commands before the one that failed)
    echo = failing_echo(lines, st)
    after = max(st.step_line if grouped(lines, st) else -1, -1 if echo is None else echo)
    if after < 0 or not any(i > after and _says_why(hits, i) for i in idxs):
        after = -1
    if len(idxs) > MAX_CANDIDATES:  # a log of errors only: its first and last ones are scored
        idxs = idxs[: MAX_CANDIDATES // 4] + idxs[-(MAX_CANDIDATES - MAX_CANDIDATES // 4) :]
    shape_of = {i: _DIGITS.sub("0", text[i][:200].strip()) for i in idxs}
    shapes = Counter(shape_of.values())
    strong = [i for i in idxs if _strong(hits, i)]
    strong_set = set(strong)  # (asked again for each candidate below)
    first_strong_in_step = next((i for i in strong if i > st.step_line), None)
    last_strong = strong[-1] if strong else None
    # Bursts: candidates closer than GAP lines belong together; the last burst before the
    # failure is where causes usually are, and a burst's first strong line heads it.
    burst_of: dict[int, int] = {}
    burst, prev_i = 0, -(10**9)
    for i in idxs:
        if i - prev_i > GAP:
            burst += 1
        burst_of[i] = burst
        prev_i = i
    # A test runner's failures section (`=== FAILURES ===`, `Failures:`) opens with the first
    # failure: the first candidate after each such header.
    headers = [i for i in hits.lines_with(("failure_header",)).tolist() if i < fail]
    after_header = {idxs[k] for h in headers if (k := bisect.bisect_right(idxs, h)) < len(idxs)}
    head_seen: set[int] = set()
    kinds_seen: set[frozenset[str]] = set()
    seen: Counter[str] = Counter()
    out = []
    n, total = len(idxs), len(lines)
    for rank, i in enumerate(idxs):
        line = text[i]
        prev_line = text[i - 1] if i - 1 in text else (lines[i - 1] if i else "")
        feats = hits.features.get(i, set()) | hits.discounts(line)
        if "warning" in feats and _ERROR_FIRST.match(line):
            feats -= {"warning"}  # (`Error (warning 32): unused value x`: a warning made an error)
        sig = cause_signature(hits, i)
        ev: dict[str, float] = {f: 1.0 for f in feats if f in _SCORE_SET}
        ev["bias"] = 1.0
        for word in WORDS.intersection(_WORD.findall(line[:400].lower())):
            ev["w:" + word] = 1.0
        if sig is not None:
            ev["signature"] = 1.0
            ev["signature_priority"] = sig.signature.priority / 100
        elif hits.signatures.get(i):
            ev["symptom_signature"] = 1.0
        nxt = i + 1
        while nxt < min(total, i + 3) and not lines[nxt].strip():
            nxt += 1
        if nxt < total and "frame" in hits.features.get(nxt, ()):
            ev["frames_follow"] = 1.0
        elif nxt < total and _BARE_LOCATION.match(lines[nxt]):
            ev["location_follows"] = 1.0
        prev = hits.features.get(i - 1, ())
        if "test_fail" in prev or "pytest_header" in prev or "numbered_failure" in prev:
            ev["after_test_header"] = 1.0
        if i > 0 and not prev_line.strip():
            ev["after_blank"] = 1.0
        if st.step_line < i:
            ev["in_step"] = 1.0
        u = bisect.bisect_right(usage, i)
        if u < len(usage) and usage[u] - i <= 3:
            ev["before_usage"] = 1.0
        dist = fail - i
        ev["near_fail"] = 1.0 / (1.0 + dist)
        ev["log_dist"] = math.log1p(dist) / 10
        ev["rank_from_end"] = math.log1p(n - 1 - rank) / 5
        ev["tail"] = 1.0 if i in tail else 0.0
        if len(line) > 300:
            ev["long"] = 1.0
        if line[:1] in " \t":
            ev["indented"] = 1.0
        shape = shape_of[i]
        ev["repeated"] = min(shapes[shape] - 1, 10) / 10
        if seen[shape]:
            ev["not_first"] = 1.0
        seen[shape] += 1
        if _FIRST_NUMBERED.match(line) or _FIRST_NUMBERED.match(prev_line):
            ev["first_numbered"] = 1.0
        if i in after_header:
            ev["first_after_header"] = 1.0
        if i in strong_set:
            ev["strong"] = 1.0
            if burst_of[i] not in head_seen:
                ev["burst_head"] = 1.0
                head_seen.add(burst_of[i])
        kind = frozenset(STRONG.intersection(feats))
        if kind and i > st.step_line and kind not in kinds_seen:
            ev["first_of_kind"] = 1.0
            kinds_seen.add(kind)
        if burst_of[i] == burst:
            ev["last_burst"] = 1.0
        if i == first_strong_in_step:
            ev["first_strong_in_step"] = 1.0
        if i == last_strong:
            ev["last_strong"] = 1.0
        for limit in (3, 10, 30, 100, 1000):
            if dist <= limit:
                ev[f"dist<={limit}"] = 1.0
                break
        out.append((i, ev, sig))
    # (a traced script that caught its failure, `+ rc=1`: what it did then is its own)
    end = caught(lines, st.step_line + 1, fail)
    return [row for row in out if after < row[0] and (end is None or row[0] < end)]


def _under_warning(lines: Sequence[str], hits: Hits, i: int, line: str) -> bool:
    """Whether line i (`line`) is part of a warning's block (indented just under its header,
    saying nothing of an error itself), or of a logged warning's box (Julia's `┌ Warning:`,
    then `│ exception = ...` lines)."""
    if line[:1] == "│":
        j = i - 1
        while j >= 0 and i - j < 50 and lines[j][:1] == "│":
            j -= 1
        return j >= 0 and _BOX_WARNING.match(lines[j]) is not None
    if _OWN_ERROR.intersection(hits.features.get(i, ())):
        return False
    if line[:1] not in (" ", "\t"):
        # (the lines of a Python warning's message, up to its quoted source line)
        for j in range(i - 1, max(-1, i - PY_WARNING_LINES), -1):
            above = lines[j]
            if "Warning: " in above and _PY_WARNING.match(above):  # (the cheap test first)
                return True
            if above[:1] in ("", " ", "\t"):
                break
        return False
    for j in (i - 1, i - 2):
        if j >= 0 and (above := lines[j]).strip():
            # (under it: indented deeper than the header, not beside it in one indented box)
            deeper = len(line) - len(line.lstrip()) > len(above) - len(above.lstrip())
            return deeper and _WARNING_HEAD.match(above) is not None
    return False


def _says_why(hits: Hits, i: int) -> bool:
    """Whether line i speaks of an error or of trouble (a failing step's own words)."""
    return i in hits.signatures or not _TROUBLE.isdisjoint(hits.features.get(i, ()))


def _strong(hits: Hits, i: int) -> bool:
    return not STRONG.isdisjoint(hits.features.get(i, ())) or (
        i in hits.signatures and cause_signature(hits, i) is not None
    )


def candidates(
    lines: Sequence[str],
    hits: Hits,
    st: Structure,
    asides: Sequence[tuple[int, int]] | None = None,
) -> list[Candidate]:
    return [
        candidate(i, sum([WEIGHTS.get(k, 0.0) * v for k, v in ev.items()]), ev, sig)
        for i, ev, sig in evidence(lines, hits, st, asides)
    ]


def candidate(i: int, score: float, ev: Mapping[str, float], sig: SignatureHit | None) -> Candidate:
    """Line i as a candidate, scored `score` on its evidence `ev`."""
    return Candidate(i, score, frozenset(k for k in ev if k in _SCORE_SET), sig)


#: A clearly more specific cause signature (by at least OUTRANK_PRIORITY points) within
#: OUTRANK_LINES of the best-scored line, and scored at most OUTRANK_MARGIN below it, is the root
#: instead: the best-scored line is then the wrapper or the consequence of what it names
#: (`ERROR: Error cloning remote repo` over `Permission denied (publickey)`, a test's
#: `--- FAIL:` over the data race that failed it).
#: Signatures below the default priority (generic ones: `--> file:line`, a traceback's head)
#: never outrank. Neither do a test's header (`--- FAIL: TestX`: its assertion says why) nor a
#: test's assertion output (`E  + where 401 = <Response [401]>` is the test's data, not the
#: CI's; an exception pytest reports, `E   SyntaxError: invalid syntax`, is not data).
OUTRANK_PRIORITY = 5
OUTRANK_MIN = 50
OUTRANK_LINES = 12
#: A test's header (`--- FAIL: TestX`) yields to a more specific cause this far above it:
#: Go prints a test's output, a race report or a panic, before the header that closes it.
OUTRANK_TEST_LINES = 150
OUTRANK_MARGIN = 1.5
_ASSERTION_OUTPUT = frozenset(("expected", "assertion"))
_LOCATED = frozenset(("located_error", "located_message"))


def _priority(c: Candidate) -> int:
    return c.signature.signature.priority if c.signature is not None else 0


def choose(cands: Sequence[Candidate], step: int = -1) -> Candidate | None:
    """The best-scored candidate (on a tie, the earliest), unless a clearly more specific cause
    signature stands close by and scores nearly as well (see OUTRANK_PRIORITY). A test's header
    yields only to a line of its own step's output (after the failing step's first line,
    `step`)."""
    best: Candidate | None = None
    for c in cands:
        if best is None or c.score > best.score:
            best = c
    if best is None:
        return None
    floor = max(_priority(best) + OUTRANK_PRIORITY, OUTRANK_MIN)
    # (a test runner's header or its summary of a failed suite, `FAIL  pkg  600.1s`)
    is_test_header = (
        best.signature is not None and "test" in best.signature.captures
    ) or "test_fail" in best.features
    rivals = [
        c
        for c in cands
        if c.signature is not None
        and _priority(c) >= floor
        # (a test's header, by its captures or its words: its assertion says why)
        and "test" not in c.signature.captures
        and "test_fail" not in c.features
        and _ASSERTION_OUTPUT.isdisjoint(c.features)
        and "app_log" not in c.features  # (what a program logged is its data, too)
        and ("pytest_e" not in c.features or "exception" in c.features)
        and (
            abs(c.index - best.index) <= OUTRANK_LINES
            # (not an attempt that was retried: a later one may have passed)
            or (
                (is_test_header and 0 < best.index - c.index <= OUTRANK_TEST_LINES)
                and c.index > step
                and "retry" not in c.features
            )
        )
        and best.score - c.score <= OUTRANK_MARGIN
        # (not another report of the compiler's burst `best` is in: both at a file:line)
        and not (_LOCATED & best.features and _LOCATED & c.features)
    ]
    if rivals:
        pick = first_in_burst(cands, max(rivals, key=lambda c: (_priority(c), c.score)))
        if pick.signature is not None and pick.signature.signature.category == "infrastructure":
            # (a machine's exhaustion, a full disk, is reported by each process that meets it:
            # the first to report it is the cause, not a later victim in another package)
            return first_of_same(cands, pick, step)
        return pick
    return first_of_same(cands, best, step)
