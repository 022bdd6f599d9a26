"""Mask secrets (tokens, keys, passwords) in CI log text before it is shown or stored.

A masked value becomes ``<redacted:KIND>``, KIND being the name of the SecretRule that found it
(e.g. ``<redacted:github_token>``). Only the value is replaced: key names, URL users and hosts and
the rest of the line stay readable. A rule's regex runs only when one of its keywords occurs in the
text (keywords with an upper-case letter are case-sensitive), so clean strings cost a few substring
tests. Spans of all rules are merged and the pass repeats until nothing changes, so redaction is
idempotent; no rule masks a value starting with ``<``. Patterns are linear: bodies are bounded or
possessive and unbounded runs start after a literal or a look-behind. Redaction is per string: a
private key's base64 lines are masked only when in the same string as their BEGIN header.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_Check = Callable[[str], bool] | None

REDACTED = "<redacted:{kind}>"  # template of the placeholder; placeholder(kind) fills it

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
    keywords: tuple[str, ...] = ()  # the rule runs only on text containing one (empty: always)
    check: _Check = None  # a value is masked only if check(value) is True


_MARKER = r"[$%{<\[(]|[*xX#._•-]+$"  # $VAR ${{ x }} %s {{ x }} <redacted> [secure] ****
_IS_MARKER = re.compile(_MARKER)
_NOT_SECRET = re.compile(
    _MARKER + r"|(?i:null|none|nil|true|false|yes|no|undefined|redacted|masked|hidden|secure|secret"
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


def _not_marker(value: str) -> bool:
    """False for $VAR, ${{ secrets.X }}, <redacted>, ****: a URL password is masked otherwise."""
    return _IS_MARKER.match(value) is None


_B = r"(?<![A-Za-z0-9_-])"  # a token starts at the beginning of a word
_E = r"(?![A-Za-z0-9_-])"  # and ends at its end
_SEP = r"""["']?[ \t]*+(?:=>|:=|[:=])[ \t]*+["']?"""  # KEY=v, KEY: v, "key": "v", key => 'v'
# As _SEP, but "key:value" must have a space or quote after ':': "user-token:pw@host" is a URL's
_ASSIGN = r"""["']?[ \t]*+(?:=>|:=|=|:(?=[ \t"']))[ \t]*+["']?"""
_VALUE = r"""(?P<secret>[^\s"'`,;<>(){}\[\]|&]++)(?![(\[])"""  # not a call such as get(...)
_KEYS = (
    r"(?:pass(?:word|wd)|secret|token|_auth|(?:api|access|secret|private|signing|encryption"
    r"|master)[_-]?key|apikey)"
)
_R = _looks_random


def _rule(name: str, keywords: str, pattern: str, check: _Check = None) -> SecretRule:
    """A rule masking its (?P<secret>...) group, or the whole match when it has none."""
    group = "secret" if "(?P<secret>" in pattern else None
    return SecretRule(name, re.compile(pattern), group, tuple(keywords.split()), check)


RULES: tuple[SecretRule, ...] = (
    _rule(
        "private_key",
        "private",
        r"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"
        r"(?:\s*+(?:Proc-Type|DEK-Info|Version|Comment):[^\r\n]*+)*(?:\s|\\[nr])*+"
        r"(?P<secret>[A-Za-z0-9+/=]++(?:(?:\s|\\[nr])++[A-Za-z0-9+/=]++)*+)",
    ),
    _rule("jwt", "eyJ", _B + r"eyJ[A-Za-z0-9_-]{4,}+\.eyJ[A-Za-z0-9_-]{4,}+\.[A-Za-z0-9_-]*+"),
    _rule(
        "github_token",
        "ghp_ gho_ ghu_ ghs_ ghr_ github_pat_",
        _B + r"(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{40,244})" + _E,
    ),
    _rule(
        "gitlab_token",
        "glpat- gldt- glrt- glptt- glft- gloas- glcbt- glsoat- glimt- GR1348941",
        _B + r"(?:gl(?:pat|dt|rt|ptt|ft|oas|cbt|soat|imt)-|GR1348941)"
        r"[A-Za-z0-9_-]{20,255}+(?:\.[A-Za-z0-9_-]++)*+",
    ),
    _rule("slack_token", "xox xapp-", _B + r"(?:xox[abposer]|xapp)-[A-Za-z0-9-]{10,255}+"),
    _rule(
        "slack_webhook",
        "hooks.slack.com",
        r"hooks\.slack\.com/(?:services|workflows|triggers)/(?:[A-Za-z0-9]++/){1,3}"
        r"(?P<secret>[A-Za-z0-9]{16,255}+)",
    ),
    _rule("aws_access_key_id", "AKIA ASIA", r"(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}" + _E),
    _rule(
        "aws_secret_key",
        "secret",
        r"(?i:aws_?secret(?:_?access)?_?key|secret_?access_?key)"
        r"""(?:["']?[ \t]*+[=:][ \t]*+["']?|[ \t]++)"""
        r"(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
    ),
    _rule("npm_token", "npm_", _B + r"npm_[A-Za-z0-9]{36}" + _E),
    _rule("pypi_token", "pypi-", _B + r"pypi-AgE[A-Za-z0-9_-]{50,}+"),
    _rule(
        "google_api_key",
        "AIza GOCSPX- ya29.",
        _B + r"(?:AIza[A-Za-z0-9_-]{35}|GOCSPX-[A-Za-z0-9_-]{28}|ya29\.[A-Za-z0-9_-]{20,}+)" + _E,
    ),
    _rule(
        "stripe_key",
        "sk_live_ rk_live_ sk_test_ rk_test_ whsec_",
        _B + r"(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}|whsec_[A-Za-z0-9]{24,64})" + _E,
    ),
    _rule("twilio_key", "SK", r"(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])"),
    _rule("sendgrid_key", "SG.", _B + r"SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}" + _E),
    _rule("heroku_key", "HRKU-", _B + r"HRKU-[A-Za-z0-9_-]{20,255}+"),
    _rule("docker_pat", "dckr_", _B + r"dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,255}+"),
    _rule(
        "azure_storage_key",
        "accountkey= sharedaccesskey=",
        r"(?i:AccountKey|SharedAccessKey)=(?P<secret>[A-Za-z0-9+/]{20,255}+={0,2})",
    ),
    _rule("url_password", "://", r"://[^\s:/@]*+:(?P<secret>[^\s/]+)@", _not_marker),
    _rule(
        "auth_header",
        "authorization",
        r"(?i:authorization)" + _SEP + r"(?:(?i:bearer|basic|token|bot|digest|apikey)[ \t]++)?"
        r"(?P<secret>[A-Za-z0-9._~+/=-]{8,}+)",
        _R,
    ),
    _rule(
        "bearer_token",
        "bearer",
        r"(?<![A-Za-z0-9])(?i:bearer)[ \t]++(?P<secret>[A-Za-z0-9._~+/=-]{8,}+)",
        _R,
    ),
    _rule(
        "cli_password",
        "--",
        r"(?<![A-Za-z0-9-])--(?:[A-Za-z0-9]++-)*?(?i:password|passwd|token|secret|api-key"
        r"|access-key)[ \t]++" + _VALUE,
        _R,
    ),
    _rule(
        "login_password",
        "login",
        r"(?i:\blogin)(?:[ \t]++(?!-p[ \t])\S++){0,12}[ \t]++-p[ \t]++" + _VALUE,
        _R,
    ),
    _rule(
        "assignment",
        "password passwd secret token _auth _key -key apikey accesskey privatekey",
        r"(?i:" + _KEYS + ")" + _ASSIGN + _VALUE,
        _R,
    ),
)
_ALL_KEYWORDS = dict.fromkeys(k for rule in RULES for k in rule.keywords)
_RULES_OF = {k: frozenset(i for i, r in enumerate(RULES) if k in r.keywords) for k in _ALL_KEYWORDS}
_ANY_CASE = tuple(k for k in _ALL_KEYWORDS if k.islower())  # matched on text.lower()
_EXACT_CASE = tuple(k for k in _ALL_KEYWORDS if not k.islower())
_ALWAYS = frozenset(i for i, rule in enumerate(RULES) if not rule.keywords)


def _find(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, rule index) of every secret value in text, by rule."""
    lowered = text.lower()
    hits = [k for k in _ANY_CASE if k in lowered] + [k for k in _EXACT_CASE if k in text]
    if not hits and not _ALWAYS:
        return
    chosen = set(_ALWAYS).union(*(_RULES_OF[k] for k in hits))
    for index in sorted(chosen):
        rule = RULES[index]
        for match in rule.pattern.finditer(text):
            start, end = match.span(rule.group) if rule.group else match.span()
            if start < end and (rule.check is None or rule.check(text[start:end])):
                yield start, end, index


def _redact_once(text: str) -> str:
    merged: list[list[int]] = []  # [start, end, rule index], overlapping spans joined
    for start, end, index in sorted(_find(text), key=lambda s: (s[0], -s[1], s[2])):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, index])
    if not merged:
        return text
    parts: list[str] = []
    pos = 0
    for start, end, index in merged:
        parts += [text[pos:start], placeholder(RULES[index].name)]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def redact(text: str) -> str:
    """text with every secret value replaced by its placeholder; text itself when none is found."""
    for _ in range(_MAX_PASSES):
        masked = _redact_once(text)
        if masked == text:
            return text
        text = masked
    return text


def contains_secret(text: str) -> bool:
    """True when redact(text) would change text."""
    return next(_find(text), None) is not None
