"""SARIF 2.1.0 parsing: scanner fixtures (tests/fixtures/sarif), malformed documents, fuzzing."""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciwhy.ingest import sarif
from ciwhy.ingest.runs import Finding
from ciwhy.ingest.sarif import SarifError, parse_sarif, severity_from_score

FIXTURES = Path(__file__).parent / "fixtures" / "sarif"


def load(name: str) -> list[Finding]:
    return parse_sarif(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def one(result: dict[str, Any], **driver: Any) -> Finding:
    """The single finding of a one-run, one-result document."""
    document = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "scanner", **driver}}, "results": [result]}],
    }
    (finding,) = parse_sarif(document)
    return finding


# --- scanners ------------------------------------------------------------------------------


def test_codeql() -> None:
    findings = load("codeql.sarif")
    assert [(f.rule, f.severity, f.file, f.line) for f in findings] == [
        ("py/sql-injection", "high", "app/db.py", 42),  # security-severity 8.8
        ("py/clear-text-logging-sensitive-data", "high", "app/auth/login.py", 88),
        ("py/weak-sensitive-data-hashing", "high", "app/auth/login.py", 31),  # uri by index
        ("py/unused-import", "low", "app/views.py", 3),  # no score: level note
    ]  # the fifth result is suppressed in source
    assert {f.tool for f in findings} == {"CodeQL"}
    assert findings[0].message == "This SQL query depends on a [user-provided value](1)."
    assert findings[2].message == (
        "[Sensitive data (password)](1) is used in a hashing algorithm (MD5) that is insecure "
        "for password hashing."
    )  # message.id through the extension rule's messageStrings


def test_semgrep() -> None:
    findings = load("semgrep.sarif")
    assert {f.tool for f in findings} == {"Semgrep OSS"}
    assert [(f.severity, f.file, f.line) for f in findings] == [
        ("high", "app/views.py", 24),  # rule defaultConfiguration error, found by id
        ("medium", "app/settings.py", 12),
        ("medium", "web/src/components/Comment.jsx", 31),
        ("low", "scripts/backup.sh", 7),
    ]
    assert findings[1].rule == "python.django.security.audit.django-debug-true.django-debug-true"
    assert findings[1].message.startswith("DEBUG is enabled in a Django settings file.")


def test_trivy() -> None:
    findings = load("trivy.sarif")
    assert Counter(f.severity for f in findings) == {
        "critical": 1,
        "high": 2,
        "medium": 1,
        "low": 1,
    }
    critical = next(f for f in findings if f.severity == "critical")
    assert (critical.tool, critical.rule, critical.file, critical.line) == (
        "Trivy",
        "CVE-2024-45337",
        "go.mod",
        1,
    )
    assert critical.message.splitlines()[:2] == [
        "Package: golang.org/x/crypto",
        "Installed Version: 0.21.0",
    ]
    assert [f.file for f in findings].count("ghcr.io/acme/shop") == 2


# --- rules, messages, severities, locations ------------------------------------------------

RULES = [
    {"id": "R0", "shortDescription": {"text": "Short zero"}},
    {
        "id": "R1",
        "shortDescription": {"text": "Short one"},
        "fullDescription": {"text": "Full one"},
        "messageStrings": {"default": {"text": "{1} then {0}, not {5}"}},
        "defaultConfiguration": {"level": "error"},
        "properties": {"security-severity": "9.3"},
    },
]


def test_rule_resolution() -> None:
    assert one({"ruleIndex": 1, "message": {"text": "m"}}, rules=RULES).rule == "R1"
    assert one({"rule": {"index": 0}, "message": {"text": "m"}}, rules=RULES).rule == "R0"
    assert one({"rule": {"id": "X9"}, "message": {"text": "m"}}, rules=RULES).rule == "X9"
    by_id = one({"ruleId": "R1"}, rules=RULES)  # the rule found by id gives the severity
    assert (by_id.rule, by_id.severity, by_id.message) == ("R1", "critical", "Short one")
    assert one({"ruleIndex": 7, "message": {"text": "m"}}, rules=RULES).rule == ""
    assert one({"ruleIndex": True, "message": {"text": "m"}}, rules=RULES).rule == ""
    # toolComponent.index counts tool.extensions, not the driver.
    document = {
        "runs": [
            {
                "tool": {
                    "driver": {"name": "CodeQL", "rules": RULES},
                    "extensions": [{"name": "pack", "rules": [{"id": "E0"}, {"id": "E1"}]}],
                },
                "results": [
                    {"rule": {"index": 1, "toolComponent": {"index": 0}}},
                    {"rule": {"index": 1, "toolComponent": {"index": 4}}},
                ],
            }
        ]
    }
    assert [f.rule for f in parse_sarif(document)] == ["E1", ""]


def test_message_fallbacks() -> None:
    template = one({"ruleId": "R1", "message": {"id": "default", "arguments": ["a", "b"]}})
    assert template.message == "R1"  # the driver has no rules: nothing to resolve through
    resolved = one(
        {"ruleIndex": 1, "message": {"id": "default", "arguments": ["a", "b"]}}, rules=RULES
    )
    assert resolved.message == "b then a, not {5}"
    global_strings = {"hello": {"text": "Hello {0}"}}
    greeting = one(
        {"message": {"id": "hello", "arguments": ["x"]}}, globalMessageStrings=global_strings
    )
    assert greeting.message == "Hello x"
    assert one({"ruleIndex": 0, "message": {}}, rules=RULES).message == "Short zero"
    assert one({"ruleIndex": 0, "message": {"markdown": "**md**"}}, rules=RULES).message == "**md**"
    full_only = [{"id": "F", "fullDescription": {"text": "Full"}}]
    assert one({"ruleId": "F", "message": {"text": "  "}}, rules=full_only).message == "Full"
    assert one({"message": 42}).message == ""


@pytest.mark.parametrize(
    ("result", "rule", "severity"),
    [
        ({"properties": {"security-severity": "9.0"}}, {}, "critical"),
        ({"properties": {"security-severity": 10}}, {}, "critical"),
        ({"properties": {"security-severity": "8.9"}}, {}, "high"),
        ({"properties": {"security-severity": 7}}, {}, "high"),
        ({"properties": {"security-severity": "6.99"}}, {}, "medium"),
        ({"properties": {"security-severity": 4.0}}, {}, "medium"),
        ({"properties": {"security-severity": "3.9"}}, {}, "low"),
        ({"properties": {"security-severity": 0.1}}, {}, "low"),
        ({"properties": {"security-severity": "0"}}, {}, "info"),
        # The result's score wins over the rule's; the rule's wins over any level.
        (
            {"properties": {"security-severity": "2"}},
            {"properties": {"security-severity": "9.5"}},
            "low",
        ),
        ({"level": "note"}, {"properties": {"security-severity": "9.5"}}, "critical"),
        # Not a score: the level decides.
        ({"level": "error", "properties": {"security-severity": "high"}}, {}, "high"),
        ({"level": "error", "properties": {"security-severity": "NaN"}}, {}, "high"),
        ({"level": "error", "properties": {"security-severity": "11"}}, {}, "high"),
        ({"level": "error", "properties": {"security-severity": True}}, {}, "high"),
        ({"level": "warning"}, {}, "medium"),
        ({"level": "note"}, {}, "low"),
        ({"level": "none"}, {}, "info"),
        ({}, {"defaultConfiguration": {"level": "error"}}, "high"),
        ({"level": "note"}, {"defaultConfiguration": {"level": "error"}}, "low"),
        ({}, {}, "medium"),  # SARIF's default level is warning
        ({"level": 3}, {}, "medium"),
        ({"level": "fatal\x00"}, {}, "fatal"),  # unknown: the tool's word, cleaned
    ],
)
def test_severity(result: dict[str, Any], rule: dict[str, Any], severity: str) -> None:
    finding = one({"ruleId": "R", "message": {"text": "m"}, **result}, rules=[{"id": "R", **rule}])
    assert finding.severity == severity


def test_severity_from_score() -> None:
    assert [severity_from_score(s) for s in (9, "7.0", " 4 ", 0.01, 0, -1, None, [], "1e999")] == [
        "critical",
        "high",
        "medium",
        "low",
        "info",
        None,
        None,
        None,
        None,
    ]


def location(artifact: dict[str, Any], region: Any = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if region is not None:
        physical["region"] = region
    return {"locations": [{"physicalLocation": physical}], "message": {"text": "m"}}


@pytest.mark.parametrize(
    ("result", "file", "line"),
    [
        (location({"uri": "src/a.py", "uriBaseId": "%SRCROOT%"}, {"startLine": 3}), "src/a.py", 3),
        (
            location({"uri": "file:///home/runner/work/a.py"}, {"startLine": 1}),
            "/home/runner/work/a.py",
            1,
        ),
        (location({"uri": "src/my%20file.py"}), "src/my file.py", None),
        (location({"uri": "https://example.com/x%20y"}), "https://example.com/x%20y", None),
        (location({"uri": "a.py"}, {"startLine": 0}), "a.py", None),
        (location({"uri": "a.py"}, {"startLine": -4}), "a.py", None),
        (location({"uri": "a.py"}, {"startLine": "12"}), "a.py", None),
        (location({"uri": "a.py"}, {"startLine": 1.5}), "a.py", None),
        (location({"uri": "a.py"}, {"startLine": True}), "a.py", None),
        (location({"uri": "a.py"}, {"startLine": 10**30}), "a.py", None),
        (location({"uri": "a.py"}, "region"), "a.py", None),
        (location({"index": 1}), "b.py", None),
        (location({"index": 9}), None, None),
        (location({"uri": ""}), None, None),
        (location({"uri": ["a"]}), None, None),
        ({"locations": []}, None, None),
        ({"locations": [None]}, None, None),
        ({"locations": "a.py"}, None, None),
        ({}, None, None),
    ],
)
def test_location(result: dict[str, Any], file: str | None, line: int | None) -> None:
    document = {
        "runs": [
            {
                "tool": {"driver": {"name": "t"}},
                "artifacts": [{"location": {"uri": "a.py"}}, {"location": {"uri": "b.py"}}],
                "results": [result],
            }
        ]
    }
    (finding,) = parse_sarif(document)
    assert (finding.file, finding.line) == (file, line)


def test_non_problems_and_suppressions_are_left_out() -> None:
    results = [
        {"ruleId": "pass", "kind": "pass"},
        {"ruleId": "na", "kind": "notApplicable"},
        {"ruleId": "review", "kind": "review"},
        {"ruleId": "accepted", "suppressions": [{"kind": "inSource"}]},
        {"ruleId": "accepted2", "suppressions": [{"kind": "external", "status": "accepted"}]},
        {"ruleId": "rejected", "suppressions": [{"kind": "external", "status": "rejected"}]},
        {"ruleId": "mixed", "suppressions": [{"status": "accepted"}, {"status": "underReview"}]},
        {"ruleId": "empty", "suppressions": []},
    ]
    document = {"runs": [{"tool": {"driver": {"name": "t"}}, "results": results}]}
    assert [f.rule for f in parse_sarif(document)] == ["review", "rejected", "mixed", "empty"]


def test_strings_are_cleaned_and_cut() -> None:
    finding = one(
        {
            "ruleId": "r\x00ule\ud800",
            "message": {"text": "bad\x00 \udfffmessage " + "x" * 10_000},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a\x00.py"}}}],
        },
    )
    assert finding.rule == "rule"
    assert finding.message.startswith("bad message x")
    assert len(finding.message) <= 4000
    assert finding.file == "a.py"
    (tool_named,) = parse_sarif(
        {"runs": [{"tool": {"driver": {"name": " T\x00rivy\udc80 "}}, "results": [{}]}]}
    )
    assert tool_named.tool == "Trivy"
    long_rule = one({"ruleId": "r" * 5000})
    assert len(long_rule.rule) == 1000
    finding.message.encode("utf-8")  # storable: no lone surrogate left


def test_several_runs_and_empty_results() -> None:
    document = {
        "version": "2.1.0",
        "runs": [
            {"tool": {"driver": {"name": "gosec"}}, "results": [{"ruleId": "G101"}]},
            {"tool": {"driver": {"name": "Bandit"}}},
            {"tool": {"driver": {"name": "Bandit"}}, "results": None},
            {"tool": {"driver": {"name": "Bandit"}}, "results": [{"ruleId": "B105"}]},
        ],
    }
    assert [(f.tool, f.rule) for f in parse_sarif(document)] == [
        ("gosec", "G101"),
        ("Bandit", "B105"),
    ]
    assert parse_sarif({"runs": []}) == []


# --- not SARIF -----------------------------------------------------------------------------

DRIVER = {"tool": {"driver": {"name": "t"}}}


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ([], "JSON object, not list"),
        ("runs", "JSON object, not str"),
        (None, "JSON object, not NoneType"),
        ({}, "no 'runs' list"),
        ({"version": "2.1.0"}, "no 'runs' list"),
        ({"runs": {"0": DRIVER}}, "no 'runs' list"),
        ({"version": "2.0.0", "runs": [DRIVER]}, "'2.0.0' is not supported"),
        ({"version": 2.1, "runs": [DRIVER]}, "'2.1' is not supported"),
        ({"runs": [DRIVER, "run"]}, "runs[1] is not an object"),
        ({"runs": [{"tool": {}}]}, "runs[0].tool.driver.name is missing"),
        ({"runs": [{"tool": {"driver": {"name": " "}}}]}, "runs[0].tool.driver.name"),
        ({"runs": [{"tool": {"driver": {"name": 7}}}]}, "runs[0].tool.driver.name"),
        ({"runs": [{"tool": "CodeQL"}]}, "runs[0].tool.driver.name"),
        ({"runs": [{**DRIVER, "results": {"a": 1}}]}, "runs[0].results is not a list"),
        ({"runs": [DRIVER, {**DRIVER, "results": [{}, 3]}]}, "runs[1].results[1] is not"),
    ],
)
def test_not_sarif(document: Any, words: str) -> None:
    with pytest.raises(SarifError) as caught:
        parse_sarif(document)
    assert words in str(caught.value)


def test_missing_version_is_accepted_when_runs_are_well_formed() -> None:
    assert [f.rule for f in parse_sarif({"runs": [{**DRIVER, "results": [{"ruleId": "a"}]}]})] == [
        "a"
    ]


def test_too_many_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif, "MAX_FINDINGS", 3)
    runs = [{**DRIVER, "results": [{}, {}]}, {**DRIVER, "results": [{}]}]
    assert len(parse_sarif({"runs": runs})) == 3
    runs[1]["results"] = [{}, {}]
    with pytest.raises(SarifError, match="4 results; at most 3"):
        parse_sarif({"runs": runs})


# --- fuzzing -------------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
#: A wrong-typed value where SARIF expects something else.
NOISE = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=5)
    | st.lists(st.integers(), max_size=2)
    | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly ``strategy``, one time in five noise."""
    return st.integers(0, 4).flatmap(lambda pick: NOISE if pick == 0 else strategy)


def shape(**members: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An object with any subset of the members (each possibly of the wrong type), or noise."""
    return maybe(st.fixed_dictionaries({}, optional=members))


TEXT = maybe(st.text(max_size=12))
INDEX = maybe(st.integers(min_value=-1, max_value=4))
SCORE = maybe(st.floats(min_value=-1, max_value=12) | st.sampled_from(["9.8", "5", "x", ""]))
LEVEL = maybe(st.sampled_from(["error", "warning", "note", "none", "weird"]))
RULE = shape(
    id=TEXT,
    messageStrings=maybe(st.dictionaries(st.sampled_from(["default", "m"]), shape(text=TEXT))),
    shortDescription=shape(text=TEXT),
    fullDescription=shape(text=TEXT),
    defaultConfiguration=shape(level=LEVEL),
    properties=shape(**{"security-severity": SCORE}),
)
LOCATION = maybe(
    st.fixed_dictionaries(
        {
            "physicalLocation": maybe(
                st.fixed_dictionaries(
                    {
                        "artifactLocation": maybe(
                            st.fixed_dictionaries({"uri": TEXT}, optional={"index": INDEX})
                        ),
                        "region": maybe(st.fixed_dictionaries({"startLine": maybe(st.integers())})),
                    }
                )
            )
        }
    )
)
RULE_LIST = maybe(st.lists(RULE, max_size=4))
RESULT = st.fixed_dictionaries(
    {},
    optional={
        "ruleId": TEXT,
        "ruleIndex": INDEX,
        "rule": shape(id=TEXT, index=INDEX, toolComponent=shape(index=INDEX)),
        "message": shape(
            text=TEXT,
            id=maybe(st.sampled_from(["default", "m", "other"])),
            arguments=maybe(st.lists(TEXT, max_size=3)),
            markdown=TEXT,
        ),
        "level": LEVEL,
        "kind": maybe(st.sampled_from(["fail", "pass", "review"])),
        "locations": maybe(st.lists(LOCATION, min_size=1, max_size=2)),
        "properties": shape(**{"security-severity": SCORE}),
        "suppressions": maybe(st.lists(shape(status=TEXT), max_size=2)),
    },
)
RUN = st.fixed_dictionaries(
    {
        "tool": st.fixed_dictionaries(
            {
                "driver": st.fixed_dictionaries(
                    {"name": st.just("tool")}, optional={"rules": RULE_LIST}
                )
            },
            optional={"extensions": maybe(st.lists(shape(rules=RULE_LIST), max_size=2))},
        )
    },
    optional={
        "results": st.lists(RESULT, max_size=4),
        "artifacts": maybe(st.lists(shape(location=shape(uri=TEXT)), max_size=3)),
    },
)


@settings(max_examples=300)
@given(JSON)
def test_arbitrary_json_only_raises_sarif_error(document: Any) -> None:
    with contextlib.suppress(SarifError):
        parse_sarif(document)


@settings(max_examples=300, deadline=None)
@given(st.lists(RUN, max_size=3))
def test_sarif_with_wrong_typed_members_never_raises(runs: list[dict[str, Any]]) -> None:
    findings = parse_sarif({"version": "2.1.0", "runs": runs})
    assert len(findings) <= sum(len(run.get("results", ())) for run in runs)
    for finding in findings:
        assert finding.tool == "tool"
        assert isinstance(finding.rule, str)
        assert isinstance(finding.message, str)
        assert finding.severity in ("critical", "high", "medium", "low", "info", "weird") or (
            0 < len(finding.severity) <= 40 and finding.severity.strip() == finding.severity
        )  # noise in "level" is kept as the tool's word
        assert finding.file is None or (isinstance(finding.file, str) and finding.file)
        assert finding.line is None or (type(finding.line) is int and finding.line >= 1)
        for text in (finding.rule, finding.message, finding.file or ""):
            text.encode("utf-8")  # no lone surrogate survives
            assert "\x00" not in text
