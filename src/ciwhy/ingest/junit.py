"""JUnit XML reports (pytest, jest-junit, Surefire, go-junit-report, gotestsum, PHPUnit ...) to
``TestCaseResult`` rows. Pure: no web framework, no database.

Uploads are untrusted. ``parse_junit`` refuses oversized documents before parsing, parses with
``defusedxml`` with every DTD forbidden (so no entity expansion and no external fetch can
happen), then hands the root element to ``junitparser`` (its ``xunit2`` flavour, which models
Surefire's rerun and flaky elements). Every failure is a ``JUnitError``; nothing else escapes
for any input bytes.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from itertools import islice
from typing import Any, Literal, cast

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DET
from junitparser import xunit2

from ciwhy.ingest.runs import TEST_STATUS_RANK, TestCaseResult, TestStatus

__all__ = ["JUnitError", "parse_junit"]

JUnitErrorKind = Literal["malformed", "unsafe", "too_large"]

MAX_BYTES = 50 << 20
MAX_CASES = 200_000
MAX_NAME = 1_000
MAX_MESSAGE = 1_000
MAX_DETAILS = 8_000
#: A duration beyond this (about 24.8 days, the int32 limit) is treated as unparseable.
MAX_DURATION_MS = 2**31 - 1

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_PLAIN = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?", re.ASCII)
_COMMA_GROUPED = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
_DOT_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"\d+,\d+", re.ASCII)


class JUnitError(ValueError):
    """A report that cannot be read.

    ``kind`` is ``"malformed"`` (not XML, truncated, wrong root element, unsupported encoding),
    ``"unsafe"`` (a DOCTYPE or entity declaration: billion laughs, XXE) or ``"too_large"``
    (more bytes or test cases than allowed). ``message`` is a sentence for the uploader.
    """

    def __init__(self, kind: JUnitErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind: JUnitErrorKind = kind
        self.message = message


def clean_text(value: str | None, limit: int) -> str | None:
    """``value`` cut to ``limit`` characters, without NUL and lone surrogates (which PostgreSQL
    refuses). ``None`` stays ``None``."""
    if value is None:
        return None
    return _UNSTORABLE.sub("", value[:limit])


def first_line(text: str | None) -> str | None:
    """The first non-blank line of ``text``, stripped; ``None`` when there is none."""
    if not text:
        return None
    rest = text.lstrip()
    if not rest:
        return None
    end = rest.find("\n")
    return (rest if end < 0 else rest[:end]).strip() or None


def parse_seconds(raw: str | None) -> int | None:
    """A JUnit ``time`` attribute (seconds) as whole milliseconds, or ``None``.

    Accepted: plain decimals (``"0.25"``, ``"3"``, ``"1e-3"``); comma thousands separators with
    a decimal point or several groups (``"1,234.5"``, ``"1,234,567"``: old Surefire); a decimal
    comma (``"0,5"`` is 0.5 s, ``"12,25"``, ``"0,123"``); dot thousands separators with a decimal
    comma (``"1.234,5"``: a German locale). A single comma followed by exactly three digits and
    nothing else, after a 1-3 digit integer part not starting with 0 (``"1,234"``), reads
    equally as 1234 s and as 1.234 s: it is ambiguous and gives ``None`` rather than a guess
    that may be a thousand times wrong. Negative, non-finite, absurdly large (over
    ``MAX_DURATION_MS``) and any other text give ``None``.
    """
    if raw is None:
        return None
    text = raw.strip()
    if len(text) > 64:
        return None
    if _PLAIN.fullmatch(text):
        number = text
    elif _COMMA_GROUPED.fullmatch(text):
        if text.count(",") == 1 and "." not in text:
            return None  # "1,234": thousands or a decimal comma; no way to tell
        number = text.replace(",", "")
    elif _DOT_GROUPED.fullmatch(text) and (text.count(".") > 1 or "," in text):
        number = text.replace(".", "").replace(",", ".")
    elif _DECIMAL_COMMA.fullmatch(text):
        number = text.replace(",", ".")
    else:
        return None
    millis = float(number) * 1000.0
    if not math.isfinite(millis) or millis > MAX_DURATION_MS:
        return None
    return round(millis)


def _parse_line(raw: str | None) -> int | None:
    if raw is None:
        return None
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return None
    return int(text)


#: Markup (``<``) a report may hold per test case it may hold: a file of nothing but tiny
#: elements is refused by counting bytes, before a parse that would cost seconds and memory.
ELEMENTS_PER_CASE = 20


def _precheck(data: bytes, max_bytes: int, max_cases: int) -> None:
    """Refuse, without parsing, what is sure to be too large (counting bytes runs at memory
    speed; a full parse of 50 MiB of small elements takes seconds and most of a GiB)."""
    if len(data) > max_bytes:
        return  # _root says so
    if data.count(b"<testcase") > max_cases:
        raise JUnitError(
            "too_large", f"the report has more than {max_cases:,} test cases; split it"
        )
    if data.count(b"<") > ELEMENTS_PER_CASE * max_cases:
        raise JUnitError(
            "too_large",
            f"the report has more than {ELEMENTS_PER_CASE * max_cases:,} elements; split it",
        )


def _root(data: bytes, max_bytes: int) -> ET.Element:
    if len(data) > max_bytes:
        raise JUnitError(
            "too_large", f"the report is {len(data):,} bytes; at most {max_bytes:,} are accepted"
        )
    try:
        root = DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise JUnitError(
            "unsafe",
            f"the report declares a DOCTYPE or entities ({type(exc).__name__}); "
            "JUnit XML never needs them, so they are refused",
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        raise JUnitError(
            "malformed",
            f"the report is not well-formed XML: {reason} at line {line}, column {column}",
        ) from None
    except (ValueError, LookupError) as exc:  # unknown or multi-byte encodings
        raise JUnitError("malformed", f"the report cannot be decoded: {exc}") from None
    if root.tag not in ("testsuites", "testsuite"):
        tag = clean_text(str(root.tag), 100)
        raise JUnitError(
            "malformed",
            f"the root element is <{tag}>; a JUnit report has <testsuites> or <testsuite>",
        )
    return cast(ET.Element, root)


def _walk(xml: Any) -> Iterator[tuple[str | None, xunit2.TestCase]]:
    """Every test case with the name of the innermost suite holding it: suite by suite, depth
    first, a suite's own cases before those of the suites nested in it (document order unless a
    suite mixes cases and suites). ``<testsuites>`` nested in ``<testsuites>`` is not read.

    Iterative, so a hostile document with suites nested a million deep cannot exhaust the
    stack.
    """
    for case in xml.iterchildren(xunit2.TestCase):  # cases straight under <testsuites>
        yield None, case
    stack: list[Iterator[Any]] = [iter(list(xml))]
    while stack:
        suite = next(stack[-1], None)
        if suite is None:
            stack.pop()
            continue
        name = suite._elem.get("name")
        for case in suite.iterchildren(xunit2.TestCase):
            yield name, case
        stack.append(suite.iterchildren(xunit2.TestSuite))


def _outcome(case: xunit2.TestCase) -> tuple[TestStatus, list[Any], int]:
    """Status, the elements that explain it, and the number of attempts."""
    results = case.result
    interim = case.interim_result
    attempts = 1 + len(interim)
    for tag, status in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
        chosen = [r for r in results if r._tag == tag]
        if chosen:
            return cast(TestStatus, status), chosen, attempts
    if interim:
        # Failed attempts (flaky*, or rerun* without a final failure) before a pass.
        return "flaky", interim, attempts
    return "passed", [], attempts


def _explain(explaining: list[Any]) -> tuple[str | None, str | None]:
    message: str | None = None
    texts: list[str] = []
    for item in explaining:
        text = item._elem.text
        if isinstance(item, xunit2.InterimResult) and not (text and text.strip()):
            text = item.stack_trace
        if message is None:
            attr = item._elem.get("message")
            message = attr if attr and attr.strip() else first_line(text)
        if text and text.strip():
            texts.append(text)
    details = "\n\n".join(texts) if texts else None
    return clean_text(message, MAX_MESSAGE), clean_text(details, MAX_DETAILS)


def _result(suite: str | None, case: xunit2.TestCase) -> TestCaseResult:
    elem = case._elem
    status, explaining, attempts = _outcome(case)
    message, details = _explain(explaining)
    return TestCaseResult(
        name=clean_text(elem.get("name"), MAX_NAME) or "",
        status=status,
        classname=clean_text(elem.get("classname"), MAX_NAME) or None,
        suite=clean_text(suite, MAX_NAME) or None,
        file=clean_text(elem.get("file"), MAX_NAME) or None,
        line=_parse_line(elem.get("line")),
        duration_ms=parse_seconds(elem.get("time")),
        message=message,
        details=details,
        attempts=attempts,
    )


def _merge(old: TestCaseResult, new: TestCaseResult) -> TestCaseResult:
    """One result for a test reported twice: the worse outcome with its message, durations
    and attempts summed, locations kept from whichever has them."""
    new_is_worse = TEST_STATUS_RANK[new.status] < TEST_STATUS_RANK[old.status]
    worse, other = (new, old) if new_is_worse else (old, new)
    durations = [d for d in (old.duration_ms, new.duration_ms) if d is not None]
    return TestCaseResult(
        name=worse.name,
        status=worse.status,
        classname=worse.classname,
        suite=old.suite if old.suite is not None else new.suite,
        file=worse.file,
        line=old.line if old.line is not None else new.line,
        duration_ms=min(sum(durations), MAX_DURATION_MS) if durations else None,
        message=worse.message if worse.message is not None else other.message,
        details=worse.details if worse.details is not None else other.details,
        attempts=old.attempts + new.attempts,
    )


def parse_junit(
    data: bytes, *, max_bytes: int = MAX_BYTES, max_cases: int = MAX_CASES
) -> list[TestCaseResult]:
    """The test cases of one JUnit XML report, suite by suite (see ``_walk``).

    ``data`` is the raw upload: UTF-8 (with or without a BOM), UTF-16 with a BOM, or any
    single-byte encoding its XML declaration names. Raises ``JUnitError`` and nothing else:

    - ``too_large`` when ``data`` is longer than ``max_bytes`` (checked before parsing) or
      holds more than ``max_cases`` ``<testcase>`` elements;
    - ``unsafe`` for any DOCTYPE (hence any entity, internal or external: billion laughs and
      XXE are refused before anything is expanded or fetched);
    - ``malformed`` for empty, binary, truncated or otherwise ill-formed XML (the message
      names the line and column), an undecodable encoding, or a root that is not
      ``<testsuites>``/``<testsuite>``.

    Suites nest (PHPUnit); each case records its innermost suite. The outcome is failed if the
    case has any ``<failure>``, else error, else skipped, else flaky if Surefire recorded
    failed attempts (``flakyFailure``/``flakyError``, or ``rerun*`` without a final failure),
    else passed; attempts count the final run plus every rerun/flaky element. A case repeated
    with the same (classname, name, file), as pytest writes for a teardown error, becomes one
    result with the worst outcome and the attempts summed. Odd attribute values never raise:
    a ``time`` that cannot be read (see ``parse_seconds``) or a non-integer ``line`` is
    ``None``; a missing name is ``""``. Strings lose NUL and lone surrogates and are cut to
    the ``TestCaseResult`` limits.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"parse_junit takes bytes, not {type(data).__name__}")
    data = bytes(data)
    _precheck(data, max_bytes, max_cases)
    root = _root(data, max_bytes)
    count = sum(1 for _ in islice(root.iter("testcase"), max_cases + 1))
    if count > max_cases:
        raise JUnitError(
            "too_large", f"the report has more than {max_cases:,} test cases; split it"
        )
    xml = xunit2.JUnitXml.fromroot(cast(Any, root))  # its annotation names its own Element
    merged: dict[tuple[str | None, str, str | None], TestCaseResult] = {}
    for suite, case in _walk(xml):
        result = _result(suite, case)
        key = (result.classname, result.name, result.file)
        previous = merged.get(key)
        merged[key] = result if previous is None else _merge(previous, result)
    return list(merged.values())
