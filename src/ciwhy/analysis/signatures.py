"""The knowledge base: failure signatures loaded from TOML files (see docs/signatures.md)."""

from __future__ import annotations

import os
import re
import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ciwhy.models import CATEGORIES, DOMAINS, SEVERITIES

KINDS = ("cause", "symptom", "verdict")
_REQUIRED = ("id", "title", "category", "domain", "severity", "patterns", "explanation", "fix")
_FORBIDDEN = re.compile(r"\(\?[=!<>]|\(\?<[=!]|\\[1-9]|\\Z|\*\+|\+\+|\?\+|\(\?>")


# The fast scanners read bytes: a class of multi-byte characters would mean their bytes.
_NON_ASCII_CLASS = re.compile(r"\[[^\]]*[^\x00-\x7f][^\]]*\]")


class SignatureError(ValueError):
    """A signature file that cannot be used, with the file and id named."""


@dataclass(frozen=True, slots=True)
class Signature:
    id: str
    title: str
    category: str
    domain: str
    severity: str
    patterns: tuple[str, ...]
    explanation: str
    fix: str
    kind: str = "cause"
    priority: int = 50
    samples: tuple[str, ...] = ()
    non_samples: tuple[str, ...] = ()
    source: str = ""

    def compiled(self) -> tuple[re.Pattern[str], ...]:
        return _compile_all(self.patterns)


_compiled_cache: dict[tuple[str, ...], tuple[re.Pattern[str], ...]] = {}


def _compile_all(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    got = _compiled_cache.get(patterns)
    if got is None:
        got = tuple(re.compile(p) for p in patterns)
        _compiled_cache[patterns] = got
    return got


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _parse(raw: Mapping[str, Any], source: str) -> Signature:
    where = f"{source}: signature {raw.get('id', '?')!r}"
    missing = [k for k in _REQUIRED if not raw.get(k)]
    if missing:
        raise SignatureError(f"{where}: missing {', '.join(missing)}")
    patterns = raw["patterns"]
    if isinstance(patterns, str):
        patterns = [patterns]
    sig = Signature(
        id=str(raw["id"]),
        title=str(raw["title"]),
        category=str(raw["category"]),
        domain=str(raw["domain"]),
        severity=str(raw["severity"]),
        patterns=tuple(str(p) for p in patterns),
        explanation=str(raw["explanation"]).strip(),
        fix=str(raw["fix"]).strip(),
        kind=str(raw.get("kind", "cause")),
        priority=int(raw.get("priority", 50)),
        samples=tuple(str(s) for s in raw.get("samples", ())),
        non_samples=tuple(str(s) for s in raw.get("non_samples", ())),
        source=source,
    )
    for name, value, allowed in (
        ("category", sig.category, CATEGORIES),
        ("domain", sig.domain, DOMAINS),
        ("severity", sig.severity, SEVERITIES),
        ("kind", sig.kind, KINDS),
    ):
        if value not in allowed:
            raise SignatureError(f"{where}: {name} {value!r} is not one of {', '.join(allowed)}")
    if not 1 <= sig.priority <= 100:
        raise SignatureError(f"{where}: priority must be 1..100")
    for pattern in sig.patterns:
        if _FORBIDDEN.search(pattern):
            raise SignatureError(f"{where}: pattern uses a construct the scanners lack: {pattern}")
        if _NON_ASCII_CLASS.search(pattern):
            raise SignatureError(
                f"{where}: non-ASCII characters inside [...] (write an alternation): {pattern}"
            )
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise SignatureError(f"{where}: bad pattern {pattern!r}: {exc}") from exc
        if compiled.fullmatch(""):
            raise SignatureError(f"{where}: pattern matches an empty line: {pattern}")
        unknown = (_fields(sig.title) | _fields(sig.explanation) | _fields(sig.fix)) - set(
            compiled.groupindex
        )
        if unknown:
            raise SignatureError(
                f"{where}: templates use {sorted(unknown)} not captured by {pattern}"
            )
    return sig


def load_file(path: Path | str, text: str | None = None) -> list[Signature]:
    source = str(path)
    try:
        data = tomllib.loads(text if text is not None else Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SignatureError(f"{source}: {exc}") from exc
    entries = data.get("signature", [])
    if not isinstance(entries, list):
        raise SignatureError(f"{source}: [[signature]] tables expected")
    return [_parse(entry, source) for entry in entries]


def builtin_files() -> list[tuple[str, str]]:
    folder = resources.files("ciwhy.analysis") / "library"
    out = [
        (f"library/{entry.name}", entry.read_text("utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    ]
    return sorted(out)


def load(user_dirs: Iterable[Path | str] = (), *, builtin: bool = True) -> tuple[Signature, ...]:
    """Built-in signatures, then each user directory's, a later id replacing an earlier one."""
    by_id: dict[str, Signature] = {}
    seen_in: dict[str, str] = {}
    files: list[tuple[str, str | None]] = list(builtin_files()) if builtin else []
    for folder in user_dirs:
        folder = Path(folder)
        if not folder.is_dir():
            raise SignatureError(f"{folder}: not a directory of signature files")
        files.extend((str(p), None) for p in sorted(folder.glob("*.toml")))
    for source, text in files:
        builtin_file = text is not None
        for sig in load_file(source, text):
            first = seen_in.get(sig.id)
            if first is not None and builtin_file and first.startswith("library/"):
                raise SignatureError(f"{source}: duplicate signature id {sig.id!r} (see {first})")
            seen_in[sig.id] = source
            by_id[sig.id] = sig
    return tuple(by_id.values())


def dirs_from_env() -> list[str]:
    value = os.environ.get("CIWHY_SIGNATURES_DIR", "")
    return [p for p in value.split(os.pathsep) if p]
