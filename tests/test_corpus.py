"""The engine's contract on the project's own corpus: realistic logs of every CI system and
ecosystem (tests/corpus/, written by tests/corpus/_generate.py), each with the line a person
would point at, its category, and fingerprint pairs that must (not) group together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ciwhy.analysis import analyse
from ciwhy.analysis import lines as lines_mod

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p for p in CORPUS.glob("*/*.expected.json") if p.parent.name != "fingerprint")

# Cases the engine gets wrong today, kept visible (strict: a fix makes the test say so).
KNOWN_ROOT_MISSES: set[str] = {
    "haskell/cabal_could_not_resolve",
    "kubernetes/image_pull_backoff",
}
KNOWN_CATEGORY_MISSES: set[str] = {
    "kubernetes/image_pull_backoff",
}


def _case_id(p: Path) -> str:
    return f"{p.parent.name}/{p.name.removesuffix('.expected.json')}"


def _load(p: Path) -> tuple[dict, bytes]:
    return json.loads(p.read_text()), p.with_name(
        p.name.replace(".expected.json", ".log")
    ).read_bytes()


def _mark(case: str, known: set[str]) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(strict=True, reason="known miss")] if case in known else []


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[dict, object, bytes]]:
    out = {}
    for p in CASES:
        expected, data = _load(p)
        out[_case_id(p)] = (expected, analyse(data), data)
    return out


def test_corpus_is_broad() -> None:
    groups = {p.parent.name for p in CASES}
    assert len(CASES) >= 60
    for needed in (
        "github_actions",
        "gitlab",
        "jenkins",
        "travis",
        "buildkite",
        "azure",
        "circleci",
        "python",
        "javascript",
        "jvm",
        "go",
        "rust",
        "c_cpp",
        "docker",
        "network",
        "infrastructure",
        "credentials",
    ):
        assert needed in groups


@pytest.mark.parametrize(
    "case",
    [pytest.param(_case_id(p), marks=_mark(_case_id(p), KNOWN_ROOT_MISSES)) for p in CASES],
)
def test_root_cause_line(case: str, results) -> None:
    expected, a, data = results[case]
    assert a.root_cause_line in expected["accept_lines"], (
        f"expected one of {expected['accept_lines']}, got {a.root_cause_line}: {a.root_cause}"
    )
    # The line number points at the input line exactly as received.
    raw = lines_mod.read(data)
    assert expected["root_cause_contains"] in raw.line(expected["root_cause_line"])


@pytest.mark.parametrize(
    "case",
    [pytest.param(_case_id(p), marks=_mark(_case_id(p), KNOWN_CATEGORY_MISSES)) for p in CASES],
)
def test_category(case: str, results) -> None:
    expected, a, _ = results[case]
    assert a.category == expected["category"], a.root_cause


@pytest.mark.parametrize("case", [_case_id(p) for p in CASES])
def test_result_shape(case: str, results) -> None:
    expected, a, _ = results[case]
    assert len(a.root_cause) <= 200
    assert 0.0 <= a.confidence <= 1.0
    assert sum(b.end_line - b.start_line + 1 for b in a.excerpt) <= 40
    assert any(b.start_line <= a.root_cause_line <= b.end_line for b in a.excerpt)
    if "exit_code" in expected and a.exit_code is not None:
        assert a.exit_code == expected["exit_code"]


@pytest.mark.parametrize("case", [_case_id(p) for p in CASES])
def test_the_failing_step_holds_the_root_cause(case: str, results) -> None:
    """The step named as failing is the one the cause was printed in (Jenkins opens the
    stages it skips after a failure: the last stage opened is not the failing one), unless
    the root is the CI's own verdict, which it may print after the step."""
    _, a, _ = results[case]
    step = a.failing_step
    if step is None or a.signature.startswith("infra.timeout."):
        return
    assert step.start_line <= a.root_cause_line <= step.end_line, (step, a.root_cause_line)


def test_failing_tests_are_not_listed_twice(results) -> None:
    """A runner's line (`Cart › adds`) and a signature's capture (`adds`) name one test."""
    for case, (_, a, _) in results.items():
        names = [t.name for t in a.failing_tests]
        for name in names:
            assert not any(o != name and o.endswith((" " + name, ":" + name)) for o in names), (
                case,
                names,
            )


def test_failing_tests_found(results) -> None:
    """Where the runner names failing tests, most cases name at least one of them."""
    with_tests = [(c, e, a) for c, (e, a, _) in results.items() if e.get("failing_tests")]
    found = 0
    for _, expected, a in with_tests:
        names = " ".join(t.name for t in a.failing_tests)
        found += any(t.split("::")[-1].split(".")[-1] in names for t in expected["failing_tests"])
    assert found >= 0.6 * len(with_tests), f"{found} of {len(with_tests)}"


def _pair_results(kind: str) -> list[tuple[str, object, object]]:
    pairs = json.loads((CORPUS / "fingerprint" / "pairs.json").read_text())[kind]
    out = []
    for a_name, b_name in pairs:
        a = analyse((CORPUS / "fingerprint" / f"{a_name}.log").read_bytes())
        b = analyse((CORPUS / "fingerprint" / f"{b_name}.log").read_bytes())
        out.append((a_name, a, b))
    return out


def test_same_cause_same_fingerprint() -> None:
    for name, a, b in _pair_results("same"):
        assert a.fingerprint.hash == b.fingerprint.hash, (
            name,
            a.fingerprint.template,
            b.fingerprint.template,
        )


def test_different_cause_different_fingerprint() -> None:
    for name, a, b in _pair_results("different"):
        assert a.fingerprint.hash != b.fingerprint.hash, (name, a.fingerprint.template)
