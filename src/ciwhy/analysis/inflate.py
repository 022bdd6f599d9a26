"""Gzip logs, inflated with a bound: a gzip bomb must not exhaust memory."""

from __future__ import annotations

import zlib

__all__ = ["MAX_DECOMPRESSED", "decompress"]

#: Decompressed logs beyond this size are cut.
MAX_DECOMPRESSED = 256 * 1024 * 1024


def decompress(data: bytes) -> tuple[bytes, bool]:
    """Inflate gzip (and zlib) data, bounded; anything else is returned as is."""
    if data[:2] != b"\x1f\x8b":
        return data, False
    out: list[bytes] = []
    size, truncated = 0, False
    rest = data
    while rest[:2] == b"\x1f\x8b":  # concatenated gzip members
        d = zlib.decompressobj(wbits=31)
        try:
            chunk = d.decompress(rest, MAX_DECOMPRESSED - size)
        except zlib.error:
            if not out:
                return data, False  # not really gzip: read it as text
            break
        out.append(chunk)
        size += len(chunk)
        if d.unconsumed_tail:
            truncated = True
            break
        rest = d.unused_data
    return b"".join(out), truncated
