"""Cleaning UTF-8 bytes at array speed.

`lines` defines what cleaning removes with regular expressions (`lines.clean`, the reference):
escape sequences, then one CI timestamp prefix per line. A substitution pays Python's price for
every match, and a log with an escape or a stamp on each line has hundreds of thousands of
them. Here the same spans are found with numpy over a whole piece at once: each candidate
(every ESC byte, every line start) is read a few bytes at a time across all candidates
together, and the rare shapes that need more (a run of parameters longer than `CAP`, a
bracketed clock or a block stamp) are matched by the reference expression, one by one. The spans are
then overwritten with BEL, which cleaning drops anyway, and dropped at C speed. Escapes,
timestamps and BEL are all ASCII, and UTF-8 never uses an ASCII byte inside a sequence, so
working on the bytes finds exactly what the expressions find on the decoded text.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

__all__ = ["drop_escapes", "drop_stamps"]

Ints = npt.NDArray[np.int64]
Bytes = npt.NDArray[np.uint8]

#: Runs longer than this (an escape's parameters) are handed to the reference expression.
CAP = 32
#: Bytes read past the end of a piece are padding (NUL is no part of an escape or a stamp).
_PAD = 3 * CAP
#: Fewer escapes than this, or sparser than one in SPARSE bytes, cost the reference less: the
#: arrays cost per call and per byte, a substitution per match (measured on the dev corpus's
#: pieces and the generated log's).
FEW, SPARSE = 2000, 150
_ESC, _BEL, _NL, _LBRACKET, _HASH = 27, 7, 10, 0x5B, 0x23
_BEL_BYTE = b"\x07"


def _padded(buf: bytes) -> Bytes:
    a = np.zeros(len(buf) + _PAD, np.uint8)
    a[: len(buf)] = np.frombuffer(buf, np.uint8)
    return a


_TABLES: dict[bytes, npt.NDArray[np.bool_]] = {}


def _among(c: Bytes, chars: bytes) -> npt.NDArray[np.bool_]:
    """Where the bytes `c` are one of `chars` (a 256-entry table, looked up at C speed)."""
    table = _TABLES.get(chars)
    if table is None:
        table = _TABLES[chars] = np.zeros(256, np.bool_)
        table[np.frombuffer(chars, np.uint8)] = True
    return table[c]


def _digit(a: Bytes, p: Ints) -> npt.NDArray[np.bool_]:
    # (a byte below `0` wraps round to above 9: one comparison)
    found: npt.NDArray[np.bool_] = (a[p] - 0x30) < 10
    return found


def _run(a: Bytes, p: Ints, lo: int, hi: int, cap: int) -> tuple[Ints, npt.NDArray[np.bool_]]:
    """How many bytes from each `p` on lie in [lo, hi], counted up to `cap`; and where the run
    goes on beyond `cap`."""
    n = np.zeros(len(p), np.int64)
    live = np.ones(len(p), np.bool_)
    for k in range(cap):
        c = a[p + k]
        live &= (c >= lo) & (c <= hi)
        if not live.any():
            break
        n += live
    return n, live


def _drop(a: Bytes, size: int, starts: Ints, ends: Ints) -> bytes:
    """The piece without the bytes in [starts, ends) (sorted, disjoint), and without BEL."""
    edges = np.empty(2 * len(starts) + 2, np.int64)
    edges[0], edges[1:-1:2], edges[2:-1:2], edges[-1] = 0, starts, ends, size
    keeps = np.zeros(len(edges) - 1, np.bool_)
    keeps[0::2] = True  # runs to keep and to drop, alternately, from the first byte on
    keep = np.repeat(keeps, np.diff(edges))
    if (a[:size] == _BEL).any():
        keep &= a[:size] != _BEL
    return a[:size][keep].tobytes()


def drop_escapes(buf: bytes, reference: re.Pattern[bytes]) -> bytes:
    """`buf` without its escape sequences and BEL bytes, as ``reference.sub(b"", buf)`` then
    removing BEL would leave it (`reference` is the escapes' expression, on bytes)."""
    if b"\x1b" not in buf:
        return buf.replace(_BEL_BYTE, b"") if _BEL_BYTE in buf else buf
    # (counted in numpy: `bytes.count` of one byte is about five times as slow)
    count = int(np.count_nonzero(np.frombuffer(buf, np.uint8) == _ESC))
    if count < FEW or count * SPARSE < len(buf):  # (too few to repay the array passes)
        buf = reference.sub(b"", buf) if b"\x1b" in buf else buf
        return buf.replace(_BEL_BYTE, b"") if _BEL_BYTE in buf else buf
    size, a = len(buf), _padded(buf)
    e = np.flatnonzero(a[:size] == _ESC)
    b1 = a[e + 1]
    end = e + 1 + ((b1 >= 0x20) & (b1 <= 0x7E))  # ESC and one printable byte, or ESC alone
    charset = _among(b1, b"()*+")
    b2 = a[e[charset] + 2]
    alnum = _among(b2, b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    end[charset] = e[charset] + 2 + alnum
    csi = b1 == _LBRACKET  # parameters, intermediates, then a final byte if there is one
    p = e[csi] + 2
    n1, long1 = _run(a, p, 0x30, 0x3F, CAP)
    n2, long2 = _run(a, p + n1, 0x20, 0x2F, CAP)
    p += n1 + n2
    final = a[p]
    end[csi] = p + ((final >= 0x40) & (final <= 0x7E))
    slow = np.zeros(len(e), np.bool_)
    slow[csi] = long1 | long2
    strings = _among(b1, b"]_P^X")  # up to BEL, ESC or a line break; BEL or ESC \ ends it
    if strings.any():
        stops = np.flatnonzero(_among(a[:size], b"\x07\x1b\n"))
        at = np.searchsorted(stops, e[strings] + 2)
        t = np.append(stops, size)[at]
        end[strings] = t + (a[t] == _BEL) + 2 * ((a[t] == _ESC) & (a[t + 1] == 0x5C))
    for k in np.flatnonzero(slow).tolist():
        m = reference.match(buf, int(e[k]))
        end[k] = m.end() if m is not None else e[k] + 1
    # An ESC inside an earlier sequence (the ESC of a string's `ESC \`) starts none of its own.
    reach = np.maximum.accumulate(end)
    own = np.ones(len(e), np.bool_)
    own[1:] = e[1:] >= reach[:-1]
    return _drop(a, size, e[own], end[own])


def _iso(a: Bytes, s: Ints) -> tuple[npt.NDArray[np.bool_], Ints]:
    """Where an ISO 8601 stamp (maybe bracketed, maybe with a GitLab stream tag) starts at `s`,
    and where it ends, blank after it included."""
    o = s + (a[s] == _LBRACKET)
    ok = (a[o + 4] == 0x2D) & (a[o + 7] == 0x2D) & (a[o + 13] == 0x3A) & (a[o + 16] == 0x3A)
    ok &= _among(a[o + 10], b"T ")
    shaped = np.flatnonzero(ok)  # (the digits are read only where the separators are)
    q, digits = o[shaped], np.ones(len(shaped), np.bool_)
    for k in (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18):  # 2024-05-01T10:00:00
        digits &= _digit(a, q + k)
    ok[shaped] = digits
    p = o[ok] + 19
    frac = np.flatnonzero(_among(a[p], b".,") & _digit(a, p + 1))
    p[frac] += 1 + _run(a, p[frac] + 1, 0x30, 0x39, 9)[0]
    sign = _among(a[p], b"+-") & _digit(a, p + 1) & _digit(a, p + 2)
    colon = sign & (a[p + 3] == 0x3A) & _digit(a, p + 4) & _digit(a, p + 5)
    plain = sign & ~colon & _digit(a, p + 3) & _digit(a, p + 4)
    p = p + np.where(a[p] == 0x5A, 1, np.where(colon, 6, np.where(plain, 5, 0)))
    p = p + (a[p] == 0x5D)
    p = p + ((a[p] == 0x3A) & (a[p + 1] == 0x20))  # (Packer's `2024-05-01T10:02:54Z: `)
    tag = (a[p] == 0x20) & _digit(a, p + 1) & _digit(a, p + 2) & _among(a[p + 3], b"OE")
    p = p + np.where(tag, 4 + (a[p + 4] == 0x2B), 0)
    end = s.copy()
    end[ok] = p + _among(a[p], b" \t")
    return ok, end


def _clock(a: Bytes, s: Ints) -> tuple[npt.NDArray[np.bool_], Ints]:
    """Where a bare clock (Jenkins timestamper's ``10:00:00 ``, maybe with a fraction) starts at
    `s`, and where it ends, the blank after it (or two) included."""
    ok = (a[s + 2] == 0x3A) & (a[s + 5] == 0x3A)
    for k in (0, 1, 3, 4, 6, 7):
        ok &= _digit(a, s + k)
    p = s + 8
    frac = (a[p] == 0x2E) & _digit(a, p + 1)
    p = p + np.where(frac, 1 + _run(a, p + 1, 0x30, 0x39, 9)[0], 0)
    ok &= _among(a[p], b" \t")
    p = p + ((a[p] == 0x20) & (a[p + 1] == 0x20))  # (two blanks after it: both are the stamp's)
    return ok, np.where(ok, p + 1, s)


def _twelve(a: Bytes, s: Ints) -> tuple[npt.NDArray[np.bool_], Ints]:
    """Where Netlify's 12-hour clock (``2:09:40 PM: ``, ``12:09:40 AM: ``) starts at `s`, and
    where it ends, the blank after it included."""
    one = a[s + 1] == 0x3A  # (a one-digit hour)
    ok = _digit(a, s) & (one | (_digit(a, s + 1) & (a[s + 2] == 0x3A)))
    q = s + np.where(one, 1, 2)  # (the colon after the hour)
    ok &= (a[q] == 0x3A) & (a[q + 3] == 0x3A) & (a[q + 6] == 0x20)
    for k in (1, 2, 4, 5):
        ok &= _digit(a, q + k)
    ok &= _among(a[q + 7], b"AP") & (a[q + 8] == 0x4D) & (a[q + 9] == 0x3A) & (a[q + 10] == 0x20)
    return ok, np.where(ok, q + 11, s)


def _buildkit(a: Bytes, at: Ints) -> Ints:
    """The length of a BuildKit step clock (``#9 3.512 ``) at each `at`, 0 where there is none."""
    out = np.zeros(len(at), np.int64)
    hash_ = np.flatnonzero(a[at] == _HASH)
    if not len(hash_):
        return out
    p = at[hash_]
    n1, _ = _run(a, p + 1, 0x30, 0x39, 5)
    q = p + 2 + n1
    n2, _ = _run(a, q, 0x30, 0x39, 6)
    r = q + n2 + 1
    n3, _ = _run(a, r, 0x30, 0x39, 3)
    ok = (n1 >= 1) & (n1 <= 4) & (a[p + 1 + n1] == 0x20)
    ok &= (n2 >= 1) & (n2 <= 5) & (a[q + n2] == 0x2E) & (n3 >= 2)
    stop = r + n3
    out[hash_] = np.where(ok, stop + _among(a[stop], b" \t") - p, 0)
    return out


_WORD = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.-"


def _bracketed(a: Bytes, s: Ints) -> Ints:
    """Which of the line starts `s` the reference must read (indices into `s`): those where a
    bracket opens a word then a colon (``[10:00:00]``, TeamCity's, drone's ``[step:12]``), not
    ``[INFO]`` nor ``[Pipeline]``."""
    at = np.flatnonzero(a[s] == _LBRACKET)
    window = a[s[at][:, None] + np.arange(1, 42)]
    first = np.argmin(_among(window, _WORD), axis=1)  # the first byte no word has
    colon = window[np.arange(len(at)), first] == 0x3A
    found: Ints = at[(first >= 1) & colon]
    return found


def drop_stamps(buf: bytes, reference: re.Pattern[bytes]) -> bytes:
    """`buf` (whole lines, escapes gone) without one timestamp prefix per line, as matching
    `reference` (the stamp's expression, on bytes, unanchored) at each line start would."""
    size, a = len(buf), _padded(buf)
    s = np.flatnonzero(a[:size] == _NL) + 1
    s = np.concatenate((np.zeros(1, np.int64), s[s < size]))
    s = s[_among(a[s], b"0123456789[#")]
    ok, p = _iso(a, s)
    # (the clocks, where no ISO stamp is and a colon stands where a clock has its first)
    rest = np.flatnonzero(~ok & ((a[s + 1] == 0x3A) | (a[s + 2] == 0x3A)))
    if len(rest):
        at = s[rest]
        clock, q = _clock(a, at)
        twelve, r = _twelve(a, at)  # (before the bare clock, which would take `12:09:40 `)
        ok[rest] = clock | twelve
        p[rest] = np.where(twelve, r, np.where(clock, q, p[rest]))
    # (a tool's own clock after the stamp, dbt's: looked for where the colons are)
    maybe = np.flatnonzero(ok & (a[p + 2] == 0x3A) & (a[p + 5] == 0x3A))
    if len(maybe):
        again, q = _clock(a, p[maybe])
        p[maybe[again]] = q[again]
    stop = p + _buildkit(a, p)  # (after a stamp, or alone at the line's start)
    other = np.flatnonzero(~ok)
    for k in other[_bracketed(a, s[other])].tolist():
        m = reference.match(buf, int(s[k]))
        stop[k] = m.end() if m is not None else s[k]
    cut = stop > s
    if not cut.any():
        return buf
    return _drop(a, size, s[cut], stop[cut])
