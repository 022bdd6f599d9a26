"""SARIF 2.1.0 documents (CodeQL, Semgrep, Trivy, gosec, Bandit ...) to ``Finding`` rows. Pure:
no web framework, no database.

The input is an already parsed JSON value and is untrusted: any member may be missing or of
the wrong type. The document's skeleton (``runs``, each run's ``tool.driver.name``, each
``results`` list) must be right, else ``SarifError``; inside a result, a member that is
missing or malformed only loses that field (no rule id, no file, no line), never the finding.
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import unquote

from ciwhy.ingest.runs import Finding

__all__ = ["MAX_FINDINGS", "SarifError", "parse_sarif", "severity_from_score"]

MAX_FINDINGS = 100_000
MAX_NAME = 1_000
MAX_MESSAGE = 4_000
MAX_LINE = 2**31 - 1

#: SARIF ``level`` to our severity words.
LEVEL_SEVERITY = {"error": "high", "warning": "medium", "note": "low", "none": "info"}
#: Results that say "no problem here" (SARIF ``kind``); they are not findings.
NOT_A_PROBLEM = frozenset({"pass", "notApplicable"})

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_PLACEHOLDER = re.compile(r"\{(\d{1,4})\}")


class SarifError(ValueError):
    """A document that is not SARIF 2.1.0, or holds more findings than accepted. The message
    says what is wrong and where (``runs[2].tool.driver.name``)."""


def _clean(value: str, limit: int) -> str:
    return _UNSTORABLE.sub("", value[:limit])


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    """A non-blank string, else ``None``."""
    return value if isinstance(value, str) and value.strip() else None


def _index(value: Any) -> int | None:
    """A JSON integer >= 0 (booleans are not integers here), else ``None``."""
    return value if type(value) is int and value >= 0 else None


def severity_from_score(score: Any) -> str | None:
    """A CVSS score (number or numeric string, as ``security-severity`` holds it) as critical
    (>= 9), high (>= 7), medium (>= 4), low (> 0) or info (0). ``None`` for anything that is
    not a finite number from 0 to 10."""
    if isinstance(score, bool) or not isinstance(score, int | float | str):
        return None
    try:
        value = float(score.strip()[:32] if isinstance(score, str) else score)
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(value) or not 0 <= value <= 10:
        return None
    if value >= 9:
        return "critical"
    if value >= 7:
        return "high"
    if value >= 4:
        return "medium"
    return "low" if value > 0 else "info"


def _check_document(doc: Any) -> list[Any]:
    if not isinstance(doc, dict):
        raise SarifError(f"a SARIF document is a JSON object, not {type(doc).__name__}")
    version = doc.get("version")
    if version is not None and version != "2.1.0":
        shown = _clean(str(version), 40)
        raise SarifError(f"SARIF version {shown!r} is not supported; only 2.1.0 is")
    runs = doc.get("runs")
    if not isinstance(runs, list):
        raise SarifError("not a SARIF document: it has no 'runs' list")
    for number, run in enumerate(runs):
        where = f"runs[{number}]"
        if not isinstance(run, dict):
            raise SarifError(f"{where} is not an object")
        if _text(_obj(_obj(run.get("tool")).get("driver")).get("name")) is None:
            raise SarifError(f"{where}.tool.driver.name is missing: a run names its tool")
        results = run.get("results")
        if results is not None and not isinstance(results, list):
            raise SarifError(f"{where}.results is not a list")
        for position, result in enumerate(results or ()):
            if not isinstance(result, dict):
                raise SarifError(f"{where}.results[{position}] is not an object")
    return runs


class _Rules:
    """The rules of one run: the driver's and each extension's (CodeQL keeps its queries in
    ``tool.extensions``), by position and by id."""

    def __init__(self, tool: dict[str, Any]) -> None:
        driver = _obj(tool.get("driver"))
        extensions = tool.get("extensions")
        listed_extensions = extensions if isinstance(extensions, list) else []
        components = [driver, *(_obj(e) for e in listed_extensions)]
        self.components: list[list[dict[str, Any]]] = []
        self.by_id: dict[str, dict[str, Any]] = {}
        for component in components:
            rules = component.get("rules")
            listed = [_obj(r) for r in rules] if isinstance(rules, list) else []
            self.components.append(listed)
            for rule in listed:
                rule_id = rule.get("id")
                if isinstance(rule_id, str):
                    self.by_id.setdefault(rule_id, rule)
        self.global_strings = _obj(driver.get("globalMessageStrings"))

    def find(self, result: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
        """The result's rule id and rule object (``{}`` when the run does not describe it)."""
        reference = _obj(result.get("rule"))
        component = _index(_obj(reference.get("toolComponent")).get("index"))
        position = _index(reference.get("index"))
        if position is None:
            position = _index(result.get("ruleIndex"))
        rule: dict[str, Any] = {}
        # rule.toolComponent.index counts tool.extensions; without it the rule is the driver's.
        slot = 0 if component is None else 1 + component
        rules = self.components[slot] if slot < len(self.components) else []
        if position is not None and position < len(rules):
            rule = rules[position]
        rule_id = _text(result.get("ruleId")) or _text(reference.get("id")) or _text(rule.get("id"))
        if not rule and rule_id is not None:
            rule = self.by_id.get(rule_id, {})
        return rule_id, rule


def _message(result: dict[str, Any], rule: dict[str, Any], rules: _Rules) -> str | None:
    message = _obj(result.get("message"))
    text = _text(message.get("text"))
    if text is None and isinstance(message.get("id"), str):
        strings = _obj(rule.get("messageStrings")).get(message["id"])
        if strings is None:
            strings = rules.global_strings.get(message["id"])
        template = _text(_obj(strings).get("text"))
        if template is not None:
            arguments = message.get("arguments")
            args = [str(a) for a in arguments] if isinstance(arguments, list) else []
            text = _PLACEHOLDER.sub(
                lambda m: args[int(m[1])] if int(m[1]) < len(args) else m[0], template
            )
    if text is None:
        text = _text(message.get("markdown"))
    for description in ("shortDescription", "fullDescription"):
        if text is None:
            text = _text(_obj(rule.get(description)).get("text"))
    return text


def _severity(result: dict[str, Any], rule: dict[str, Any]) -> str:
    for properties in (result.get("properties"), rule.get("properties")):
        severity = severity_from_score(_obj(properties).get("security-severity"))
        if severity is not None:
            return severity
    level = result.get("level")
    if not isinstance(level, str):
        level = _obj(rule.get("defaultConfiguration")).get("level")
    word = _clean(level, 40).strip() if isinstance(level, str) else ""
    # Absent (or blank) means SARIF's default level, warning; an unknown word is kept.
    return LEVEL_SEVERITY.get(word.lower(), word) if word else "medium"


def _location(result: dict[str, Any], artifacts: Any) -> tuple[str | None, int | None]:
    locations = result.get("locations")
    if not isinstance(locations, list) or not locations:
        return None, None
    physical = _obj(_obj(locations[0]).get("physicalLocation"))
    artifact = _obj(physical.get("artifactLocation"))
    uri = _text(artifact.get("uri"))
    position = _index(artifact.get("index"))
    listed = artifacts if isinstance(artifacts, list) else []
    if uri is None and position is not None and position < len(listed):
        uri = _text(_obj(_obj(listed[position]).get("location")).get("uri"))
    path: str | None = None
    if uri is not None:
        # Relative to its uriBaseId (%SRCROOT%, ROOTPATH ...): kept relative, not resolved.
        path = uri[len("file://") :] if uri.startswith("file://") else uri
        if "://" not in path:
            path = unquote(path)
        path = _clean(path, MAX_NAME) or None
    start = _index(_obj(physical.get("region")).get("startLine"))
    line = start if start is not None and 1 <= start <= MAX_LINE else None
    return path, line


def _suppressed(result: dict[str, Any]) -> bool:
    """Whether every suppression of the result is accepted (status absent means accepted)."""
    suppressions = result.get("suppressions")
    if not isinstance(suppressions, list) or not suppressions:
        return False
    return all(_obj(s).get("status", "accepted") == "accepted" for s in suppressions)


def parse_sarif(doc: Any) -> list[Finding]:
    """The findings of a parsed SARIF 2.1.0 document, run by run, in document order.

    Raises ``SarifError`` (never anything else) when ``doc`` is not a JSON object, names a
    ``version`` other than ``"2.1.0"`` (a missing version is accepted when the skeleton is
    right), has no ``runs`` list, has a run that is not an object or lacks
    ``tool.driver.name``, a ``results`` that is not a list of objects, or more than
    ``MAX_FINDINGS`` results in all (checked before any finding is built).

    Per result: ``tool`` is the driver's name; ``rule`` the ``ruleId``, else ``rule.id``, else
    the id of the rule the result points at (``rule.index``/``ruleIndex``, into the extension
    ``rule.toolComponent.index`` names, else the driver), else ``""``; ``message`` its text,
    else ``message.id`` resolved through the rule's ``messageStrings`` (``{0}`` filled from
    ``arguments``) or the driver's ``globalMessageStrings``, else its markdown, else the
    rule's short or full description, else the rule id; ``severity`` from the
    ``security-severity`` CVSS score on the result or its rule (``severity_from_score``), else
    the result's ``level`` or the rule's ``defaultConfiguration.level`` (error high, warning
    medium, note low, none info; absent means SARIF's default, warning; an unknown word is
    kept as written); ``file`` the first location's uri, left relative to its ``uriBaseId``
    (a ``file://`` prefix dropped, percent escapes decoded); ``line`` its ``region.startLine``
    when a positive integer. Results whose ``kind`` is ``pass`` or ``notApplicable``, and
    results whose suppressions are all accepted, are not findings and are left out. Strings
    lose NUL and lone surrogates; names and paths are cut to 1,000 characters, messages to
    4,000.
    """
    runs = _check_document(doc)
    total = sum(len(run.get("results") or ()) for run in runs)
    if total > MAX_FINDINGS:
        raise SarifError(
            f"the document has {total:,} results; at most {MAX_FINDINGS:,} are accepted"
        )
    findings: list[Finding] = []
    for run in runs:
        tool_object = _obj(run.get("tool"))
        tool = _clean(tool_object["driver"]["name"].strip(), MAX_NAME)
        rules = _Rules(tool_object)
        for result in run.get("results") or ():
            kind = result.get("kind")
            if (isinstance(kind, str) and kind in NOT_A_PROBLEM) or _suppressed(result):
                continue
            rule_id, rule = rules.find(result)
            message = _message(result, rule, rules) or rule_id or ""
            file, line = _location(result, run.get("artifacts"))
            findings.append(
                Finding(
                    tool=tool,
                    rule=_clean(rule_id or "", MAX_NAME),
                    severity=_severity(result, rule),
                    message=_clean(message, MAX_MESSAGE),
                    file=file,
                    line=line,
                )
            )
    return findings
