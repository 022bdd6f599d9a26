"""What cleaning removes from a log, as regular expressions: escape sequences, control
characters and the timestamp prefixes CI systems put before every line.

They are the reference: `lines` runs them on text, `sweep` finds the same spans with numpy
on UTF-8 bytes, and property tests hold the two to the same result.
"""

from __future__ import annotations

import re

# CSI, OSC/APC/DCS strings (Buildkite timestamps travel as APC `\x1b_bk;t=...\x07`), charset
# selection and the remaining two-byte escapes.
_ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?"
    r"|[\]_P^X][^\x07\x1b\n\r]*(?:\x07|\x1b\\)?"
    r"|[()*+][0-9A-Za-z]?"
    r"|[ -~]?)"
)
# C0 controls other than \t \n \r and ESC, and DEL: dropped for matching (never line breaks).
_CONTROL_CHARS = "".join(chr(c) for c in (*range(9), 11, 12, *range(14, 27), *range(28, 32), 127))
# BEL ends OSC/APC strings: it stays until the escapes are gone, then goes.
_CONTROL_BYTES = _CONTROL_CHARS.replace("\x07", "").encode("ascii")
_CR_AS_NL = bytes.maketrans(b"\r", b"\n")
#: (`re` finds a CRLF in bytes that hold lone CRs about three times as fast as `in` does)
_CRLF_B = re.compile(b"\r\n")
_CONTROLS = re.compile("[" + re.escape(_CONTROL_CHARS) + "]+")

# Timestamp prefixes CI systems put before every line: GitHub Actions and GitLab
# (`2024-05-01T10:00:00.1234567Z `, GitLab adds a stream tag `00O+ `), Jenkins timestamper
# (`[2024-05-01T10:00:00.123Z] `, `[10:00:00] `, `10:00:00 `), Netlify (`2:09:40 PM: `),
# BuildKit step clocks and drone step tags.
_BUILDKIT = r"#\d{1,4} \d{1,5}\.\d{2,3}[ \t]?"  # BuildKit plain progress: `#9 3.512 `, `#9 18.93 `
_CLOCK = r"\d\d:\d\d:\d\d(?:\.\d{1,9})?(?: (?= ))?[ \t]"  # a bare clock and its blank(s)
_STAMP = (
    r"(?:(?:"
    r"\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?\]?"
    # (Packer's `-timestamp-ui` puts a colon after its RFC 3339 stamp: `2024-05-01T10:02:54Z: `)
    r"(?::(?= ))?"
    r"(?: \d\d[OE]\+?)?"
    r"|\[\d\d:\d\d:\d\d(?:\.\d{1,9})?\]"
    # TeamCity's build log: a status (`i`, `E`, `W`, ` `) and a colon after the time, then, in a
    # block, tabs and the block's name: `[14:02:42]E:\t\t [Step 2/3] e: file...`; text follows
    # it, or the line ends after a block's name (`[10:00:00] :` alone is a time-only stamp
    # before a colon)
    r"(?:[iEWF ]?:(?:\t+ \[[^\]\n]{1,200}\](?=[ \t\n]|$)|(?=[ \t])))?"
    # (Netlify's build log: a 12-hour clock and a colon, `2:09:40 PM: `; before the bare clock,
    # which would take `12:09:40 `)
    r"|\d{1,2}:\d\d:\d\d [AP]M:(?= )"
    # (Jenkins timestamper's default, a bare clock before a blank: `10:00:00 `, or two)
    r"|\d\d:\d\d:\d\d(?:\.\d{1,9})?(?: (?= ))?(?=[ \t])"
    # drone exec / woodpecker CLI: `[step:12] `, `[step:L52:41s] `
    r"|\[[\w.-]{1,40}:(?:\d{1,7}|L\d{1,7}:\d{1,7}s)\]"
    # (a `docker build` inside a CI job: the CI's stamp, then BuildKit's clock; or a tool's own
    # bare clock after the CI's stamp, dbt's `09:13:05  `)
    r")[ \t]?(?:" + _CLOCK + r")?(?:" + _BUILDKIT + r")?|" + _BUILDKIT + r")"
)
# (ASCII: a stamp's digits are 0-9, as `sweep` reads them on bytes.)
_TIMESTAMP = re.compile("^" + _STAMP, re.ASCII)
# After a line break: a pattern that starts with a literal is searched for at C speed.
_TIMESTAMP_NL = re.compile("\n" + _STAMP, re.ASCII)
# The same on bytes, for `sweep` and the sniffing of a UTF-8 log's head.
_STAMP_B = re.compile(_STAMP.encode("ascii"))
_TIMESTAMP_B = re.compile(b"^" + _STAMP_B.pattern)
_TIMESTAMP_NL_B = re.compile(b"\n" + _STAMP_B.pattern)
_ESCAPES_B = re.compile(_ESCAPES.pattern.encode("ascii"))
