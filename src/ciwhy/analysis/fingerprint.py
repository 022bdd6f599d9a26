"""Fingerprints: the same cause in different runs gets the same hash, different causes do not.

Masking is one named, ordered list (the mask's name is its placeholder in the template).
Volatile values (paths' directories, temp names, numbers, hashes, times, addresses) are
masked; the words that name the cause (module, symbol, test, error text) are kept.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ciwhy.models import Fingerprint


@dataclass(frozen=True, slots=True)
class Mask:
    name: str
    pattern: re.Pattern[str]
    keep: int = 0  # a group kept verbatim in the template (0: replace the whole match)


MASKS: tuple[Mask, ...] = (
    # The shell's own prefix (`/tmp/x.sh: line 12: 4242 Killed ...`): which script ran differs.
    Mask("shell", re.compile(r"^\S+: line \d+: (?:\d+ )?")),
    Mask(
        "timestamp",
        re.compile(
            r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?|\b\d\d:\d\d:\d\d(?:\.\d+)?\b"
        ),
    ),
    Mask(
        "uuid",
        re.compile(
            r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
        ),
    ),
    Mask("url", re.compile(r"\b[a-z][a-z0-9+.-]{1,15}://[^\s\"'<>)]+")),
    # (IPv6 in brackets holds colons: `[E0308]` is an error code, not an address)
    Mask(
        "ip",
        re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b|\[[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\]"),
    ),
    # A path keeps its last component (the file that matters), its directories are masked.
    Mask("path", re.compile(r"(?:(?<!\w)[A-Za-z]:)?(?:[\w.~@+-]*[/\\])+([\w.@+-]+)"), keep=1),
    Mask(
        "hex",
        re.compile(
            r"\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{7,}\b|\b0x[0-9a-fA-F]+\b"
        ),
    ),
    Mask("duration", re.compile(r"\b\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds|m|min|minutes|h)\b")),
    Mask("tmp", re.compile(r"\b(?:tmp|temp)[\w-]*\d[\w-]*\b", re.I)),
    # A number standing alone; the digits of a code (`TS2322`, `F401`, `E0308`, `SC2086`) name
    # the cause and stay (the atomic group keeps `TS2322` from yielding `TS2<num>`).
    # An exit or status code names the cause too (137 is not 1; 401 is not 503).
    Mask(
        "num",
        re.compile(
            r"(?<![A-Za-z0-9_])(?<![Cc]ode )(?<![Cc]ode: )(?<![Ss]tatus )(?<![Ss]tatus: )"
            r"(?>\d+(?:\.\d+)*)(?![A-Za-z0-9_])"
        ),
    ),
)


def mask(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The masked template of ``text`` and the (mask, value) pairs it replaced, in order."""
    values: list[tuple[str, str]] = []
    for m in MASKS:

        def repl(match: re.Match[str], m: Mask = m) -> str:
            if "<" in match.group(0) and ">" in match.group(0):
                return match.group(0)  # already a placeholder
            values.append((m.name, match.group(0)))
            if m.keep:
                return f"<{m.name}>/" + match.group(m.keep)
            return f"<{m.name}>"

        text = m.pattern.sub(repl, text)
    return re.sub(r"\s+", " ", text).strip(), tuple(values)


#: What names a cause is at the head of its line: a longer line (pip's `from versions:` list
#: of 150 releases) is fingerprinted on its head, so that its template and values stay small.
FINGERPRINT_CHARS = 300


def fingerprint(root_cause: str, rule: str) -> Fingerprint:
    template, values = mask(root_cause[:FINGERPRINT_CHARS])
    digest = hashlib.sha256(f"{rule}\x00{template}".encode()).hexdigest()[:20]
    return Fingerprint(digest, template, values, rule)
