"""JUnit XML parsing: producer fixtures (tests/fixtures/junit), hostile inputs, properties."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ciwhy.ingest import runs
from ciwhy.ingest.junit import JUnitError, clean_text, first_line, parse_junit, parse_seconds

FIXTURES = Path(__file__).parent / "fixtures" / "junit"


def load(name: str) -> list[runs.TestCaseResult]:
    return parse_junit((FIXTURES / name).read_bytes())


def by_name(results: list[runs.TestCaseResult]) -> dict[str, runs.TestCaseResult]:
    named = {r.name: r for r in results}
    assert len(named) == len(results), "fixture names are unique per file"
    return named


def statuses(results: list[runs.TestCaseResult]) -> dict[str, int]:
    return dict(Counter(r.status for r in results))


def raises_kind(kind: str, data: bytes, **limits: int) -> JUnitError:
    with pytest.raises(JUnitError) as caught:
        parse_junit(data, **limits)
    assert caught.value.kind == kind, caught.value
    assert str(caught.value) == caught.value.message
    return caught.value


# --- producers -----------------------------------------------------------------------------


def test_pytest_xunit2() -> None:
    results = load("pytest.xml")
    assert len(results) == 8  # nine <testcase>, the teardown duplicate merged
    assert statuses(results) == {"passed": 3, "failed": 1, "error": 2, "skipped": 2}
    cases = by_name(results)
    assert {r.suite for r in results} == {"pytest"}
    assert all(r.file is None and r.line is None for r in results)  # xunit2 has no file/line

    failed = cases["test_add_floats[0.1-0.2-0.3]"]
    assert failed.status == "failed"
    assert failed.classname == "tests.test_calc.TestAdd"
    assert failed.duration_ms == 2
    assert failed.message == (
        "assert 0.30000000000000004 == 0.3\n +  where 0.30000000000000004 = add(0.1, 0.2)"
    )
    assert failed.details is not None
    assert failed.details.startswith("a = 0.1, b = 0.2, expected = 0.3")
    assert failed.details.endswith("tests/test_calc.py:22: AssertionError")
    assert cases["test_add_floats[1.5-2.5-4.0]"].status == "passed"

    setup = cases["test_insert_order"]
    assert setup.status == "error"
    assert setup.message is not None
    assert setup.message.startswith('failed on setup with "psycopg.OperationalError')
    assert setup.duration_ms == 0

    skip, xfail = cases["test_windows_paths"], cases["test_big_numbers"]
    assert (skip.status, skip.message) == ("skipped", "only on Windows")
    assert skip.details == "/home/runner/work/calc/calc/tests/test_calc.py:41: only on Windows"
    assert (xfail.status, xfail.message, xfail.details) == (
        "skipped",
        "overflow not handled yet",
        None,
    )

    teardown = cases["test_export_csv"]
    assert teardown.status == "error"  # failure in call, error in teardown: error is worse
    assert teardown.attempts == 2
    assert teardown.duration_ms == 47  # 45 ms + 2 ms
    assert teardown.message is not None
    assert teardown.message.startswith('failed on teardown with "PermissionError')
    assert "os.remove" in (teardown.details or "")

    assert cases[r"test_unicode_name[caf\xe9-\u2615]"].status == "passed"
    assert [r.attempts for r in results].count(1) == 7


def test_pytest_xunit1_file_and_line() -> None:
    cases = by_name(load("pytest_xunit1.xml"))
    assert statuses(list(cases.values())) == {"passed": 2, "failed": 1, "skipped": 1}
    quoted = cases["test_escaped_quote"]
    assert (quoted.file, quoted.line, quoted.classname) == (
        "tests/test_parser.py",
        27,
        "tests.test_parser.TestQuoted",
    )
    assert quoted.message == "ValueError: unterminated string at offset 7"
    assert "Captured Log" not in (quoted.details or "")  # system-out is not the failure
    assert (cases["test_empty"].file, cases["test_empty"].line) == ("tests/test_parser.py", 11)
    doc = cases["README.md::README.md"]
    assert (doc.file, doc.line, doc.duration_ms) == ("README.md", None, 285)  # no line attribute


def test_jest_junit() -> None:
    results = load("jest-junit.xml")
    assert statuses(results) == {"passed": 3, "failed": 3, "skipped": 1}
    cases = by_name(results)
    assert [r.suite for r in results] == ["Cart"] * 4 + ["Checkout"] * 3
    discount = cases["Cart applies a discount code"]
    assert discount.classname == "Cart applies a discount code"
    # No message attribute: the first line of the first <failure>; details hold both.
    assert discount.message == "Error: expect(received).toBe(expected) // Object.is equality"
    assert discount.details is not None
    assert "Received: 100" in discount.details
    assert "toHaveBeenCalledTimes" in discount.details
    assert discount.duration_ms == 21
    # The failure text starts with blank lines; the message skips them.
    submit = cases["Checkout submits the order"]
    assert submit.message == "TypeError: Cannot read properties of undefined (reading 'id')"
    assert submit.duration_ms == 1203
    hook = cases["Test execution failure: could be caused by test hooks like 'afterAll'."]
    assert (hook.status, hook.message) == ("failed", "Error: connect ECONNREFUSED 127.0.0.1:6379")
    pending = cases["Cart pending feature"]
    assert (pending.status, pending.message, pending.details) == ("skipped", None, None)


def test_surefire_reruns_and_flakes() -> None:
    results = load("surefire/TEST-com.example.CalculatorTest.xml")
    assert statuses(results) == {"passed": 2, "failed": 1, "flaky": 2, "skipped": 1}
    cases = by_name(results)
    assert {r.suite for r in results} == {"com.example.CalculatorTest"}

    divide = cases["dividesByZero"]
    assert (divide.status, divide.attempts) == ("failed", 3)  # <failure> + 2 <rerunFailure>
    assert divide.message == "expected: <Infinity> but was: <NaN>"
    assert divide.details is not None
    assert "CalculatorTest.java:48" in divide.details
    assert "14:09:44.601" not in divide.details  # a rerun's system-out is not the failure

    locale = cases["parsesLocaleNumbers"]
    assert (locale.status, locale.attempts, locale.duration_ms) == ("flaky", 2, 208)
    assert locale.message == "expected: <1234.5> but was: <1.2345>"
    assert locale.details is not None
    assert locale.details.startswith("org.opentest4j.AssertionFailedError")  # <stackTrace>

    rates = cases["fetchesExchangeRates"]
    assert (rates.status, rates.attempts) == ("flaky", 3)
    assert rates.message == "Connection reset"
    assert "SocketTimeoutException" in (rates.details or "")

    legacy = cases["legacyRounding"]
    assert (legacy.status, legacy.message) == (
        "skipped",
        "Disabled until 2.0: legacy rounding is removed",
    )
    assert cases["[1] 2, 3, 5"].status == "passed"
    assert cases["addsTwoNumbers"].attempts == 1


def test_surefire_thousands_separator_time() -> None:
    cases = by_name(load("surefire/TEST-com.example.ReportIT.xml"))
    assert cases["generatesYearlyReport"].duration_ms == 1_234_500
    assert cases["generatesDailyReport"].duration_ms == 5_618


def test_go_junit_report() -> None:
    results = load("go-junit-report.xml")
    assert statuses(results) == {"passed": 2, "failed": 2, "skipped": 1, "error": 2}
    cases = by_name(results)
    build = cases["[build failed]"]
    assert (build.status, build.message, build.suite) == (
        "error",
        "Build error",
        "github.com/acme/shop/tax",
    )
    assert "undefined: roundHalfEven" in (build.details or "")
    panic = cases["Failure"]
    assert (panic.status, panic.message) == ("error", "Runtime error")
    assert (panic.details or "").startswith("panic: runtime error: invalid memory address")
    assert cases["TestDiscount/zero_percent"].classname == "github.com/acme/shop/cart"
    assert cases["TestLegacy"].details == "    cart_test.go:60: legacy mode disabled"


def test_gotestsum() -> None:
    results = load("gotestsum.xml")
    assert statuses(results) == {"failed": 3, "skipped": 1, "passed": 1}
    assert [r.name for r in results] == [  # gotestsum's order: failed, skipped, passed
        "TestDiscount/negative",
        "TestDiscount",
        "TestLegacy",
        "TestAdd",
        "TestMain",
    ]
    cases = by_name(results)
    main = cases["TestMain"]
    assert (main.classname, main.suite, main.status) == (None, "github.com/acme/shop/db", "failed")
    assert main.details is not None
    assert "FAIL\tgithub.com/acme/shop/db\t0.004s" in main.details
    skip = cases["TestLegacy"]
    assert skip.message == (
        "=== RUN   TestLegacy\n    cart_test.go:60: legacy mode disabled\n"
        "--- SKIP: TestLegacy (0.00s)\n"
    )
    assert cases["TestAdd"].duration_ms == 10


def test_phpunit_nested_suites() -> None:
    results = load("phpunit.xml")
    assert statuses(results) == {"passed": 3, "failed": 1, "error": 1, "skipped": 1}
    cases = by_name(results)
    assert cases["testAddsVat"].suite == r"App\Tests\Unit\PriceTest"
    half_up = cases['testRounds with data set "half up"']
    assert half_up.suite == r"App\Tests\Unit\PriceTest::testRounds"  # the innermost suite
    assert (half_up.file, half_up.line) == (
        "/home/runner/work/shop/shop/tests/Unit/PriceTest.php",
        27,
    )
    assert half_up.message == (
        r'App\Tests\Unit\PriceTest::testRounds with data set "half up" (1.005, 1.01)'
    )
    empty = cases["testEmptyCartTotal"]
    assert (empty.status, empty.suite) == ("error", r"App\Tests\Unit\CartTest")
    assert "Call to undefined method" in (empty.details or "")


# --- outcome and merge rules ---------------------------------------------------------------


def doc(*cases: str, root: str = "testsuites") -> bytes:
    inner = "".join(cases)
    if root == "testsuites":
        return f'<testsuites><testsuite name="s">{inner}</testsuite></testsuites>'.encode()
    return f'<testsuite name="s">{inner}</testsuite>'.encode()


def test_outcome_precedence() -> None:
    results = parse_junit(
        doc(
            '<testcase name="a"><skipped/><error message="e"/><failure message="f"/></testcase>',
            '<testcase name="b"><skipped/><error message="e"/></testcase>',
            '<testcase name="c"><skipped message="s"/></testcase>',
            '<testcase name="d"><system-out>ok</system-out></testcase>',
            '<testcase name="e"><rerunFailure message="r1"/></testcase>',
            '<testcase name="f"><error message="e"/><rerunError message="r"/></testcase>',
        )
    )
    assert [(r.name, r.status, r.message, r.attempts) for r in results] == [
        ("a", "failed", "f", 1),
        ("b", "error", "e", 1),
        ("c", "skipped", "s", 1),
        ("d", "passed", None, 1),
        ("e", "flaky", "r1", 2),
        ("f", "error", "e", 2),
    ]


def test_duplicates_keep_the_worst_and_sum_attempts() -> None:
    results = parse_junit(
        doc(
            '<testcase classname="C" name="t" time="1"/>',
            '<testcase classname="C" name="t" time="2"><failure message="boom"/></testcase>',
            '<testcase classname="C" name="t" time="3"/>',
            '<testcase classname="D" name="t"><skipped/></testcase>',
            '<testcase classname="D" name="t"/>',
            '<testcase classname="C" name="t" file="other.py"/>',
        )
    )
    assert [(r.classname, r.status, r.attempts, r.duration_ms, r.message) for r in results] == [
        ("C", "failed", 3, 6000, "boom"),
        ("D", "passed", 2, None, None),
        ("C", "passed", 1, None, None),  # another file: another test
    ]


def test_testsuite_root_and_cases_straight_under_testsuites() -> None:
    single = parse_junit(doc('<testcase name="x" classname="k" time="0.5"/>', root="testsuite"))
    expected = runs.TestCaseResult(
        name="x", status="passed", classname="k", suite="s", duration_ms=500
    )
    assert single == [expected]
    loose = parse_junit(b'<testsuites><testcase name="y"/></testsuites>')
    assert [(r.name, r.suite) for r in loose] == [("y", None)]


def test_odd_attributes_never_raise() -> None:
    results = parse_junit(
        doc(
            '<testcase time="abc" line="12.5"/>',
            '<testcase name="n" time="-1" line="-3"/>',
            '<testcase name="m" time="1e400" line=" 7 "/>',
            '<testcase name="o" time="" line="99999999999999"/>',
            '<testcase name="p" line=""/>',
        )
    )
    assert [(r.name, r.duration_ms, r.line) for r in results] == [
        ("", None, None),
        ("n", None, None),
        ("m", None, 7),
        ("o", None, None),
        ("p", None, None),
    ]


def test_strings_are_cut() -> None:
    long = "x" * 3000
    (result,) = parse_junit(
        doc(
            f'<testcase name="{long}" classname="{long}">'
            f'<failure message="{long}">{"y" * 20_000}</failure></testcase>'
        )
    )
    assert len(result.name) == len(result.classname or "") == 1000
    assert len(result.message or "") == 1000
    assert result.details == "y" * 8000
    (textual,) = parse_junit(
        doc(f'<testcase name="t"><error>{"z" * 5000}\nrest</error></testcase>')
    )
    assert textual.message == "z" * 1000  # the first line, cut


def test_clean_text_and_first_line() -> None:
    assert clean_text("a\x00b\ud800c\udfffd", 100) == "abcd"
    assert clean_text("\U0001f600 ok", 100) == "\U0001f600 ok"  # a real astral char stays
    assert clean_text("abcdef", 3) == "abc"
    assert clean_text(None, 3) is None
    assert first_line("\n  \n  first \nsecond") == "first"
    assert first_line(" \n\t") is None
    assert first_line(None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.25", 250),
        ("3", 3000),
        ("0.0004", 0),
        ("0.0005", 0),  # banker's rounding of 0.5 ms
        ("0.0015", 2),
        (".5", 500),
        ("1e-3", 1),
        (" 2.5 ", 2500),
        ("1,234.5", 1_234_500),
        ("1,234,567", 1_234_567_000),
        ("12,345.678", 12_345_678),
        ("0,5", 500),  # decimal comma, never 5 s
        ("12,25", 12_250),
        ("0,123", 123),  # leading 0: not a thousands group
        ("1234,567", 1_234_567),  # four digits before the comma: not a group
        ("1,2345", 1_234),  # four digits after: not a group
        ("1.234,5", 1_234_500),  # German grouping
        ("1.234.567", 1_234_567_000),
        ("1,234", None),  # ambiguous: 1234 s or 1.234 s
        ("12,345", None),
        ("", None),
        ("abc", None),
        ("-1", None),
        ("nan", None),
        ("inf", None),
        ("1e400", None),
        ("3000000", None),  # beyond int32 milliseconds
        ("1,23.4", None),
        ("1.2.3", None),
        ("0x10", None),
        ("٣", None),  # non-ASCII digits
        (None, None),
    ],
)
def test_parse_seconds(raw: str | None, expected: int | None) -> None:
    assert parse_seconds(raw) == expected


@given(st.integers(min_value=0, max_value=2_000_000_000))
def test_parse_seconds_round_trips_milliseconds(millis: int) -> None:
    assert parse_seconds(f"{millis / 1000:.3f}") == millis
    centis = millis // 10  # a decimal comma with two decimals is never ambiguous
    assert parse_seconds(f"{centis // 100},{centis % 100:02d}") == centis * 10


# --- encodings -----------------------------------------------------------------------------

SIMPLE = (
    '<testsuites><testsuite name="s"><testcase name="café ☕" time="1"/></testsuite></testsuites>'
)


@pytest.mark.parametrize(
    "data",
    [
        SIMPLE.encode(),
        b"\xef\xbb\xbf" + SIMPLE.encode(),
        b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>' + SIMPLE.encode(),
        ('<?xml version="1.0" encoding="UTF-16"?>' + SIMPLE).encode("utf-16"),
        b"\xfe\xff" + ('<?xml version="1.0" encoding="UTF-16"?>' + SIMPLE).encode("utf-16-be"),
        b"\xff\xfe" + SIMPLE.encode("utf-16-le"),
    ],
    ids=["utf8", "utf8-bom", "utf8-bom-decl", "utf16", "utf16-be", "utf16-le-no-decl"],
)
def test_unicode_encodings(data: bytes) -> None:
    assert [r.name for r in parse_junit(data)] == ["café ☕"]


def test_single_byte_encoding_from_declaration() -> None:
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?>' + SIMPLE.replace(" ☕", "")
    assert [r.name for r in parse_junit(latin.encode("latin-1"))] == ["café"]
    cp1252 = '<?xml version="1.0" encoding="windows-1252"?>' + SIMPLE.replace("☕", "€")
    assert [r.name for r in parse_junit(cp1252.encode("cp1252"))] == ["café €"]


@pytest.mark.parametrize(
    "data",
    [
        '<?xml version="1.0" encoding="Shift_JIS"?><testsuites name="日本"/>'.encode("shift_jis"),
        b'<?xml version="1.0" encoding="no-such-codec"?><testsuites/>',
        b'<?xml version="1.0" encoding="UTF-16"?><testsuites/>',  # says UTF-16, is not
    ],
    ids=["multi-byte", "unknown", "lying"],
)
def test_undecodable_is_malformed(data: bytes) -> None:
    raises_kind("malformed", data)


# --- hostile and broken input --------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<testsuites><testsuite name="s"><testcase name="&lol9;"/></testsuite></testsuites>"""


@pytest.mark.parametrize(
    "data",
    [
        BILLION_LAUGHS,
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<testsuites><testsuite name="&xxe;"/></testsuites>',
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>'
        b'<testsuites><testsuite name="s"><testcase name="&xxe;"/></testsuite></testsuites>',
        b'<!DOCTYPE t [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]><testsuites/>',
        b'<!DOCTYPE testsuites SYSTEM "http://127.0.0.1:9/junit.dtd"><testsuites/>',
        b"<!DOCTYPE testsuites><testsuites/>",
    ],
    ids=["billion-laughs", "xxe-file", "xxe-http", "parameter-entity", "external-dtd", "doctype"],
)
def test_dtds_are_unsafe(data: bytes) -> None:
    error = raises_kind("unsafe", data)
    assert "DOCTYPE" in error.message
    assert "root:" not in error.message  # nothing from /etc/passwd


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'<testsuites><testsuite name="a"><testcase', "line 1, column"),
        (b'<testsuites>\n<testsuite name="a">\n</testsuites>', "mismatched tag at line 3"),
        (b"", "no element found"),
        (b"   \n", "no element found"),
        (bytes(range(256)), "not well-formed"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "line 1"),
        (b'<testsuites name="a&#0;b"/>', "invalid character"),
        (b"<html><body>502 Bad Gateway</body></html>", "<html>"),
        (b'<testsuites xmlns="urn:x"/>', "<{urn:x}testsuites>"),
        (b'{"tests": []}', "not well-formed"),
        (b"<testsuites/><testsuites/>", "junk after document element"),
    ],
    ids=[
        "truncated",
        "mismatched",
        "empty",
        "blank",
        "binary",
        "png",
        "nul-reference",
        "wrong-root",
        "namespaced-root",
        "json",
        "two-roots",
    ],
)
def test_malformed(data: bytes, words: str) -> None:
    assert words in raises_kind("malformed", data).message


def test_oversized_is_refused_before_parsing() -> None:
    data = doc('<testcase name="a"/>')
    assert parse_junit(data, max_bytes=len(data))
    error = raises_kind("too_large", data, max_bytes=len(data) - 1)
    assert f"{len(data):,} bytes" in error.message
    # Checked first: an oversized document is not even looked at.
    raises_kind("too_large", BILLION_LAUGHS, max_bytes=100)


def test_too_many_cases() -> None:
    data = doc(*['<testcase name="a"/>'] * 11)
    assert len(parse_junit(data, max_cases=11)) == 1  # all merged, but all counted
    assert "more than 10 test cases" in raises_kind("too_large", data, max_cases=10).message


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    depth = 50_000
    suites = '<testsuite name="n">' * depth + '<testcase name="deep"/>' + "</testsuite>" * depth
    (deep,) = parse_junit(f"<testsuites>{suites}</testsuites>".encode())
    assert (deep.name, deep.suite) == ("deep", "n")
    nested = "<failure>" + "<x>" * depth + "</x>" * depth + "</failure>"
    (case,) = parse_junit(doc(f'<testcase name="t">{nested}</testcase>'))
    assert case.status == "failed"


def test_not_bytes() -> None:
    with pytest.raises(TypeError):
        parse_junit(SIMPLE)  # type: ignore[arg-type]


# --- properties ----------------------------------------------------------------------------

XML_CHAR = st.characters(codec="utf-8", exclude_categories=("Cs",)).filter(
    lambda c: c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff")
)
OUTCOMES = {
    "passed": "",
    "failed": "<failure message={m}>trace</failure>",
    "error": "<error message={m}>trace</error>",
    "skipped": "<skipped message={m}/>",
    "flaky": "<flakyFailure message={m}><stackTrace>trace</stackTrace></flakyFailure>",
}


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.text(XML_CHAR, max_size=40),
            st.text(XML_CHAR, max_size=40),
            st.sampled_from(sorted(OUTCOMES)),
            st.text(XML_CHAR, min_size=1, max_size=40).filter(str.strip),
        ),
        max_size=15,
        unique_by=lambda case: (case[0], case[1]),
    ),
    st.text(XML_CHAR, max_size=20),
)
def test_generated_reports_round_trip(cases: list[tuple[str, str, str, str]], suite: str) -> None:
    body = "".join(
        f'<testcase classname={quoteattr(c)} name={quoteattr(n)} time="0.5">'
        f"{OUTCOMES[o].format(m=quoteattr(m))}<system-out>{escape(m)}</system-out></testcase>"
        for c, n, o, m in cases
    )
    data = f"<testsuites><testsuite name={quoteattr(suite)}>{body}</testsuite></testsuites>"
    results = parse_junit(data.encode())
    assert [(r.classname, r.name, r.status) for r in results] == [
        (c or None, n, o) for c, n, o, _ in cases
    ]
    for result, (_, _, outcome, message) in zip(results, cases, strict=True):
        assert result.suite == (suite or None)
        assert result.duration_ms == 500
        assert result.message == (None if outcome == "passed" else message)
        assert result.attempts == (2 if outcome == "flaky" else 1)


VALID = [(FIXTURES / name).read_bytes() for name in ("pytest.xml", "gotestsum.xml")]


@settings(max_examples=300)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_only_raise_junit_error(data: bytes) -> None:
    try:
        parse_junit(data)
    except JUnitError as error:
        assert error.kind in ("malformed", "unsafe", "too_large")


@settings(max_examples=300)
@given(
    st.sampled_from(VALID),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=40),
    st.binary(max_size=20),
)
def test_damaged_reports_only_raise_junit_error(
    valid: bytes, at: int, cut: int, insert: bytes
) -> None:
    at %= len(valid)
    damaged = valid[:at] + insert + valid[at + cut :]
    try:
        results = parse_junit(damaged)
    except JUnitError:
        return
    assert all(isinstance(r, runs.TestCaseResult) for r in results)


def test_a_report_of_tiny_elements_is_refused_before_parsing() -> None:
    """Counted in the bytes: 50 MiB of small elements would cost seconds to parse."""
    from ciwhy.ingest.junit import ELEMENTS_PER_CASE

    body = b"<testsuite name='x'>" + b"<a/>" * (ELEMENTS_PER_CASE * 10 + 1) + b"</testsuite>"
    with pytest.raises(JUnitError) as info:
        parse_junit(body, max_cases=10)
    assert info.value.kind == "too_large" and "elements" in str(info.value)
    ok = b"<testsuite name='x'>" + b"<testcase name='t'/>" * 10 + b"</testsuite>"
    assert len(parse_junit(ok, max_cases=10)) == 1  # ten of one name merge into one result
