"""Tests of ciwhy.analysis.scanner: pattern rewrites, hit line numbers and backend agreement.

The fast backends (hyperscan, re2) scan the whole buffer and rewrite each pattern with
``single_line`` and ``relax_bounds``; the python backend is the per-line reference.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ciwhy.analysis import lines, scanner
from ciwhy.analysis.library_index import Library, default_library
from ciwhy.analysis.rewrite import split_leading_blanks, unanchor
from ciwhy.analysis.scanner import BACKENDS, relax_bounds, single_line, trim_tail
from ciwhy.analysis.vocabulary import Feature

ALL = ("hyperscan", "re2", "python")
FAST = ("hyperscan", "re2")


@pytest.fixture(autouse=True, scope="module")
def _hyperscan_cache(tmp_path_factory: pytest.TempPathFactory):
    """Many small databases are compiled here: keep their cache out of the user's home."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


def scan(backend: str, patterns: list[str], text: str) -> list[tuple[int, int]]:
    """Patterns as signatures write them: the fast backends rewrite them themselves."""
    return BACKENDS[backend](patterns).scan(text)


# --- single_line ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^error\s+x", r"^error[ \t]+x"),
        (r"a\Wb", r"a[^\w\n]b"),
        (r"a\Db", r"a[^\d\n]b"),
        (r"\(([^)]+)\)", r"\(([^\n)]+)\)"),
        (r"[\s,]+", r"[ \t,]+"),
        (r"[^\s:]+", r"[^\n \t:]+"),
        (r"[]a]\s", r"[]a][ \t]"),
        (r"[^]a]x", r"[^\n]a]x"),
        (r"\\s", r"\\s"),  # an escaped backslash, then a literal s
        (r"\[^x\]\s", r"\[^x\][ \t]"),  # escaped brackets are no class
        (r"\S+\w\d.", r"\S+\w\d."),
        (r"(?i)x\s*(?P<n>[^/]{1,9})", r"(?i)x[ \t]*(?P<n>[^\n/]{1,9})"),
    ],
)
def test_single_line_rewrites(pattern: str, expected: str) -> None:
    assert single_line(pattern) == expected
    re.compile(single_line(pattern))


CROSSING = [
    (r"^error\s+x", "error  x"),
    (r"error\W+x", "error - x"),
    (r"error\D+x", "error: x"),
    (r"error[^y]+x", "error: x"),
    (r"error[\s:]+x", "error: x"),
    (r"(?i)ERROR\s*x", "Error x"),
]


@pytest.mark.parametrize("backend", ALL)
@pytest.mark.parametrize(("pattern", "same_line"), CROSSING)
def test_rewritten_patterns_never_match_across_lines(
    backend: str, pattern: str, same_line: str
) -> None:
    for form in (pattern, single_line(pattern)):
        assert scan(backend, [form], "error\nx") == []
        assert scan(backend, [form], "error\n\nx\n") == []
        assert scan(backend, [form], "ok\n" + same_line + "\nx") == [(0, 1)]


@pytest.mark.xfail(
    strict=True, raises=AssertionError, reason="single_line keeps \\W inside [...]: it matches \\n"
)
@pytest.mark.parametrize("backend", FAST)
def test_class_escape_inside_brackets_cannot_cross(backend: str) -> None:
    assert scan(backend, [r"error[\W]+x"], "error\nx") == []


@pytest.mark.parametrize("backend", ALL)
def test_library_feature_hits_stay_on_their_line(backend: str) -> None:
    lib = Library([], features=[Feature("f", r"^error\s+x", 1.0)], backends=(backend,))
    assert lib.scan(["error", "x"], "error\nx").features == {}
    assert lib.scan(["ok", "error x"], "ok\nerror x").features == {1: {"f"}}


@pytest.mark.parametrize("backend", FAST)
def test_library_feature_hits_keep_their_bounds(backend: str) -> None:
    lib = Library([], features=[Feature("f", r"^x.{0,5}y", 1.0)], backends=(backend,))
    assert lib.scan(["x12y", "x1234567890y"], "x12y\nx1234567890y").features == {0: {"f"}}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \tax:-y09_()/", max_size=40))
def test_single_line_keeps_the_meaning_within_a_line(line: str) -> None:
    for pattern, _ in CROSSING:
        assert bool(re.search(single_line(pattern), line)) == bool(re.search(pattern, line))


# --- relax_bounds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"a.{1,200}b", r"a.{1,}b"),
        (r"x\d{0,5}", r"x\d{0,5}"),
        (r"x\d{0,21}", r"x\d{0,}"),
        (r"a\{1,200}", r"a\{1,200}"),
        (r"x{1,4}y{2,3}", r"x{1,4}y{2,3}"),
        (r"a{3}b{2,}", r"a{3}b{2,}"),
        (r"(?P<m>.{1,300}) at .{0,80}$", r"(?P<m>.{1,}) at .{0,}$"),
    ],
)
def test_relax_bounds(pattern: str, expected: str) -> None:
    assert relax_bounds(pattern) == expected
    BACKENDS["hyperscan"]([single_line(relax_bounds(pattern))])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab x-", max_size=60), st.integers(21, 40))
def test_relaxed_pattern_matches_a_superset(line: str, bound: int) -> None:
    pattern = rf"a.{{1,{bound}}}b|x[ -]{{0,{bound}}}x"
    relaxed = relax_bounds(pattern)
    assert relaxed != pattern
    if re.search(pattern, line):
        assert re.search(relaxed, line)


# --- trim_tail ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"error: .{1,300}", r"error: ."),
        (r"x\d+", r"x\d"),
        (r"x\d*", r"x"),
        (r"x\d{3,}", r"x\d{3}"),
        (r"x\d{2,9}?", r"x\d{2}"),
        (r"a\w+\b", r"a\w+\b"),  # a boundary after the repeat: kept
        (r"o$", r"o$"),
        (r"x(?:a|b+|c*)", r"x(?:a|b|)"),
        (r"(?P<m>.{1,300}) at .{0,80}", r"(?P<m>.{1,300}) at "),
        (r"a.+|b\S+|c", r"a.|b\S|c"),
        (r"[]a]+", r"[]a]"),
        (r"x[^)]+", r"x[^)]"),
        (r"\x41+", r"\x41"),
        (r"(a|b)*", r""),
        (r"\(\d+\)", r"\(\d+\)"),
    ],
)
def test_trim_tail(pattern: str, expected: str) -> None:
    assert trim_tail(pattern) == expected
    re.compile(trim_tail(pattern))


TRIMMED = [
    r"a.{1,5}",
    r"x[ab]+",
    r"(?:ab|a)b*",
    r"a(?:b|x+)",
    r"a\w+\b",
    r"(?P<n>a:?)(?P<m>b{2,})",
    r"^-?\s*x?",
    r"b(?:a|-)*$",
]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abx:- ", max_size=30))
def test_trim_tail_keeps_whether_a_line_matches(line: str) -> None:
    for pattern in TRIMMED:
        assert bool(re.search(trim_tail(pattern), line)) == bool(re.search(pattern, line))


# --- hit line numbers -----------------------------------------------------------------------

LINE_CASES = [
    ("first line", ["boom"], "boom here\nx\ny", [(0, 0)]),
    ("last line, no final newline", ["boom"], "a\nb\nboom", [(0, 2)]),
    ("last line, final newline", ["boom"], "a\nboom\n", [(0, 1)]),
    ("anchored both ends", [r"^boom$"], "x\nboom\nboomx\n boom", [(0, 1)]),
    ("after empty lines", ["boom"], "\n\n\nboom\n\n", [(0, 3)]),
    ("once per line", ["boom"], "boom boom boom\n", [(0, 0)]),
    ("several patterns", ["a", "b"], "ab\nb\na", [(0, 0), (0, 2), (1, 0), (1, 1)]),
    (
        "after multi-byte text",
        ["boom", "^x"],
        "é漢字 ✗ boom\nx →\nüü boom",
        [(0, 0), (0, 2), (1, 1)],
    ),
    ("after a long CJK line", ["boom"], "漢" * 5000 + "\n" + "ü" * 10 + "boom\n", [(0, 1)]),
    ("line end anchor", [r"o$"], "foo\nbar\nzoo", [(0, 0), (0, 2)]),
]


@pytest.mark.parametrize("backend", ALL)
@pytest.mark.parametrize(
    ("patterns", "text", "expected"), [c[1:] for c in LINE_CASES], ids=[c[0] for c in LINE_CASES]
)
def test_hit_lines(backend: str, patterns: list[str], text: str, expected: list) -> None:
    assert scan(backend, patterns, text) == expected


@pytest.mark.parametrize("backend", ["re2", "python"])
@pytest.mark.parametrize("pattern", [r"^$", r"^\s*$"])
def test_empty_line_hits(backend: str, pattern: str) -> None:
    assert scan(backend, [pattern], "a\n\nb") == [(0, 1)]


@pytest.mark.parametrize("pattern", [r"^$", r"^\s*$", r"x*"])
def test_hyperscan_refuses_empty_line_patterns_and_the_library_falls_back(pattern: str) -> None:
    """Hyperscan reports where a match ends: an empty match at a line start would land on the
    line before. Such a pattern is refused, and the library is scanned by the next backend."""
    with pytest.raises(ValueError, match="matches an empty line"):
        BACKENDS["hyperscan"]([pattern])
    lib = Library([], features=[Feature("blank", pattern, 1.0)])
    assert lib.backend.name == "re2"
    assert lib.scan(["a", "", "b"], "a\n\nb").features[1] == {"blank"}


# --- the backends agree ---------------------------------------------------------------------

RANDOM_PATTERNS = [
    "error",
    "^x",
    "o$",
    r"\d+",
    r"^\s*r",
    "(?i)ERR",
    "ro+",
    r"r\s+x",
    r"[^a]+x",
    r"e\D+0",
    r"^\S+$",
    "x.*o",
    "é+",
    "漢",
    r"^[ \t]*-",
]
FAST_BACKENDS = {name: BACKENDS[name](RANDOM_PATTERNS) for name in FAST}
REFERENCE = BACKENDS["python"](RANDOM_PATTERNS)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(alphabet="aerox: \t\n01-é漢→", max_size=120),
        st.text(alphabet="aerox: \t\n01-", max_size=120),
    )
)
def test_backends_agree_on_random_text(text: str) -> None:
    expected = REFERENCE.scan(text)
    for name, backend in FAST_BACKENDS.items():
        assert backend.scan(text) == expected, name


def test_re2_backend_compiles_perl_groups() -> None:
    assert BACKENDS["re2"]([r"(?:a|b)c", r"(?P<n>x)y"]).scan("ac\nxy") == [(0, 0), (1, 1)]


@pytest.mark.xfail(
    strict=True, raises=AssertionError, reason="hyperscan reads bytes: . and \\D count UTF-8 bytes"
)
def test_hyperscan_counts_a_multibyte_character_once() -> None:
    patterns, text = [r"a.b", r"e\D0", r"a.{1,3}x"], "a→b\neé0\na→→x"
    assert scan("python", patterns, text) == [(0, 0), (1, 1), (2, 2)]
    assert scan("hyperscan", patterns, text) == [(0, 0), (1, 1), (2, 2)]


def test_hyperscan_finds_a_bare_class_run_before_the_end_of_a_long_line() -> None:
    """Found by the random pattern sets below (2026-11-25): Hyperscan itself finds a pattern
    that is only a class's run then `$` on a short line and not on a longer one (with a literal
    before the run, ` \\d+$`, or blanks after it, `\\d+\\s*$`, it does), when that line ends the
    text (a piece of it): one line break, then nothing. The backend scans with a line break and an
    empty line after each piece it scans (`scanner._AFTER`), where Hyperscan does not miss."""
    for text in ("a" * 40 + " 42\n", "a" * 40 + " 42", "x\n" + "a" * 400 + " 42\nb"):
        expected = [(0, text.count("\n", 0, text.index(" 42")))]
        assert scan("python", [r"\d+$"], text) == expected
        both = [r"\d+$", r"(?i)[a-z]+$"]
        assert scan("hyperscan", both, text) == scan("python", both, text)
        assert scan("hyperscan", both, text)[0] == expected[0]
    # (every piece the backend scans ends so: each of these lines must be found, those that end
    # a piece too)
    text = "".join(f"{'a' * (40 + i % 61)} {i}\n" for i in range(3 * scanner.PIECE // 60))
    assert scan("hyperscan", [r"\d+$"], text) == [(0, i) for i in range(text.count("\n"))]


@pytest.mark.parametrize("backend", FAST)
def test_database_reports_every_line(backend: str) -> None:
    """Seen with hyperscan 0.9.1 scanning these as written (`^\\s*` kept, no start-of-match
    tracking): the second [error] line was dropped."""
    patterns = [
        r"(?i)^\s*\[?(?:error|err|fatal|fail|failed)\]\s",
        r"^\s*Traceback \(most recent call last\)",
    ]
    text = "x\n[ERROR] " + "b" * 60 + "\n[error] foo\n"
    assert scan("python", patterns, text) == [(0, 1), (0, 2)]
    assert scan(backend, patterns, text) == [(0, 1), (0, 2)]


def test_build_prefers_hyperscan_and_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(patterns: object) -> scanner.Backend:
        raise ImportError("not installed")

    monkeypatch.setitem(BACKENDS, "unavailable", unavailable)
    assert scanner.build(["boom"]).name == "hyperscan"
    fallback = scanner.build(["boom"], ("unavailable", "python"))
    assert fallback.name == "python"
    assert fallback.scan("a\nboom") == [(0, 1)]
    with pytest.raises(RuntimeError, match="unavailable: not installed"):
        scanner.build(["boom"], ("unavailable",))


def test_the_shipped_library_runs_on_hyperscan() -> None:
    """A pattern hyperscan refuses would silently fall back to the far slower re2 backend."""
    from ciwhy.analysis.library_index import default_library

    assert default_library().backend.name == "hyperscan"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="aerox: \t\n01-é", max_size=200), st.integers(min_value=1, max_value=40))
def test_hyperscan_scans_in_pieces_with_the_same_hits(text: str, piece: int) -> None:
    """The text is scanned in pieces cut after line breaks; tiny pieces find the same hits."""
    expected = REFERENCE.scan(text)
    old, scanner.PIECE = scanner.PIECE, piece
    try:
        assert FAST_BACKENDS["hyperscan"].scan(text) == expected
        pieces = lines.pieces(text, piece)
        assert "".join(text[a:b] for a, b in pieces) == text
        assert all(text[b - 1] == "\n" for a, b in pieces[:-1])
    finally:
        scanner.PIECE = old


# --- leading blanks: written as two alternatives for hyperscan ---------------------------------


@pytest.mark.parametrize(
    ("branch", "expected"),
    [
        (r"^[ \t]*ok", [r"^ok", r"^[ \t]+ok"]),
        (r"^ ?x", [r"^x", r"^ x"]),
        (r"^[ \t]{0,8}\d", [r"^\d", r"^[ \t]{1,8}\d"]),
        (r"^[ \t]{0,}x", [r"^x", r"^[ \t]+x"]),
        (r"^[ \t]*?x", [r"^x", r"^[ \t]+x"]),
        (r"^[ \t]+x", [r"^[ \t]+x"]),  # blanks required: nothing to split
        (r"^x", [r"^x"]),
        (r"a^[ \t]*x", [r"a^[ \t]*x"]),  # not at the start of the alternative
    ],
)
def test_split_leading_blanks(branch: str, expected: list[str]) -> None:
    assert split_leading_blanks(branch) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \tok1x", max_size=12))
def test_split_leading_blanks_keeps_whether_a_line_matches(line: str) -> None:
    for branch in (r"^[ \t]*ok", r"^ ?x", r"^[ \t]{0,2}\d", r"^[ \t]*?o"):
        split = "|".join(split_leading_blanks(branch))
        assert bool(re.search(split, line)) == bool(re.search(branch, line))


def test_hyperscan_survives_leading_blanks_beside_a_long_line() -> None:
    """Hyperscan's start-of-match mode crashed the process on `^ *ok` over a line of 305+
    characters: the backend must never need it. (In a child process: a crash is a failure
    here, not the end of the test run.)"""
    code = (
        "from ciwhy.analysis.scanner import BACKENDS\n"
        "for p in (r'^ *ok', r'^\\s*(?:PASS|ok)(?::|\\s)|^test \\S+ x'):\n"
        "    print(BACKENDS['hyperscan']([p]).scan('x' * 1000 + '\\n  ok \\ntest a x\\n'))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:2] == ["[(0, 1)]", "[(0, 1), (0, 2)]"]


_ATOMS = ["error", "ok", "Traceback", "fail", r"\[?(?:error|fail)\]", r"\S+", r"\d+", "x",
          r"\.\.\.", "[a-z]+", r"\w+:", "(?:PASS|ok)", "test"]  # fmt: skip
_PATTERN = st.builds(
    lambda case, start, blanks, atoms, end: case + start + blanks + "".join(atoms) + end,
    st.sampled_from(["", "(?i)"]),
    st.sampled_from(["", "^"]),
    st.sampled_from(["", r"\s*", r"[ \t]*", r"\s+", " *", r"\s?", r"\s{0,4}"]),
    st.lists(
        st.builds(
            lambda a, sep: a + sep,
            st.sampled_from(_ATOMS),
            st.sampled_from(["", " ", r"\s", r"\s+", ":", "."]),
        ),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["", "$"]),
)
_WORDS = ["error", "ERROR", "[error]", "ok", "PASS", "Traceback", "fail", "test", "x", "...",
          "a1", ":", "  ", "\t", "foo", "42"]  # fmt: skip
_TEXT = st.lists(
    st.lists(st.sampled_from(_WORDS), max_size=8).map(" ".join), min_size=1, max_size=10
).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_PATTERN, min_size=2, max_size=10).filter(
        lambda ps: not any(re.search(p, "") for p in ps)
    ),
    st.lists(_TEXT, min_size=1, max_size=4),
    st.integers(0, 400),
)
def test_hyperscan_agrees_with_re_on_random_pattern_sets(
    patterns: list[str], texts: list[str], long_line: int
) -> None:
    """Random pattern sets of the shapes signatures use (anchors, optional leading blanks,
    classes, case-insensitive words), scanned whole: a multi-pattern database is where
    Hyperscan was seen to drop hits."""
    fast, reference = BACKENDS["hyperscan"](patterns), BACKENDS["python"](patterns)
    for text in texts:
        text = "x" * long_line + "\n" + text
        assert fast.scan(text) == reference.scan(text)


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (
            r"^\s{4,16}(?P<file>[\w.-]{1,200}_test\.go):(?P<line>\d+): ",
            r"(?P<file>[\w.-]{1,200}_test\.go):(?P<line>\d+): ",
        ),
        (r"(?i)^[ \t]*error: x", r"(?i)error: x"),
        (r"^error\b", r"error\b"),
        (r"^ ?\[x\]", r"\[x\]"),
        (r"^a|^b", r"^a|^b"),  # several alternatives: left alone
        (r"^\s*$", r"^\s*$"),  # nothing would be left
        (r"^(?P<x>.*)", r"^(?P<x>.*)"),  # it would match an empty line
        (r"no anchor", r"no anchor"),
    ],
)
def test_unanchor(pattern: str, expected: str) -> None:
    assert unanchor(pattern) == expected


_SIGNATURE_PATTERNS = [p for s in default_library().signatures for p in s.patterns]
_SAMPLES = [x for s in default_library().signatures for x in (*s.samples, *s.non_samples)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_SIGNATURE_PATTERNS), st.sampled_from(_SAMPLES), st.text(" \tab:1", max_size=6)
)
def test_an_unanchored_signature_pattern_matches_a_superset(
    pattern: str, sample: str, pad: str
) -> None:
    """Every line a signature's pattern matches, its unanchored form matches too (the scan then
    finds every hit the per-line check would accept)."""
    for line in (sample, pad + sample, sample + pad):
        if re.search(pattern, line):
            assert re.search(unanchor(pattern), line), (pattern, line)


def test_hits_map_to_the_same_lines_with_the_callers_line_offsets() -> None:
    """A piece whose bytes are its characters maps its hits with the lines' own offsets; other
    pieces count their line breaks. Pieces of both kinds, several of each, give the same lines
    either way, and the same as the reference backend."""
    chunk = "".join(f"step {i} ok\nerror: thing {i} broke\n" for i in range(12000))  # ASCII
    wide = "".join(f"é step {i}\nerror: ünïcode {i}\n" for i in range(12000))  # not ASCII
    text = chunk + wide + chunk + "tail error: last"
    assert len(text) > 3 * scanner.PIECE
    patterns = [r"^error: ", r"ünïcode \d+", r"^e"]  # (the last ends on its line's first character)
    backend = BACKENDS["hyperscan"](patterns)
    starts = lines.Lines(text).starts()
    with_offsets = scanner.scan_arrays(backend, text, starts)
    without = scanner.scan_arrays(backend, text)
    assert with_offsets[0].tolist() == without[0].tolist()
    assert with_offsets[1].tolist() == without[1].tolist()
    assert list(zip(*(x.tolist() for x in with_offsets), strict=True)) == scan(
        "python", patterns, text
    )
