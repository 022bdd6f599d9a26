"""Mask secrets (tokens, keys, passwords) in CI log text before it is shown or stored.

Placeholders are per kind: a masked value becomes ``<redacted:KIND>`` where KIND is the name of
the SecretRule that found it, e.g. ``<redacted:github_token>``. Only the secret value is replaced:
key names, URL users and hosts, header names and the rest of the line stay as they were.

Design notes:
- Every rule has literal keywords; a rule's regex runs only when one of its keywords occurs in the
  text (keywords with an upper-case letter are case-sensitive, the others are not), so strings
  without any candidate cost a few substring tests.
- Matches of all rules are found on the same text, overlapping spans are merged, and the pass is
  repeated until nothing changes, so ``redact(redact(x)) == redact(x)``. No rule matches text that
  starts with a placeholder's ``<``.
- Patterns are linear: token bodies are possessive or bounded, and every unbounded run is preceded
  by a literal or a look-behind, so it starts only at the beginning of a maximal run.
- Redaction is per string: the base64 lines of a private key are masked only when they are in the
  same string as the ``-----BEGIN ... PRIVATE KEY-----`` header.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

REDACTED = "<redacted:{kind}>"
"""Template of the placeholder; ``placeholder(kind)`` fills it."""

_MAX_PASSES = 8


def placeholder(kind: str) -> str:
    """The text that replaces a secret found by the rule named ``kind``."""
    return REDACTED.format(kind=kind)


@dataclass(frozen=True)
class SecretRule:
    """A named regex; ``group`` is the named group to mask (the whole match when None)."""

    name: str
    pattern: re.Pattern[str]
    group: str | None
    keywords: tuple[str, ...] = ()
    """The rule runs only on text containing one of these (empty: always runs)."""
    check: Callable[[str], bool] | None = None
    """A found value is masked only when this returns True for it (None: always masked)."""


_NOT_SECRET = re.compile(
    r"[$%{<\[(]"  # $VAR, ${{ secrets.X }}, %s, {{ var }}, <redacted>, [secure], $(cmd)
    r"|[*xX#._•-]+$"  # ********, xxxxxxxx
    r"|(?i:null|none|nil|true|false|yes|no|undefined|redacted|masked|hidden|secure|secret"
    r"|password|changeme|required|optional|empty|string|str|bool|int|omitted)$"
    r"|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$"  # os.environ, secrets.GITHUB_TOKEN, self.password
)


def _is_placeholder(value: str) -> bool:
    """True for values that stand for a secret without being one."""
    return _NOT_SECRET.match(value) is not None


def _entropy(value: str) -> float:
    """Shannon entropy of value in bits per character."""
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def _looks_random(value: str) -> bool:
    """At least 8 characters, not a placeholder, and high entropy or mixed character classes."""
    if len(value) < 8 or _is_placeholder(value):
        return False
    lower = any(c.islower() for c in value)
    upper = any(c.isupper() for c in value)
    digit = any(c.isdigit() for c in value)
    other = any(not c.isalnum() for c in value)
    mixed = ((lower or upper) and digit) or lower + upper + digit + other >= 3
    return mixed or _entropy(value) >= 3.0


def _not_placeholder(value: str) -> bool:
    return not _is_placeholder(value)


_B = r"(?<![A-Za-z0-9_-])"  # a token starts at the beginning of a word
_E = r"(?![A-Za-z0-9_-])"  # and ends at its end
_SEP = r"""["']?[ \t]*+(?:=>|:=|[:=])[ \t]*+["']?"""  # KEY=v, KEY: v, "key": "v", key => 'v'
_VALUE = r"""(?P<secret>[^\s"'`,;<>(){}\[\]|&]++)(?![(\[])"""  # not a call such as get(...)
_KEYS = (
    r"(?:pass(?:word|wd)|secret|token|_auth|(?:api|access|secret|private|signing|encryption"
    r"|master)[_-]?key|apikey)"
)


def _rule(
    name: str,
    pattern: str,
    keywords: str,
    group: str | None = None,
    check: Callable[[str], bool] | None = None,
) -> SecretRule:
    return SecretRule(name, re.compile(pattern), group, tuple(keywords.split()), check)


RULES: tuple[SecretRule, ...] = (
    _rule(
        "private_key",
        r"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"
        r"(?:\s*+(?:Proc-Type|DEK-Info|Version|Comment):[^\r\n]*+)*(?:\s|\\[nr])*+"
        r"(?P<secret>[A-Za-z0-9+/=]++(?:(?:\s|\\[nr])++[A-Za-z0-9+/=]++)*+)",
        "private",
        "secret",
    ),
    _rule(
        "jwt",
        _B + r"eyJ[A-Za-z0-9_-]{4,}+\.eyJ[A-Za-z0-9_-]{4,}+\.[A-Za-z0-9_-]*+",
        "eyJ",
    ),
    _rule(
        "github_token",
        _B + r"(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{40,244})" + _E,
        "ghp_ gho_ ghu_ ghs_ ghr_ github_pat_",
    ),
    _rule(
        "gitlab_token",
        _B + r"(?:gl(?:pat|dt|rt|ptt|ft|oas|cbt|soat|imt)-|GR1348941)"
        r"[A-Za-z0-9_-]{20,255}+(?:\.[A-Za-z0-9_-]++)*+",
        "glpat- gldt- glrt- glptt- glft- gloas- glcbt- glsoat- glimt- GR1348941",
    ),
    _rule("slack_token", _B + r"(?:xox[abposer]|xapp)-[A-Za-z0-9-]{10,255}+", "xox xapp-"),
    _rule(
        "slack_webhook",
        r"hooks\.slack\.com/(?:services|workflows|triggers)/(?:[A-Za-z0-9]++/){1,3}"
        r"(?P<secret>[A-Za-z0-9]{16,255}+)",
        "hooks.slack.com",
        "secret",
    ),
    _rule("aws_access_key_id", r"(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])",
          "AKIA ASIA"),
    _rule(
        "aws_secret_key",
        r"(?i:aws_?secret(?:_?access)?_?key|secret_?access_?key)"
        r"""(?:["']?[ \t]*+(?:=|:)[ \t]*+["']?|[ \t]++)"""
        r"(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
        "secret",
        "secret",
    ),
    _rule("npm_token", _B + r"npm_[A-Za-z0-9]{36}" + _E, "npm_"),
    _rule("pypi_token", _B + r"pypi-AgE[A-Za-z0-9_-]{50,}+", "pypi-"),
    _rule(
        "google_api_key",
        _B + r"(?:AIza[A-Za-z0-9_-]{35}|GOCSPX-[A-Za-z0-9_-]{28}|ya29\.[A-Za-z0-9_-]{20,}+)" + _E,
        "AIza GOCSPX- ya29.",
    ),
    _rule(
        "stripe_key",
        _B + r"(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}|whsec_[A-Za-z0-9]{24,64})" + _E,
        "sk_live_ rk_live_ sk_test_ rk_test_ whsec_",
    ),
    _rule("twilio_key", r"(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])", "SK"),
    _rule("sendgrid_key", _B + r"SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}" + _E, "SG."),
    _rule("heroku_key", _B + r"HRKU-[A-Za-z0-9_-]{20,255}+", "HRKU-"),
    _rule("docker_pat", _B + r"dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,255}+", "dckr_"),
    _rule(
        "azure_storage_key",
        r"(?i:AccountKey|SharedAccessKey)=(?P<secret>[A-Za-z0-9+/]{20,255}+={0,2})",
        "accountkey= sharedaccesskey=",
        "secret",
    ),
    _rule("url_password", r"://[^\s:/@]*+:(?P<secret>[^\s/]+)@", "://", "secret",
          _not_placeholder),
    _rule(
        "auth_header",
        r"(?i:authorization)" + _SEP + r"(?:(?i:bearer|basic|token|bot|digest|apikey)[ \t]++)?"
        r"(?P<secret>[A-Za-z0-9._~+/=-]{8,}+)",
        "authorization",
        "secret",
        _looks_random,
    ),
    _rule(
        "bearer_token",
        r"(?<![A-Za-z0-9])(?i:bearer)[ \t]++(?P<secret>[A-Za-z0-9._~+/=-]{8,}+)",
        "bearer",
        "secret",
        _looks_random,
    ),
    _rule(
        "cli_password",
        r"(?<![A-Za-z0-9-])--(?:[A-Za-z0-9]++-)*?(?i:password|passwd|token|secret|api-key"
        r"|access-key)[ \t]++" + _VALUE,
        "--",
        "secret",
        _looks_random,
    ),
    _rule(
        "login_password",
        r"(?i:\blogin)(?:[ \t]++(?!-p[ \t])\S++){0,12}[ \t]++-p[ \t]++" + _VALUE,
        "login",
        "secret",
        _looks_random,
    ),
    _rule("assignment", r"(?i:" + _KEYS + ")" + _SEP + _VALUE,
          "pass secret token _auth key", "secret", _looks_random),
)


def _build_index() -> tuple[tuple[tuple[str, tuple[int, ...]], ...], ...]:
    """(case-insensitive, case-sensitive) keyword -> indices of the rules that need it."""
    found: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
    for index, rule in enumerate(RULES):
        for keyword in rule.keywords:
            sensitive = keyword != keyword.lower()
            found[sensitive].setdefault(keyword, []).append(index)
    return tuple(tuple((k, tuple(v)) for k, v in d.items()) for d in found)


_INSENSITIVE, _SENSITIVE = _build_index()
_ALWAYS = tuple(i for i, rule in enumerate(RULES) if not rule.keywords)


def _candidate_rules(text: str) -> list[int]:
    """Indices, in RULES order, of the rules whose keywords occur in text."""
    chosen = set(_ALWAYS)
    for keyword, indices in _SENSITIVE:
        if keyword in text:
            chosen.update(indices)
    lowered = text.lower()
    for keyword, indices in _INSENSITIVE:
        if keyword in lowered:
            chosen.update(indices)
    return sorted(chosen)


def _find(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, rule index) of every secret value in text."""
    for index in _candidate_rules(text):
        rule = RULES[index]
        for match in rule.pattern.finditer(text):
            start, end = match.span(rule.group) if rule.group else match.span()
            if start >= end:
                continue
            if rule.check is None or rule.check(text[start:end]):
                yield start, end, index


def _redact_once(text: str) -> str:
    spans = sorted(_find(text), key=lambda s: (s[0], -s[1], s[2]))
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    cur_start, cur_end, cur_rule = spans[0]
    for start, end, index in spans[1:] + [(len(text) + 1, len(text) + 1, 0)]:
        if start < cur_end:
            cur_end = max(cur_end, end)
            continue
        parts += [text[pos:cur_start], placeholder(RULES[cur_rule].name)]
        pos = cur_end
        cur_start, cur_end, cur_rule = start, end, index
    parts.append(text[pos:])
    return "".join(parts)


def redact(text: str) -> str:
    """text with every secret value replaced by its placeholder; text itself when none is found."""
    for _ in range(_MAX_PASSES):
        masked = _redact_once(text)
        if masked is text or masked == text:
            return text
        text = masked
    return text


def contains_secret(text: str) -> bool:
    """True when redact(text) would change text."""
    return next(_find(text), None) is not None
