"""The excerpt: the cause line with the block it heads (message continuation, frames,
expected/actual), and the lines just before it that belong to it (a test's header)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ciwhy.analysis.library_index import Hits
from ciwhy.analysis.spans import union
from ciwhy.models import Excerpt

# Measured on the labelled benchmark (bench/fit_weights.py's data): people mark the error
# line with what follows it up to the next blank line, and the header lines just before it.
BLOCK_AFTER = 30
BLOCK_BEFORE = 4
BLANKS_ALLOWED = 1
# Runners-up scored within RUNNER_UP_MARGIN of the chosen line are shown too: when the
# evidence is that close, the reader (and the benchmark) is better served by both. Each is its
# line alone: longer runner-up blocks cost precision without adding hits. Measured on the dev
# set against the earlier setting (4 runners-up within 1.0, 2 lines each): any_hit 0.895 to
# 0.922, better in 4 repositories (10 logs of them in one) and worse in none; line F1 0.504 to
# 0.501, better in 24 repositories and worse in 25.
RUNNERS_UP = 3
RUNNER_UP_MARGIN = 1.3
RUNNER_UP_LINES = 1
# People mark a test's failure from its header down: the root block starts there when the
# header is this close above (measured at 10, 15, 20, 25 and 35 lines: F1 flat from 15 to 25).
HEADER_BACK = 20
_HEADERS = ("pytest_header", "test_fail", "numbered_failure")
_STOP_FEATURES = ("step", "fail_marker", "cascade", "ci_noise", "not_failed")
# A blank line, or one a tool prefixes and leaves empty (`npm ERR! `, `[ERROR] `): a gap
# inside the block, not its end.
_BLANK = re.compile(r"^\s*(?:npm ERR!|\[ERROR\]|error:?)?\s*$")
#: An excerpt line longer than this (minified code, a dumped blob) is cut, with a note.
LINE_CHARS = 2000
#: A run of the characters tokens, keys and JWTs are made of: never cut in the middle (half a
#: secret would escape redaction), the cut moves back to before it.
_TOKEN_TAIL = re.compile(r"[A-Za-z0-9+/=_.~:%-]*\Z")


def block(
    lines: Sequence[str],
    hits: Hits,
    root: int,
    stop: int,
    max_lines: int,
    *,
    own_test: bool = False,
) -> tuple[int, int]:
    """0-based inclusive (start, end) of the block the root line heads; with `own_test`, from
    the header of the test it belongs to (`___ test_x ___`, `--- FAIL:`, `1) ...`) when one
    stands within HEADER_BACK lines above it."""
    feats = hits.features
    end = root
    limit = min(stop - 1, root + min(BLOCK_AFTER, max_lines) - 1, len(lines) - 1)
    blanks = 0
    while end < limit:
        nxt = end + 1
        text = lines[nxt]
        if any(r in feats.get(nxt, ()) for r in _STOP_FEATURES) and not _BLANK.match(text):
            break
        if not _BLANK.match(text):
            blanks = 0
        else:
            blanks += 1
            if blanks > BLANKS_ALLOWED:
                break
        end = nxt
    while end > root and _BLANK.match(lines[end]):
        end -= 1
    start = root
    # (at most half the budget above the root, so that trimming to it never cuts the root)
    for back in range(1, (min(HEADER_BACK, max_lines // 2) if own_test else 0) + 1):
        prev = root - back
        f = feats.get(prev, ())
        if prev < 0 or any(r in f for r in _STOP_FEATURES):
            break
        if any(h in f for h in _HEADERS):
            start = prev
            break
    for _ in range(BLOCK_BEFORE if start == root else 0):
        prev = start - 1
        f = feats.get(prev, frozenset())
        if prev < 0 or not lines[prev].strip() or not f or any(r in f for r in _STOP_FEATURES):
            break
        start = prev
    return start, end


def render(
    lines: Sequence[str], spans: Sequence[tuple[int, int]], redact: Callable[[str], str]
) -> tuple[Excerpt, ...]:
    out = []
    for a, b in sorted(spans):
        text = "\n".join(_cut(line) for line in lines[a : b + 1])
        out.append(Excerpt(a + 1, b + 1, redact(text)))
    return tuple(out)


def _cut(line: str) -> str:
    """The line within LINE_CHARS, saying how much was left out."""
    if len(line) <= LINE_CHARS:
        return line
    cut = LINE_CHARS
    if _TOKEN_TAIL.match(line[cut : cut + 1]):  # the cut falls inside a run: cut before it
        tail = _TOKEN_TAIL.search(line, 0, cut)
        cut = tail.start() if tail else 0
    return f"{line[:cut]} … [{len(line) - cut} more characters]"


def merge(spans: Sequence[tuple[int, int]], max_lines: int) -> list[tuple[int, int]]:
    """Spans in priority order (the root's block first) trimmed to a budget of max_lines in
    total, then sorted, with overlapping or adjacent spans merged."""
    kept: list[tuple[int, int]] = []
    budget = max_lines
    for a, b in spans:
        new = set(range(a, b + 1)) - {i for x, y in kept for i in range(x, y + 1)}
        if not new or budget <= 0:
            continue
        b = min(b, a + budget - 1)
        kept.append((a, b))
        budget -= len(new & set(range(a, b + 1)))
    return union(kept)
