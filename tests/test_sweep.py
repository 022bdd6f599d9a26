"""`sweep` cleans UTF-8 bytes with numpy; `lines.clean` (regular expressions on text) is the
reference. Reading a text as bytes must give what reading it as text gives, line for line,
whatever the escapes and stamps look like, including the shapes the arrays hand back to the
reference (long parameter runs, bracketed time-only stamps)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ciwhy.analysis import lines, sweep


@contextmanager
def arrays_always() -> Iterator[None]:
    """Escapes go through the arrays however sparse they are."""
    saved = sweep.FEW, sweep.SPARSE
    sweep.FEW, sweep.SPARSE = 0, 0
    try:
        yield
    finally:
        sweep.FEW, sweep.SPARSE = saved


DIGITS = st.text(alphabet="0123456789", min_size=0, max_size=12)
FEW = st.text(alphabet="0123456789", min_size=0, max_size=6)
PARAMS = st.text(alphabet="0123456789;:<=>?", max_size=40)  # past sweep.CAP sometimes


@st.composite
def escape(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 6))
    if kind == 0:  # CSI: parameters, intermediates, a final byte (or none)
        final = draw(st.sampled_from(["m", "K", "H", "~", "@", "", "\x1b", "é"]))
        return "\x1b[" + draw(PARAMS) + draw(st.sampled_from(["", " ", "!/", "#"])) + final
    if kind == 1:  # OSC / APC / DCS strings and their terminators (or none)
        body = draw(st.text(alphabet="bk;t=0123456789 é\x1b\\", max_size=20))
        end = draw(st.sampled_from(["\x07", "\x1b\\", "", "\n"]))
        return "\x1b" + draw(st.sampled_from("]_P^X")) + body + end
    if kind == 2:
        return "\x1b" + draw(st.sampled_from("()*+")) + draw(st.sampled_from(["B", "0", "", "-"]))
    if kind == 3:
        return "\x1b" + draw(st.sampled_from(["", "=", ">", "7", "\x1b", "é", "\x07"]))
    return draw(st.sampled_from(["\x1b[0m", "\x1b[31;1m", "\x07", "\x1b[0K"]))


@st.composite
def stamp(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 4))
    d = draw
    if kind <= 1:  # ISO 8601, as GitHub Actions, GitLab and Jenkins write it, and near misses
        core = (
            f"{d(DIGITS)}-{d(DIGITS)}-{d(DIGITS)}{d(st.sampled_from('T x'))}"
            f"{d(DIGITS)}:{d(DIGITS)}:{d(DIGITS)}"
        )
        if kind == 1:
            core = "2024-05-01T10:00:00"
        frac = d(st.sampled_from(["", ".", ","])) + d(DIGITS)
        zone = d(st.sampled_from(["", "Z", "+", "-"])) + d(st.sampled_from(["", "01", "0130"]))
        zone += d(st.sampled_from(["", ":", ":3", "30"]))
        tag = d(st.sampled_from(["", " 00O", " 01E+", " 0O", " 00X"]))
        open_, close = d(st.sampled_from([("", ""), ("[", "]"), ("[", ""), ("", "]")]))
        return open_ + core + frac + zone + close + tag + d(st.sampled_from(["", " ", "\t", "  "]))
    if kind == 2:  # BuildKit's step clock, alone or after a stamp
        clock = f"#{d(FEW)} {d(FEW)}.{d(FEW)}{d(st.sampled_from(['', ' ', 'x']))}"
        return d(st.sampled_from(["", "2024-05-01T10:00:00.1Z "])) + clock
    if kind == 3:  # time-only, TeamCity, drone
        return d(
            st.sampled_from(
                ["[10:00:00] ", "[10:00:00]E:\t\t [Step 2/3] ", "[10:00:00] :", "[step:12] ",
                 "[build:L52:41s] ", "[10:00:0] ", "[Pipeline] ", "[10:00:00.5]W:\t [x]",
                 "10:00:00 ", "10:00:00\t#9 3.512 ", "10:00:00.123 ", "10:00:00.", "10:00:00x",
                 "10:00:0 ", "1:00:00 ", "10:00:00.1234567890 ", "2:09:40 PM: ",
                 "12:09:40 AM: ", "12:09:40 PM:", "2:09:40 XM: ", "2:9:40 PM: ", "123:09:40 PM: ",
                 "12:09:40 PM:  10:00:00 ", "2:09:40 PM:#9 3.512 "]
            )
        )  # fmt: skip
    return d(st.sampled_from(["2024-05-01T10:00:00.1234567Z ", "1", "[", "#", "-"]))


WORDS = st.text(alphabet="abc xyz:é漢-", max_size=8)
PIECE = st.one_of(escape(), stamp(), WORDS, st.sampled_from(["\n", "\r\n", "\r"]))
TEXT = st.lists(PIECE, max_size=30).map("".join)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT, st.booleans())
def test_bytes_read_as_the_text_reference_reads(text: str, stamped: bool) -> None:
    if stamped:  # (a log is searched for stamps only where its head has one)
        text = "2024-05-01T10:00:00.1234567Z go\n" + text
    with arrays_always():
        assert list(lines.read(text.encode("utf-8")).lines) == list(lines.read(text).lines)


@SETTINGS
@given(TEXT)
def test_escapes_match_the_reference_substitution(text: str) -> None:
    data = text.replace("\r", "\n").encode("utf-8")
    want = lines._ESCAPES_B.sub(b"", data).replace(b"\x07", b"")
    with arrays_always():
        assert sweep.drop_escapes(data, lines._ESCAPES_B) == want
    assert sweep.drop_escapes(data, lines._ESCAPES_B) == want  # (sparse ones: the reference)


@SETTINGS
@given(TEXT)
def test_stamps_match_the_reference_at_each_line_start(text: str) -> None:
    data = lines._ESCAPES_B.sub(b"", text.replace("\r", "\n").encode("utf-8")).replace(b"\x07", b"")
    want = b"\n".join(lines._TIMESTAMP_B.sub(b"", line, count=1) for line in data.split(b"\n"))
    assert sweep.drop_stamps(data, lines._STAMP_B) == want


@pytest.mark.parametrize(
    "raw",
    [
        "\x1b[" + "1;" * 5000 + "m" + "after",  # a parameter run far beyond the arrays' reach
        "\x1b]" + "x" * 10_000,  # a string that never ends
        "\x1b" * 1000 + "[0m",
        "2024-05-01T10:00:00." + "9" * 10_000 + "Z rest",
        "[" * 10_000,
    ],
)
def test_hostile_runs_clean_as_the_reference(raw: str) -> None:
    text = "2024-05-01T10:00:00Z x\n" + raw + "\n" + raw
    with arrays_always():
        assert list(lines.read(text.encode("utf-8")).lines) == list(lines.read(text).lines)
    assert list(lines.read(text.encode("utf-8")).lines) == list(lines.read(text).lines)


@pytest.mark.parametrize(
    "line",
    [
        "#1234 12345.123 RUN x", "#12345 1.12 RUN x", "#1 123456.12 x", "#1 1.1 x", "#1 1.1234 x",
        "2024-05-01T10:00:00+01:30 x", "2024-05-01T10:00:00+0130 x", "2024-05-01T10:00:00+01:3 x",
        "2024-05-01T10:00:00.1234567890Z x", "2024-05-01T10:00:00. x", "2024-05-01 10:00:00,5 x",
        "[2024-05-01T10:00:00.123Z] x", "2024-05-01T10:00:00Z 00O+ x", "2024-05-01T10:00:00Z 0O x",
        "2024-05-01T10:00:00Z\t#9 3.512\tx", "[10:00:00]E:\t\t [Step 2/3] x", "[step:12] x",
        "10:00:00 x", "10:00:00.123456789 x", "10:00:00.1234567890 x", "10:00:00\tx",
        "10:00:00. x", "10:00:00x", "10:00:00 #9 3.512 x", "99:99:99  x",
        "2:09:40 PM: x", "12:09:40 AM: x", "12:09:40 PM:x", "2:09:40 pm: x",
        "12:09:40 PM: 10:00:00 x",
    ],
)  # fmt: skip
def test_stamp_shapes_at_their_bounds(line: str) -> None:
    data = f"{line}\n{line}".encode()
    want = b"\n".join(lines._TIMESTAMP_B.sub(b"", part, count=1) for part in data.split(b"\n"))
    assert sweep.drop_stamps(data, lines._STAMP_B) == want
