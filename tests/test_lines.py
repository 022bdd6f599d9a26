"""Reading logs (ciwhy.analysis.lines.read) and line numbers through ciwhy.analysis.analyse.

Line ``n`` is the n-th element of ``re.split(r"\\r\\n|\\r|\\n", raw_text)``; ``Log.lines[n - 1]`` is
that line with escapes, control bytes and one CI timestamp prefix removed.
"""

from __future__ import annotations

import codecs
import gzip
import random
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ciwhy.analysis import analyse, lines

BREAK = re.compile(r"\r\n|\r|\n")
GH_TS = "2024-05-01T10:00:00.1234567Z "
ESCAPES = (
    "\x1b[31;1m",
    "\x1b[36m",
    "\x1b[0K",
    "\x1b[0m",
    "\x1b]0;title\x07",
    "\x1b_bk;t=1714557600000\x07",
    "\x00",
)
# No digits and no "[" in free text, so it can never look like a timestamp or an escape.
WORD = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ .,:;-_/()=<>'\"!?#é漢→"),
    min_size=1,
    max_size=10,
)
TIMESTAMPS = (
    # (TeamCity's before the time-only Jenkins stamp it starts like: the oracle strips the first)
    "[10:00:00] : ",  # TeamCity, a top-level line
    "[10:00:00]E:\t\t [Step 2/3] ",  # TeamCity, an error line in a step's block
    GH_TS,
    "2024-05-01T10:00:00.123456Z 00O ",  # GitLab
    "[2024-05-01T10:00:00.123Z] ",  # Jenkins timestamper
    "[10:00:00] ",
)
TOKEN = st.one_of(WORD, st.sampled_from(ESCAPES), st.sampled_from(TIMESTAMPS))
RAW_TEXT = st.lists(
    st.one_of(TOKEN, TOKEN, st.sampled_from(("\r\n", "\r", "\n"))), max_size=40
).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def oracle(raw_line: str) -> str:
    """The test's own cleaning: drop the known escapes, then one leading timestamp."""
    for esc in ESCAPES:
        raw_line = raw_line.replace(esc, "")
    for stamp in TIMESTAMPS:
        if raw_line.startswith(stamp):
            return raw_line[len(stamp) :]
    return raw_line


def expected_lines(text: str) -> list[str]:
    return [oracle(raw) for raw in BREAK.split(text)]


@SETTINGS
@given(RAW_TEXT)
def test_read_text_keeps_line_numbers_and_cleans(text: str) -> None:
    log = lines.read(text)
    assert list(log.lines) == expected_lines(text)
    assert log.text == "\n".join(log.lines)
    for n, line in enumerate(log.lines, 1):
        assert log.line(n) == line


@SETTINGS
@given(RAW_TEXT)
def test_read_bytes_keeps_line_numbers_and_cleans(text: str) -> None:
    data = text.encode("utf-8")
    head = data[:4096]
    assume(head.count(0) * 3 <= len(head))  # mostly NULs would be sniffed as UTF-16
    log = lines.read(data)
    assert log.encoding == "utf-8"
    assert list(log.lines) == expected_lines(text)
    assert log.size == len(data)


@SETTINGS
@given(
    st.text(alphabet=st.sampled_from("ab\n é漢"), max_size=60),
    st.integers(1, 12),
    st.integers(-70, 70),
    st.integers(-70, 70),
)
def test_lines_act_as_the_list_of_split_lines(text: str, chunk: int, i: int, j: int) -> None:
    """`Lines` keeps where lines start, not the lines: it must read exactly as
    ``text.split("\n")`` does, by index (negative and out of range too), slice and iteration
    (which splits piece by piece)."""
    expected = text.split("\n")
    saved = lines.CHUNK
    try:
        lines.CHUNK = chunk
        got = lines.Lines(text)
        assert list(got) == expected
    finally:
        lines.CHUNK = saved
    assert len(got) == len(expected)
    assert got[i:j] == expected[i:j] and got[j:i:-1] == expected[j:i:-1]
    if -len(expected) <= i < len(expected):
        assert got[i] == expected[i]
    else:
        with pytest.raises(IndexError):
            got[i]


@SETTINGS
@given(RAW_TEXT, st.integers(1, 12))
def test_cleaning_by_chunks_matches_one_pass(text: str, chunk: int) -> None:
    """Big logs are cleaned piece by piece; the cut points must not change a single line."""
    whole = lines.clean(text)
    saved = lines.CHUNK
    try:
        lines.CHUNK = chunk
        assert lines.clean(text) == whole
    finally:
        lines.CHUNK = saved


@SETTINGS
@given(RAW_TEXT, st.integers(1, 12))
def test_reading_bytes_by_pieces_matches_one_pass(text: str, chunk: int) -> None:
    """UTF-8 bytes are decoded and cleaned piece by piece; the cuts must not change a line."""
    data = text.encode("utf-8", "surrogatepass")
    whole = lines.read(data)
    saved = lines.CHUNK, lines.BREAKS_AT_ONCE
    try:
        lines.CHUNK, lines.BREAKS_AT_ONCE = chunk, max(1, chunk // 2)
        cut = lines.read(data)
        assert list(cut.lines) == list(whole.lines)
        assert [cut.line(n) for n in range(1, len(cut.lines) + 1)] == list(whole.lines)
    finally:
        lines.CHUNK, lines.BREAKS_AT_ONCE = saved


@pytest.mark.parametrize("middle", ["\x00", "\x1b[0K", "\x1b]0;title\x07", "\x1b"])
def test_escape_only_line_between_cr_and_lf_keeps_its_number(middle: str) -> None:
    """Removing what sits between a \\r and a \\n must not fuse the two line breaks."""
    text = "a\r" + middle + "\nfatal error: boom\n"
    assert list(lines.read(text).lines) == ["a", "", "fatal error: boom", ""]
    assert list(lines.read(text.encode()).lines) == ["a", "", "fatal error: boom", ""]
    assert analyse(text).root_cause_line == 3


# Unindented noise: a featureless indented tail line can outrank the planted error (see
# test_featureless_tail_line_does_not_beat_a_fatal_error); line numbering is the subject here.
NOISE = st.lists(
    st.sampled_from(
        [
            "alpha beta",
            "compiling module gamma",
            "linking delta",
            "step epsilon",
            "running zeta",
            "lorem ipsum dolor",
            "",
            "done theta",
        ]
    ),
    max_size=25,
)
DECOR = st.sampled_from(["", GH_TS, "\x1b[36m", GH_TS + "\x1b[0m"])


@SETTINGS
@given(
    NOISE,
    NOISE,
    st.lists(st.sampled_from(("\r\n", "\r", "\n")), min_size=60, max_size=60),
    st.text(alphabet="abcdefghij", min_size=1, max_size=8),
    DECOR,
    st.booleans(),
)
def test_planted_error_line_number(before, after, breaks, word, decor, as_bytes) -> None:
    planted = f"fatal error: boom_{word}"
    body = [*before, decor + planted, *after]
    text = "".join(line + breaks[i] for i, line in enumerate(body))
    number = len(BREAK.split("".join(line + breaks[i] for i, line in enumerate(before))))
    cleaned = expected_lines(text)
    assert cleaned[number - 1] == planted
    result = analyse(text.encode() if as_bytes else text)
    assert result.root_cause_line == number
    assert result.excerpt, "a root cause comes with an excerpt"
    for ex in result.excerpt:
        assert 1 <= ex.start_line <= ex.end_line <= len(cleaned)
        assert ex.text == "\n".join(cleaned[ex.start_line - 1 : ex.end_line])
    assert any(ex.start_line <= number <= ex.end_line for ex in result.excerpt)


@pytest.mark.parametrize(
    "text",
    [
        "fatal error: boom_a\nalpha beta\n\n  indented theta\n",
        "fatal error: boom_a\nlinking delta\n\n\n  indented theta\n",
    ],
)
def test_featureless_tail_line_does_not_beat_a_fatal_error(text: str) -> None:
    assert analyse(text).root_cause_line == 1


LOG = "Run make\ncompiling module alpha\nmain.c:3:10: fatal error: boom.h: No such file\nlinking\n"


def test_invalid_utf8_is_replaced() -> None:
    log = lines.read(b"ok\nbad \xff\xfe\xc3 bytes\nfatal error: boom\n")
    assert log.encoding == "utf-8"
    assert list(log.lines) == ["ok", "bad \ufffd\ufffd\ufffd bytes", "fatal error: boom", ""]
    assert analyse(b"ok\nbad \xff\xc3 bytes\nfatal error: boom\n").root_cause_line == 3


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (b"", "utf-16-le", "utf-16-le"),  # BOM-less UTF-16 is sniffed from its NULs
        (b"", "utf-16-be", "utf-16-be"),
    ],
)
def test_encodings(bom: bytes, codec: str, name: str) -> None:
    text = LOG.replace("\n", "\r\n", 1) + "café 漢字\n"
    log = lines.read(bom + text.encode(codec))
    assert log.encoding == name
    assert list(log.lines) == ["Run make", *LOG.split("\n")[1:-1], "café 漢字", ""]
    assert analyse(bom + text.encode(codec)).root_cause_line == 3


def test_nul_bytes_everywhere() -> None:
    text = "\x00\x00" + "".join(c + "\x00" * (i % 3 == 0) for i, c in enumerate(LOG))
    data = text.encode()
    assert data.count(0) * 3 < len(data)  # not so many that it looks like UTF-16
    assert list(lines.read(data).lines) == list(lines.read(text).lines) == LOG.split("\n")
    assert analyse(data).root_cause_line == analyse(text).root_cause_line == 3


@pytest.mark.parametrize("seed", range(5))
def test_binary_junk_is_analysed(seed: int) -> None:
    data = random.Random(seed).randbytes(200_000)
    result = analyse(data)
    log = lines.read(data)
    assert result.lines == len(log.lines) - log.text.endswith("\n")
    assert result.root_cause_line is None or 1 <= result.root_cause_line <= result.lines


def test_gzip_reads_like_the_plain_log() -> None:
    plain = analyse(LOG.encode())
    packed = analyse(gzip.compress(LOG.encode()))
    assert plain.root_cause_line == packed.root_cause_line == 3
    assert packed.root_cause == plain.root_cause
    assert list(lines.read(gzip.compress(LOG.encode())).lines) == LOG.split("\n")


def test_concatenated_gzip_members() -> None:
    first, second = "step one\ncompiling\n", "linking\nfatal error: boom\n"
    data = gzip.compress(first.encode()) + gzip.compress(second.encode())
    assert list(lines.read(data).lines) == (first + second).split("\n")
    assert analyse(data).root_cause_line == 4


def test_corrupt_gzip_header_is_read_as_text() -> None:
    data = b"\x1f\x8b\x00\xffgarbage\n" + LOG.encode()
    log = lines.read(data)
    assert log.lines[1:] == LOG.split("\n")
    assert analyse(data).root_cause_line == 4


@pytest.mark.parametrize("data", [b"", "", b"   \n\t\r\n  \r", " \n\n"])
def test_empty_and_blank_input(data: bytes | str) -> None:
    result = analyse(data)
    assert result.root_cause_line is None
    assert result.confidence <= 0.2
    assert result.excerpt == ()
    assert result.lines == 0


@pytest.mark.slow
def test_single_10_mib_line() -> None:
    data = b"x" * (10 * 1024 * 1024) + b" fatal error: boom"
    result = analyse(data)
    assert result.lines == 1
    assert result.root_cause_line == 1


@pytest.mark.slow
def test_10_mib_of_short_lines() -> None:
    noise = b"compiling module alpha\n" * ((10 * 1024 * 1024) // 23)
    data = noise + b"main.c:3:10: fatal error: boom.h: No such file\n" + noise[:2300]
    result = analyse(data)
    assert result.root_cause_line == noise.count(b"\n") + 1
    assert result.lines == data.count(b"\n")  # (the data ends with a line break)


@pytest.mark.parametrize(
    "data, count",
    [(b"a\nb\n", 2), (b"a\nb", 2), (b"a\r\nb\r\n", 2), (b"a\rb\r", 2), (b"x\n", 1), (b"a\n\n", 2)],
)
def test_lines_counts_as_wc_does_a_final_line_break_ends_the_last_line(
    data: bytes, count: int
) -> None:
    assert analyse(data).lines == count


@pytest.mark.parametrize(
    "prefix",
    [
        GH_TS,  # GitHub Actions
        "2024-05-01T10:00:00.123456Z 00O ",  # GitLab
        "2024-05-01T10:00:00.123456Z 01E+ ",  # GitLab, continued line
        "[2024-05-01T10:00:00.123Z] ",  # Jenkins timestamper
        "[10:00:00] ",  # Jenkins timestamper, clock only
        "\x1b_bk;t=1714557600000\x07",  # Buildkite
    ],
)
def test_timestamp_prefixes_are_removed(prefix: str) -> None:
    text = f"{prefix}Run make\n{prefix}fatal error: boom\n{prefix}\n{prefix}x"
    assert list(lines.read(text).lines) == ["Run make", "fatal error: boom", "", "x"]
    assert analyse(text).root_cause_line == 2


def test_timestamps_only_removed_at_line_start() -> None:
    text = "echo 2024-05-01T10:00:00Z done\nsleep [10:00:00] x"
    assert list(lines.read(text).lines) == text.split("\n")


def test_timestamps_are_sniffed_in_the_cleaned_head_not_the_raw_bytes() -> None:
    """An escape-heavy start (more than the sniff window raw, well under it cleaned) must not
    hide the timestamps that follow it."""
    noisy = "".join(f"\x1b[32m\x1b[1m{'=' * 4}\x1b[0m\x1b[K\n" for _ in range(5000))
    assert len(noisy) > lines.TIMESTAMP_SNIFF > len(lines.clean(noisy))
    log = lines.read((noisy + "[23:52:49] Starting 'tests'...\n").encode())
    assert log.lines[5000] == "Starting 'tests'..."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "2024-05-01T10:00:01.1234567Z #8 4.113 npm error code ERESOLVE",
            "npm error code ERESOLVE",
        ),
        ("#8 4.113 npm error code ERESOLVE", "npm error code ERESOLVE"),
        ("[2024-05-01T10:00:01.123Z] #12 0.500 step output", "step output"),
        ("2024-05-01T10:00:01.1234567Z #8 ERROR: process failed", "#8 ERROR: process failed"),
    ],
)
def test_a_docker_build_inside_a_ci_job_loses_both_clocks(raw: str, expected: str) -> None:
    """BuildKit's `#8 4.113 ` clock after the CI's own stamp goes too (a step line without a
    clock keeps its `#8`)."""
    assert lines.read(raw + "\nx\n").lines[0] == expected


def test_a_time_only_stamp_before_a_colon_keeps_the_colon() -> None:
    """`[10:00:00] :` is a time-only stamp and a colon, not an empty TeamCity line (found by the
    property test above): TeamCity's status prefix is always followed by text."""
    assert list(lines.read(b"[10:00:00] :\n[10:00:00] : x").lines) == [":", "x"]


UTF8_PART = st.one_of(
    st.sampled_from(["é", "€", "𝄞", "a", "ab ", "\n", "\r\n", "\r", "\x1b[31m", "\ufffd", "\t"]),
    st.binary(max_size=3),  # (now and then an invalid sequence)
)


@SETTINGS
@given(st.lists(UTF8_PART, max_size=60), st.integers(1, 12))
def test_line_starts_found_in_utf8_bytes_cut_the_text_at_its_breaks(
    parts: list, chunk: int
) -> None:
    """The line starts of a non-ASCII piece come from its bytes (continuation bytes counted
    off); each line cut by them must be the text's own line."""
    data = b"".join(p if isinstance(p, bytes) else p.encode() for p in parts)
    saved = lines.CHUNK
    try:
        lines.CHUNK = chunk
        log = lines.read(data)
    finally:
        lines.CHUNK = saved
    assert [log.lines[i] for i in range(len(log.lines))] == log.text.split("\n")


@given(
    st.lists(st.sampled_from(["+ rc=1", "+", "a+", "", "++ x", "x", " + y"]), max_size=12),
    st.integers(-2, 14),
    st.integers(-2, 14),
)
def test_any_starts_with_reads_the_lines_as_cut_one_by_one(
    parts: list[str], start: int, end: int
) -> None:
    text = "\n".join(parts)
    cut = lines.Lines(text)
    naive = 0 <= start < end <= len(cut) and any(cut[i].startswith("+") for i in range(start, end))
    assert cut.any_starts_with("+", start, end) == naive


@given(
    st.lists(
        st.sampled_from(["--- PASS: x (0s)", "--- PASS:", "-", "", " --- PASS: y"]), max_size=8
    )
)
def test_line_starts_with_reads_the_line_as_cut(parts: list[str]) -> None:
    cut = lines.Lines("\n".join(parts))
    for i in range(len(cut)):
        assert cut.line_starts_with(i, "--- PASS: ") == cut[i].startswith("--- PASS: ")
