"""Reading a log: bytes in any state to numbered, cleaned lines.

Line numbers are 1-based over the input split on ``\\r\\n``, ``\\r`` or ``\\n`` exactly as received.
Cleaning (ANSI/VT escapes, control bytes, CI timestamp prefixes) never adds or removes a line
break, so ``lines[n - 1]`` is always the cleaned text of input line ``n``.
"""

from __future__ import annotations

import codecs
import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from ciwhy.analysis import sweep
from ciwhy.analysis.cleaning import (  # noqa: F401  (the reference expressions, re-exported)
    _BUILDKIT,
    _CLOCK,
    _CONTROL_BYTES,
    _CONTROL_CHARS,
    _CONTROLS,
    _CR_AS_NL,
    _CRLF_B,
    _ESCAPES,
    _ESCAPES_B,
    _STAMP,
    _STAMP_B,
    _TIMESTAMP,
    _TIMESTAMP_B,
    _TIMESTAMP_NL,
    _TIMESTAMP_NL_B,
)
from ciwhy.analysis.inflate import MAX_DECOMPRESSED, decompress  # noqa: F401  (re-exported)

TIMESTAMP_SNIFF = 64 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


#: Offsets into a text, as numpy reads `Lines`' (unsigned, 4 or 8 bytes each).
Offsets = npt.NDArray[Any]

_NEWLINE = re.compile("\n")
_NL_BYTE = 10


def offsets(size: int) -> array[int]:
    """An array for offsets into a text of `size` characters, holding 0: 4 bytes each (the
    decompressed size is bounded far below 4 GiB)."""
    return array("I" if size < 0xFFFFFFFF else "Q", [0])


class Lines(Sequence[str]):
    """The lines of a cleaned text, each cut from it when asked for.

    A list of strings costs a pointer and a string object per line (57 bytes for a one-character
    line, as much again as the text for ordinary logs); this keeps where each line starts, in 4
    bytes, found at C speed. The engine reads a few thousand lines of a log, not all of them."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str, starts: array[int] | None = None) -> None:
        """`starts`, when the reader has found them already: where each line starts (0 and
        just after each ``\\n``), then where a line after the last would (one past the end),
        in order, in an array of `offsets` type."""
        self._text = text
        if starts is None:
            starts = offsets(len(text))
            starts.extend(map(re.Match.end, _NEWLINE.finditer(text)))
            starts.append(len(text) + 1)
        self._starts = starts

    def __len__(self) -> int:
        return len(self._starts) - 1

    def line_starts_with(self, index: int, prefix: str) -> bool:
        """Whether line `index` (0-based, in range) starts with `prefix`, read in place."""
        return self._text.startswith(prefix, self._starts[index], self._starts[index + 1] - 1)

    def any_starts_with(self, prefix: str, start: int, end: int) -> bool:
        """Whether any of lines `start` to `end` (exclusive) starts with `prefix`: one search of
        the text, not a line cut at a time."""
        if not 0 <= start < end <= len(self):
            return False
        text, a, b = self._text, self._starts[start], self._starts[end] - 1  # (in place: no copy)
        at = text.find(prefix, a, b)
        while at >= 0:
            if at == a or text[at - 1] == "\n":
                return True
            at = text.find(prefix, at + 1, b)
        return False

    def starts(self) -> Offsets:
        """Where each line starts in the text (characters), then one past the end: a view of
        the offsets, no copy."""
        kind = np.uint32 if self._starts.itemsize == 4 else np.uint64
        return np.frombuffer(self._starts, kind)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        starts = self._starts
        if type(index) is int and index >= 0:  # (the engine's hundreds of thousands of calls)
            if index + 1 < len(starts):
                return self._text[starts[index] : starts[index + 1] - 1]
            raise IndexError("line index out of range")
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(starts) - 1
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("line index out of range")
        return self._text[starts[index] : starts[index + 1] - 1]

    def __iter__(self) -> Iterator[str]:
        text = self._text
        for a, b in pieces(text):
            part = text[a:b].split("\n")
            if b < len(text):
                part.pop()  # the piece ends with a line break: the next piece starts its line
            yield from part

    def __repr__(self) -> str:
        return f"<Lines: {len(self)}>"


@dataclass(frozen=True, slots=True)
class Log:
    """A log ready for matching: ``lines[n - 1]`` is input line ``n`` cleaned."""

    lines: Sequence[str]
    text: str  # the cleaned lines joined with "\n"
    size: int  # bytes received (after decompression)
    encoding: str
    truncated: bool = False

    def line(self, number: int) -> str:
        return self.lines[number - 1]


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text: BOMs honoured, BOM-less UTF-16 sniffed, invalid UTF-8 replaced."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name
    head = data[:4096]
    if len(head) >= 4 and head.count(0) * 3 > len(head):
        evens, odds = head[0::2].count(0), head[1::2].count(0)
        if odds > 3 * max(evens, 1):
            return data.decode("utf-16-le", errors="replace"), "utf-16-le"
        if evens > 3 * max(odds, 1):
            return data.decode("utf-16-be", errors="replace"), "utf-16-be"
    # Line breaks normalised, then control bytes dropped, at C speed before the text is built
    # (UTF-8 never uses them inside a sequence).
    # (Each step rebinds `data`, so the copy before it is freed.)
    if b"\r" in data:
        data = _one_break(data)
    data = data.translate(None, _CONTROL_BYTES)
    return data.decode("utf-8", errors="replace"), "utf-8"


def _one_break(data: bytes) -> bytes:
    """Every line break (``\\r\\n``, ``\\r``, ``\\n``) as ``\\n``. Replacing costs per ``\\r\\n``
    found, splitting per line: where most lines end in ``\\r\\n`` (as the head shows),
    ``bytes.splitlines`` (which breaks at exactly these three) is about twice as fast."""
    head = data[:TIMESTAMP_SNIFF]
    if head.count(b"\r\n") * 2 <= head.count(b"\n"):
        return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    parts = data.splitlines()
    if data.endswith((b"\r", b"\n")):
        parts.append(b"")  # the final line break splitlines drops
    return b"\n".join(parts)


def clean(text: str, *, controls: bool = True) -> str:
    """Remove escapes, controls and timestamp prefixes; line breaks become ``\\n`` one for one.

    Line breaks are normalised first, so that removing an escape or a control character that
    sat between a ``\\r`` and a ``\\n`` cannot fuse two line breaks into one. The rest runs
    piece by piece (no escape sequence spans a line break), so that the pieces a whole-text
    substitution would build never all exist at once."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) <= CHUNK:
        return _clean_pieces([text], controls)
    # (The pieces are slices: the text and its pieces exist together, as the pieces and the
    # joined result do at the end.)
    return _clean_pieces([text[a:b] for a, b in pieces(text)], controls)


def _clean_pieces(parts: list[str], controls: bool) -> str:
    """The cleaned text of `parts` (consecutive, each but the last ending just after a line
    break). Each piece is replaced by its cleaned self as the work goes, and a piece that
    cleaning leaves alone is not copied (the passes return the very string they were given)."""
    for k, piece in enumerate(parts):
        parts[k] = _clean_chunk(piece, controls)
    # A CI that prefixes timestamps does so from its first lines: look there first, in the
    # cleaned head (escapes can make the raw head much longer).
    head, k = parts[0][:TIMESTAMP_SNIFF], 1
    while len(head) < TIMESTAMP_SNIFF and k < len(parts):
        head += parts[k][: TIMESTAMP_SNIFF - len(head)]
        k += 1
    first = _TIMESTAMP.match(head) is not None  # (a match object would keep `head` alive)
    stamps = first or _TIMESTAMP_NL.search(head) is not None
    del head
    if stamps:
        for k, piece in enumerate(parts):
            if k or first:  # every piece but the first starts a line
                piece = _TIMESTAMP.sub("", piece, count=1)
            parts[k] = _TIMESTAMP_NL.sub("\n", piece)
    return parts[0] if len(parts) == 1 else "".join(parts)


#: Reading and cleaning work on pieces of about this many characters (or bytes), each cut
#: just after a line break.
CHUNK = 1 << 20


def pieces(data: str | bytes, size: int | None = None) -> list[tuple[int, int]]:
    """(start, end) slices of about `size` (CHUNK by default), each but the last ending just
    after a ``\\n``: no escape sequence, timestamp or pattern match spans them."""
    size = CHUNK if size is None else size
    nl = "\n" if isinstance(data, str) else b"\n"
    out: list[tuple[int, int]] = []
    a, n = 0, len(data)
    while a < n or not out:
        at = data.find(nl, a + size) if a + size < n else -1  # type: ignore[arg-type]
        b = n if at < 0 else at + 1
        out.append((a, b))
        a = b
    return out


def _clean_chunk(text: str, controls: bool) -> str:
    # Each pass runs only when its trigger is present: most logs need one or two of them.
    if "\x1b" in text:
        text = _ESCAPES.sub("", text)
        if "\x1b" in text:
            text = text.replace("\x1b", "")  # a lone ESC no sequence claimed
    if "\x07" in text:
        text = text.replace("\x07", "")
    if controls and _CONTROLS.search(text):
        text = _CONTROLS.sub("", text)
    return text


def read(data: bytes | str) -> Log:
    """Read a log given as bytes (any encoding, maybe gzip) or as text."""
    if isinstance(data, str):
        return Log(*_split(clean(data)), size=len(data), encoding="str")
    raw, truncated = decompress(data)
    size = len(raw)
    if _plain_utf8(raw):
        cleaned, breaks = _read_utf8(raw)
        return Log(Lines(cleaned, breaks), cleaned, size, "utf-8", truncated)
    text, encoding = decode(raw)
    del raw  # inflated bytes are not needed once decoded: one copy fewer at the peak
    cleaned = clean(text, controls=encoding != "utf-8")
    del text
    return Log(*_split(cleaned), size=size, encoding=encoding, truncated=truncated)


def _plain_utf8(raw: bytes) -> bool:
    """Whether `decode` would read these bytes as BOM-less UTF-8."""
    if raw.startswith(tuple(bom for bom, _ in _BOMS)):
        return False
    head = raw[:4096]
    return not (len(head) >= 4 and head.count(0) * 3 > len(head))


def _read_utf8(raw: bytes) -> tuple[str, array[int]]:
    """What `decode` then `clean` make of BOM-less UTF-8, piece by piece (a cut after a line
    break never splits a UTF-8 sequence nor a ``\\r\\n``), so that the log exists whole only
    as its bytes and the cleaned result: the line breaks normalised, the control bytes, escapes
    and timestamps dropped from the bytes (`sweep`), then decoded. (An escape inside a broken
    UTF-8 sequence goes before decoding, not after: the sequence may then decode.) Where each
    line starts comes with it (`_starts`)."""
    texts: list[str] = []
    spans: list[_Span] = []  # each piece's characters, and where its line breaks are
    waiting: list[bytes] = []  # (pieces cleaned of escapes until the head is seen)
    head, stamped = b"", None

    def finish(part: bytes) -> None:
        if stamped:
            part = sweep.drop_stamps(part, _STAMP_B)
        at = spans[-1][1] if spans else 0
        texts.append(part.decode("utf-8", errors="replace"))
        spans.append(_span(at, part, texts[-1]))

    for a, b in pieces(raw):
        chunk = raw[a:b]
        if b"\r" not in chunk:
            chunk = chunk.translate(None, _CONTROL_BYTES)
        elif _CRLF_B.search(chunk) is None:  # (progress redraws: each CR a line break, one pass)
            chunk = chunk.translate(_CR_AS_NL, _CONTROL_BYTES)
        else:
            chunk = _one_break(chunk).translate(None, _CONTROL_BYTES)
        chunk = sweep.drop_escapes(chunk, _ESCAPES_B)
        if stamped is not None:  # (each piece is done before the next is cut: one at a time)
            finish(chunk)
            continue
        # A CI that prefixes timestamps does so from its first lines: look there, cleaned.
        waiting.append(chunk)
        head += chunk[: TIMESTAMP_SNIFF - len(head)]
        if len(head) < TIMESTAMP_SNIFF and b < len(raw):
            continue
        stamped = _TIMESTAMP_B.match(head) is not None or _TIMESTAMP_NL_B.search(head) is not None
        for part in waiting:
            finish(part)
        waiting.clear()
    text = texts[0] if len(texts) == 1 else "".join(texts)
    texts.clear()  # (the pieces go before the line starts are made)
    return text, _starts(text, spans)


#: Line breaks are looked for in this many characters of ASCII text at once (their 8-byte
#: positions are made for a slice at a time, beside the array they go into).
BREAKS_AT_ONCE = 1 << 16


#: A piece of the text: its characters (start, end), whether it is ASCII (its bytes are its
#: characters), and else where its line breaks are, in characters from the piece's start, when
#: the bytes could tell (None: the text is searched).
_Span = tuple[int, int, bool, "npt.NDArray[np.int64] | None"]
_CONTINUATION = 0x80


def _span(at: int, part: bytes, text: str) -> _Span:
    """The span of a piece decoded from `part` into `text`, starting at character `at`. Valid
    UTF-8 gives its line breaks' characters from the bytes: a break's byte offset less the
    bytes before it that begin no character (continuation bytes). Where a sequence was invalid
    (it became one U+FFFD, whatever its length) the text is searched instead."""
    end = at + len(text)
    if part.isascii():
        return at, end, True, None
    if "\ufffd" in text:
        return at, end, False, None
    a = np.frombuffer(part, np.uint8)
    nl = np.flatnonzero(a == _NL_BYTE)
    follow = np.flatnonzero((a & 0xC0) == _CONTINUATION)
    return at, end, False, nl - np.searchsorted(follow, nl)


def _starts(text: str, spans: list[_Span]) -> array[int]:
    """Where each line of `text` starts, for `Lines`, piece by piece (`spans`). The array grows
    once the text is whole, as the pieces' memory is free again (made whole beforehand, beside
    the pieces, it was the peak)."""
    starts = offsets(len(text))
    kind = np.uint32 if starts.itemsize == 4 else np.uint64
    for a, b, ascii_, breaks in spans:
        if ascii_:  # (characters are bytes: the breaks are found in the bytes, a slice at once)
            for x in range(a, b, BREAKS_AT_ONCE):
                raw = text[x : min(x + BREAKS_AT_ONCE, b)].encode("ascii")
                nl = np.flatnonzero(np.frombuffer(raw, np.uint8) == _NL_BYTE)
                starts.frombytes((nl + (x + 1)).astype(kind).tobytes())
        elif breaks is not None:
            starts.frombytes((breaks + (a + 1)).astype(kind).tobytes())
        else:
            starts.extend(map(re.Match.end, _NEWLINE.finditer(text, a, b)))
    starts.append(len(text) + 1)
    return starts


def _split(cleaned: str) -> tuple[Lines, str]:
    return Lines(cleaned), cleaned
