"""The shipped knowledge base: every signature is valid, matches its samples on every backend,
and no pattern backtracks catastrophically. User signature directories override and extend it."""

from __future__ import annotations

import random
import re
import signal
import time
from pathlib import Path

import pytest
import re2

from ciwhy.analysis import lines, signatures, vocabulary
from ciwhy.analysis.library_index import Library
from ciwhy.analysis.scanner import BACKENDS
from ciwhy.analysis.signatures import Signature, SignatureError
from ciwhy.models import CATEGORIES, DOMAINS, SEVERITIES

SIGS = signatures.load()
BY_ID = {s.id: s for s in SIGS}
# One prefix per shipped file (ecosystem or domain); listed from src/ciwhy/analysis/library.
ECOSYSTEMS = {
    "python", "js", "jvm", "c", "go", "rust", "ruby", "php", "dotnet", "elixir", "erlang",
    "haskell", "perl", "r", "apple", "shell", "docker", "k8s", "helm", "terraform", "git", "ci",
    "net", "cred", "infra", "linux",
}  # fmt: skip


@pytest.fixture(autouse=True, scope="module")
def _hyperscan_cache(tmp_path_factory: pytest.TempPathFactory):
    """Hundreds of databases are compiled here: keep their cache out of the user's home."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


def test_library_size_ids_and_vocabulary() -> None:
    assert len(SIGS) >= 150
    ids = [
        sig.id for _, text in signatures.builtin_files() for sig in signatures.load_file("x", text)
    ]
    assert len(ids) == len(set(ids)) == len(SIGS)
    for sig in SIGS:
        assert re.fullmatch(r"[a-z0-9_]+(?:\.[a-z0-9_]+){2,}", sig.id), sig.id
        assert sig.category in CATEGORIES and sig.domain in DOMAINS
        assert sig.severity in SEVERITIES and sig.kind in ("cause", "symptom", "verdict")
        assert 1 <= sig.priority <= 100 and sig.samples, sig.id


#: A character outside ASCII right before a quantifier: Hyperscan reads bytes, so the quantifier
#: would repeat the character's last byte only (`⎯{3,}` is not three `⎯`; `(?:⎯){3,}` is).
_QUANTIFIED_NON_ASCII = re.compile(r"[^\x00-\x7f](?:[*+?]|\{\d)")


def test_no_pattern_quantifies_a_bare_character_outside_ascii() -> None:
    patterns = [f.pattern for f in vocabulary.FEATURES] + [p for s in SIGS for p in s.patterns]
    assert [p for p in patterns if _QUANTIFIED_NON_ASCII.search(p)] == []
    assert _QUANTIFIED_NON_ASCII.search("⎯{3,}") and not _QUANTIFIED_NON_ASCII.search("(?:⎯){3,}")


def test_every_ecosystem_is_represented() -> None:
    prefixes = {sig.id.split(".")[0] for sig in SIGS}
    assert prefixes >= ECOSYSTEMS, sorted(ECOSYSTEMS - prefixes)
    intro = (Path(__file__).parents[1] / "docs" / "signatures.md").read_text("utf-8")
    named = set(re.findall(r'id = "([a-z]+)\.', intro))
    assert named and named <= prefixes
    for source, text in signatures.builtin_files():
        assert signatures.load_file(source, text), f"{source} ships no signature"


def _first_match(sig: Signature, line: str) -> re.Match[str] | None:
    return next((m for rx in sig.compiled() if (m := rx.search(line))), None)


@pytest.mark.parametrize("sig", SIGS, ids=lambda s: s.id)
def test_signature(sig: Signature) -> None:
    for sample in sig.samples:
        m = _first_match(sig, lines.clean(sample))
        assert m is not None, f"sample does not match: {sample!r}"
        caps = {k: v for k, v in m.groupdict().items() if v is not None}
        for template in (sig.title, sig.explanation, sig.fix):
            assert template.format(**caps)
    for non_sample in sig.non_samples:
        assert _first_match(sig, lines.clean(non_sample)) is None, non_sample
    for pattern in sig.patterns:
        re2.compile(pattern)
        BACKENDS["re2"]([pattern])
        BACKENDS["hyperscan"]([pattern])


NOISE = [
    "",
    "  compiling module alpha",
    "\x1b[32mstep beta\x1b[0m",
    "2024-05-01T10:00:00.1234567Z running gamma",
    "Downloading package delta 1.2.3",
]


@pytest.fixture(scope="module", params=["hyperscan", "re2"])
def library(request: pytest.FixtureRequest) -> Library:
    return Library(SIGS, backends=(request.param,))


@pytest.mark.parametrize("sig", SIGS, ids=lambda s: s.id)
def test_library_finds_each_sample(library: Library, sig: Signature) -> None:
    for sample in sig.samples:
        log = lines.read("Run build\n" + NOISE[1] + "\n" + sample + "\n" + NOISE[3] + "\n")
        hits = library.scan(log.lines, log.text)
        found = {h.signature.id for h in hits.signatures.get(2, [])}
        assert sig.id in found, f"{sample!r}: found {sorted(found)}"
        assert 0 not in hits.signatures and 1 not in hits.signatures


def _realistic_log() -> str:
    rnd = random.Random(7)
    out = []
    for sig in SIGS:
        for sample in sig.samples:
            out.append(sample)
            out.extend(rnd.choice(NOISE) for _ in range(rnd.randint(0, 3)))
    return "\r\n".join(out)


def _signature_hits(library: Library, log: lines.Log) -> set[tuple[str, int]]:
    found = library.scan(log.lines, log.text).signatures
    return {(h.signature.id, i) for i, got in found.items() for h in got}


def test_backends_agree_with_reference_on_a_realistic_log(library: Library) -> None:
    log = lines.read(_realistic_log())
    reference = _signature_hits(Library(SIGS, backends=("python",)), log)
    assert len(reference) >= len(SIGS)
    assert _signature_hits(library, log) == reference


# --- catastrophic backtracking ----------------------------------------------------------------

ADVERSARIAL = {
    "a": "a" * 100_000,
    "spaces": " " * 100_000,
    "error-colon": "error: " * 14_000,
    "colons": ":" * 100_000,
    "x-tabs": "x" * 50_000 + "\t" * 50_000,
    "digits": "1" * 100_000,
    "slashes": "/" * 100_000,
    "at": "at " * 33_000,
    "FAILED": "FAILED " * 14_000,
}
LIMIT = 0.5  # seconds of CPU time for one search: a safety bound, not a speed benchmark
# Patterns that fail the bound: not fixed here, reported. Strict: a fix makes the test fail.
BACKTRACKING: dict[str, str] = {}
ALL_PATTERNS = [
    *((f"{s.id}#{i}", p) for s in SIGS for i, p in enumerate(s.patterns)),
    *((f"feature:{f.name}", f.pattern) for f in vocabulary.FEATURES),
    *((f"capture:{i}", p) for i, p in enumerate(vocabulary.STRUCTURE_CAPTURES)),
    *((f"step_capture:{i}", p) for i, p in enumerate(vocabulary.STEP_CAPTURES)),
]


class _TooSlow(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _TooSlow


def _param(pid: str, pattern: str) -> object:
    reason = BACKTRACKING.get(pid)
    marks = [pytest.mark.xfail(strict=True, raises=_TooSlow, reason=f"{pid}: {reason}")]
    return pytest.param(pattern, id=pid, marks=marks if reason else [])


@pytest.mark.parametrize("pattern", [_param(pid, pattern) for pid, pattern in ALL_PATTERNS])
def test_no_catastrophic_backtracking(pattern: str) -> None:
    rx = re.compile(pattern)
    previous = signal.signal(signal.SIGPROF, _alarm)  # CPU time: immune to a busy machine
    try:
        for name, text in ADVERSARIAL.items():
            start = time.process_time()
            signal.setitimer(signal.ITIMER_PROF, LIMIT)
            try:
                rx.search(text)
            except _TooSlow:
                raise _TooSlow(f"{name}: over {LIMIT}s") from None
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
            assert time.process_time() - start < LIMIT, name
    finally:
        signal.signal(signal.SIGPROF, previous)


def test_the_alarm_can_fire() -> None:
    """The guard must be able to fail: a known catastrophic pattern trips it."""
    rx = re.compile(r"(a+)+b")
    with pytest.raises(_TooSlow):
        previous = signal.signal(signal.SIGPROF, _alarm)
        signal.setitimer(signal.ITIMER_PROF, 0.05)
        try:
            rx.search("a" * 60)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)


# --- user signatures ----------------------------------------------------------------------------

USER = """
[[signature]]
id = "python.pytest.test_failed"
title = "Our own title for {test}"
category = "test"
domain = "code"
severity = "medium"
patterns = ['^FAILED (?P<test>\\S+::\\S+)']
explanation = "x"
fix = "y"

[[signature]]
id = "acme.deploy.rejected"
title = "Deploy rejected"
category = "config"
domain = "code"
severity = "medium"
patterns = ['^ACME: deploy rejected']
explanation = "x"
fix = "y"
samples = ["ACME: deploy rejected"]
"""


def test_user_signatures_override_and_extend(tmp_path: Path) -> None:
    (tmp_path / "ours.toml").write_text(USER, "utf-8")
    loaded = {s.id: s for s in signatures.load([tmp_path])}
    assert loaded["python.pytest.test_failed"].title == "Our own title for {test}"
    assert loaded["python.pytest.test_failed"].source == str(tmp_path / "ours.toml")
    assert loaded["acme.deploy.rejected"].patterns == ("^ACME: deploy rejected",)
    assert len(loaded) == len(SIGS) + 1
    assert BY_ID["python.pytest.test_failed"].title != "Our own title for {test}"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('title = "Deploy rejected"', 'title = "Deploy rejected'),  # malformed TOML
        ('category = "config"', 'category = "weather"'),
        ("patterns = ['^ACME: deploy rejected']", "patterns = ['^ACME: (?=deploy) rejected']"),
    ],
    ids=["malformed", "bad-category", "lookahead"],
)
def test_bad_user_file_names_the_file(tmp_path: Path, old: str, new: str) -> None:
    assert old in USER
    path = tmp_path / "broken.toml"
    path.write_text(USER.replace(old, new), "utf-8")
    with pytest.raises(SignatureError, match=re.escape(str(path))):
        signatures.load([tmp_path])
