"""Multi-pattern scanning: every pattern over the whole buffer in one pass.

A Python loop of ``re`` calls per line runs at ~2 MB/s; a multi-pattern engine scans the
whole log at hundreds of MB/s and reports (pattern, line) hits. Hyperscan is preferred,
google-re2 is the portable fallback. Backends register by name.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ciwhy.analysis.lines import Offsets, pieces
from ciwhy.analysis.rewrite import (
    branches,
    relax_bounds,
    single_line,
    split_leading_blanks,
    trim_tail,
)

__all__ = ["BACKENDS", "Backend", "build", "register", "relax_bounds", "single_line", "trim_tail"]

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
#: Hyperscan scans the text in pieces of about this many characters (a piece's line breaks
#: become 8-byte offsets when its hits are mapped to lines: 2 MiB for 256 KiB of empty lines).
PIECE = 1 << 18
_NL, _LOW = 10, 0xFFFFFFFF
#: What each piece is scanned with after it: a line break if it lacks its last one, then an empty
#: line, on which no pattern matches (one that would is refused). Hyperscan 5.4 (python-hyperscan
#: 0.9.1) misses a class's run right before a multi-line `$` at the very end of the text
#: (`\d+$` on a line of more than about sixteen bytes, then one line break, then nothing); with
#: a line after it, it does not. Hits beyond the piece's own bytes are dropped.
_AFTER = {True: b"\n", False: b"\n\n"}
Ints = npt.NDArray[np.int64]
_NONE: Ints = np.zeros(0, np.int64)


class Backend(Protocol):
    name: str

    def scan(self, text: str) -> list[tuple[int, int]]:
        """Every (pattern index, 0-based line index) where the pattern matches."""
        ...


BACKENDS: dict[str, Callable[[Sequence[str]], Backend]] = {}


def register(name: str) -> Callable[[Callable[[Sequence[str]], Backend]], Callable[..., Backend]]:
    def deco(factory: Callable[[Sequence[str]], Backend]) -> Callable[..., Backend]:
        BACKENDS[name] = factory
        return factory

    return deco


def _split_flags(pattern: str) -> tuple[str, bool]:
    """The pattern as the fast engines take it (one line at most, relaxed bounds) and whether
    it is case-insensitive."""
    caseless = pattern.startswith("(?i)")
    if caseless:
        pattern = pattern[4:]
    return relax_bounds(single_line(trim_tail(pattern))), caseless


def _lines_of(
    hits: list[tuple[int, int]], buf: bytes | str, nl: bytes | str, first: int = 0
) -> dict[int, int]:
    """The line index (counted from `first`) of each distinct end offset among (pattern, end)
    hits: the newlines before each are counted once, in order, at C speed."""
    line_at: dict[int, int] = {}
    line, pos = first, 0
    for end in sorted({end for _, end in hits}):
        # A match ends just after its last character; a match ending at a newline is on the line.
        at = end - 1 if end > 0 else 0
        if at > pos:
            line += buf.count(nl, pos, at)  # type: ignore[arg-type]
            pos = at
        line_at[end] = line
    return line_at


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ciwhy"


def _cached_database(hyperscan: Any, exprs: list[bytes], ids: list[int], flags: list[int]) -> Any:
    """Compiling hundreds of patterns takes seconds; a serialised database loads in
    milliseconds. The cache is keyed by the patterns, flags and library version."""
    key = hashlib.sha256(
        repr((exprs, ids, flags, getattr(hyperscan, "__version__", ""))).encode()
    ).hexdigest()[:24]
    path = _cache_dir() / f"hs-{key}.db"
    try:
        return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except Exception:  # missing, unreadable or from another build: compile afresh
        pass
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=exprs, ids=ids, elements=len(exprs), flags=flags)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(hyperscan.dumpb(db))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs the next start its compile time
    return db


@register("hyperscan")
class HyperscanBackend:
    """One database of every pattern's top-level alternatives, each an expression under its
    pattern's id, optional leading blanks written as two alternatives (`split_leading_blanks`),
    without start-of-match tracking (which costs a quarter of the scan's speed and crashed the
    scan on some patterns). Bytes semantics (no UTF-8 mode): non-ASCII never decides a match,
    and invalid sequences cannot abort a scan. A pattern that matches an empty line is refused
    (the next backend takes the library): with end offsets alone, its hit would land on the
    line before."""

    name = "hyperscan"

    def __init__(self, patterns: Sequence[str]) -> None:
        import hyperscan

        exprs: list[bytes] = []
        ids: list[int] = []
        flags: list[int] = []
        for pid, p in enumerate(patterns):
            if re.search(p, "") is not None:
                raise ValueError(f"pattern {p!r} matches an empty line")
            body, caseless = _split_flags(p)
            f = hyperscan.HS_FLAG_MULTILINE | (hyperscan.HS_FLAG_CASELESS if caseless else 0)
            for branch in branches(_NAMED_GROUP.sub("(", body)):
                for expr in split_leading_blanks(branch):
                    exprs.append(expr.encode("utf-8"))
                    ids.append(pid)
                    flags.append(f)
        self._db = _cached_database(hyperscan, exprs, ids, flags)
        self._scratch = hyperscan.Scratch(self._db)

    def scan(self, text: str) -> list[tuple[int, int]]:
        pids, lines = self.scan_arrays(text)
        return list(zip(pids.tolist(), lines.tolist(), strict=True))

    def scan_arrays(self, text: str, starts: Offsets | None = None) -> tuple[Ints, Ints]:
        # Piece by piece, each cut after a line break: no pattern spans lines, so the hits are
        # the same, and only one piece's bytes exist at a time (the whole text encoded at
        # once was the engine's peak of memory). Each hit is one int, pid << 32 | end (a piece
        # is far below 4 GiB); the mapping to lines and the deduplication run in numpy.
        # `starts`, where the caller has them: where each line of `text` starts (characters);
        # a piece whose bytes are its characters (ASCII) maps its hits to lines with them.
        found: list[int] = []
        add = found.append

        def on_match(pid: int, start: int, end: int, flags: int, ctx: object) -> None:
            add(pid << 32 | end)

        keys = []
        first_line = 0
        for a, b in pieces(text, PIECE):
            buf = text[a:b].encode("utf-8", "replace")  # always valid UTF-8, same line breaks
            found.clear()
            after = _AFTER[buf.endswith(b"\n")]
            self._db.scan(buf + after, match_event_handler=on_match, scratch=self._scratch)
            if starts is not None:
                first_line = int(np.searchsorted(starts, starts.dtype.type(a), side="right")) - 1
            if not found:  # (the line breaks' offsets are built only when hits need them)
                if starts is None:
                    first_line += buf.count(b"\n")
                continue
            v = np.array(found, dtype=np.int64)
            if (v & _LOW).max() > len(buf):  # (a hit in what was put after the piece)
                v = v[(v & _LOW) <= len(buf)]
            # A match ends just after its last character; one ending at a newline is on the
            # line: its line is the number of line breaks before its last character.
            last = np.maximum((v & _LOW) - 1, 0)
            if starts is not None and len(buf) == b - a:  # (ASCII: offsets are characters)
                # (queries in the offsets' own type: no copy of the offsets per piece)
                line = np.searchsorted(starts, (last + a).astype(starts.dtype), side="right") - 1
                keys.append((v >> 32 << 32) + line)
                continue
            breaks = np.flatnonzero(np.frombuffer(buf, np.uint8) == _NL)
            keys.append((v >> 32 << 32) + first_line + np.searchsorted(breaks, last))
            first_line += len(breaks)
            del breaks, v, last
        if not keys:
            return _NONE, _NONE
        unique = np.unique(np.concatenate(keys))  # sorted: by pattern, then line
        return unique >> 32, unique & _LOW


@register("re2")
class Re2Backend:
    name = "re2"

    def __init__(self, patterns: Sequence[str]) -> None:
        import re2

        opts = []
        for p in patterns:
            body, caseless = _split_flags(p)
            options = re2.Options()
            options.case_sensitive = not caseless
            opts.append(re2.compile("(?m)" + body, options))  # Perl syntax, ^ at line starts
        self._regexes = opts

    def scan(self, text: str) -> list[tuple[int, int]]:
        hits: list[tuple[int, int]] = []
        for pid, rx in enumerate(self._regexes):
            hits.extend(
                (pid, m.end() if m.end() > m.start() else m.start() + 1) for m in rx.finditer(text)
            )
        line_at = _lines_of(hits, text, "\n")
        return sorted({(pid, line_at[end]) for pid, end in hits})


@register("python")
class PythonBackend:
    """Reference implementation (slow): used by tests to check the fast backends."""

    name = "python"

    def __init__(self, patterns: Sequence[str]) -> None:
        self._regexes = [re.compile(p) for p in patterns]

    def scan(self, text: str) -> list[tuple[int, int]]:
        out = []
        for i, line in enumerate(text.split("\n")):
            for pid, rx in enumerate(self._regexes):
                if rx.search(line):
                    out.append((pid, i))
        return sorted(out)


def scan_arrays(backend: Backend, text: str, starts: Offsets | None = None) -> tuple[Ints, Ints]:
    """Every hit as two arrays, pattern indices and 0-based line indices, sorted by pattern
    then line (from a backend's own arrays where it has them; `starts`, where each line of
    `text` starts, saves it looking for line breaks)."""
    own = getattr(backend, "scan_arrays", None)
    if own is not None:
        return own(text, starts)  # type: ignore[no-any-return]
    pairs = np.array(backend.scan(text), np.int64).reshape(-1, 2)
    return pairs[:, 0].copy(), pairs[:, 1].copy()


def build(patterns: Sequence[str], prefer: Sequence[str] = ("hyperscan", "re2")) -> Backend:
    """The first backend that is installed and accepts every pattern (a pattern one engine
    refuses falls back to the next engine, never to a crash)."""
    errors = []
    for name in prefer:
        try:
            return BACKENDS[name](patterns)
        except Exception as exc:  # ImportError, or the engine's own compile error
            errors.append(f"{name}: {exc}")
    raise RuntimeError("no pattern-scanning backend accepts these patterns: " + "; ".join(errors))
