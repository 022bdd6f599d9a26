"""Tests of ciwhy.analysis.scanner: pattern rewrites, hit line numbers and backend agreement.

The fast backends (hyperscan, re2) scan the whole buffer and rewrite each pattern with
``single_line`` and ``relax_bounds``; the python backend is the per-line reference.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ciwhy.analysis import lines, scanner
from ciwhy.analysis.library_index import Library
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


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param(
            "hyperscan",
            marks=pytest.mark.xfail(
                strict=True,
                reason="empty matches: _lines_of puts one at a line start on the line before "
                "(end - 1), and SOM_LEFTMOST makes hyperscan reject such patterns",
            ),
        ),
        "re2",
        "python",
    ],
)
@pytest.mark.parametrize("pattern", [r"^$", r"^\s*$"])
def test_empty_line_hits(backend: str, pattern: str) -> None:
    assert scan(backend, [pattern], "a\n\nb") == [(0, 1)]


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


@pytest.mark.parametrize("backend", FAST)
def test_database_reports_every_line(backend: str) -> None:
    """Seen with hyperscan 0.9.1 without SOM_LEFTMOST: the second [error] line was dropped."""
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
