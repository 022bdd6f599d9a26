"""analyse(log) -> Analysis: the engine's stages in one readable place.

read (lines.py) → scan (library_index.py) → structure (structure.py) → locate (locate.py)
→ describe (classify.py, templates) → excerpt (excerpt.py) → fingerprint, redact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis import (
    asides,
    classify,
    dumps,
    excerpt,
    fatal_warnings,
    firsts,
    heads,
    lines,
    locate,
    refine,
    services,
    structure,
    testnames,
)
from ciwhy.analysis.confidence import CI_VERDICT, confidence
from ciwhy.analysis.describe import describe
from ciwhy.analysis.fingerprint import fingerprint
from ciwhy.analysis.library_index import MAX_LINE, Hits, Library, SignatureHit, default_library
from ciwhy.analysis.locate import Candidate
from ciwhy.analysis.redact import redact
from ciwhy.models import Analysis, FailingTest, Fingerprint, Step

ROOT_CAUSE_MAX = 200
DEFAULT_MAX_LINES = 40
TIMEOUT_EXIT = 124
_NON_BLANK = re.compile(r"\S")
# A failure marker that says the CI stopped the job for running too long.
_TIMEOUT_MARKER = re.compile(
    r"(?i)execution took longer than|exceeded the maximum execution time|\btime ?limit\b"
)


_TESTS = frozenset(("test_fail", "expected"))
#: How many lines above the root may show why a package manager found nothing.
ABOVE_ROOT = 12
_LOCATION_UNDER = re.compile(r"^\s*--> \S+:\d+")


def _shorten(text: str, limit: int = ROOT_CAUSE_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def analyse(
    data: bytes | str,
    *,
    library: Library | None = None,
    max_lines: int = DEFAULT_MAX_LINES,
) -> Analysis:
    """Find the root cause of a failed CI log. Bytes in any encoding (or gzip) or text."""
    library = library or default_library()
    log = lines.read(data)
    hits = library.scan(log.lines, log.text)
    st = structure.find(log.lines, hits)
    # (stretches that are not the job's own errors: never candidates, and the tests reported
    # in them, rspec's pending ones or a retried try that then passed, did not fail the job)
    aside = asides.find(log.lines, hits, st.fail_line)
    cands = locate.candidates(log.lines, hits, st, aside)
    # The CI says why the job stopped (a time limit, `timeout`'s exit 124, a failure marker
    # naming its cause): that statement is the root, not the output before it.
    said, verdict = _ci_verdict(log.lines, hits, st)
    chosen = None
    if said is None:
        chosen = locate.choose(cands, st.step_line)
        chosen = firsts.first_box(log.lines, cands, firsts.first_copy(log.lines, cands, chosen))
        chosen = heads.past(log.lines, hits, cands, chosen)
        chosen = services.past_unreached(log.lines, hits, cands, chosen, st.fail_line)
        chosen = services.past_service_logs(log.lines, hits, cands, chosen)
        chosen = dumps.past_dump(log.lines, hits, cands, chosen, st.fail_line)
        chosen = dumps.past_stack_events(log.lines, hits, cands, chosen, st.fail_line)
        chosen = fatal_warnings.first(log.lines, st, chosen)
        if structure.action_error(st) and (
            chosen is None
            or chosen.index <= st.step_line
            or (
                chosen.signature is None
                and locate.STRONG.isdisjoint(chosen.features)
                and "fatal_warning" not in chosen.features
            )
        ):
            # (a GitHub Action failed with its own words, and its step printed no error of
            # its own: the action's `##[error]` line is the cause, not an earlier step's)
            chosen, said = None, st.fail_line
    if chosen is None and said is not None:
        # (GitHub's verdict on a service container yields to what the service's log says)
        verdict_line = locate.candidate(said, 0.0, {}, None)
        moved = services.past_service_logs(log.lines, hits, cands, verdict_line)
        if moved is not None and moved.index != said:
            chosen, said = moved, None
    notes: list[str] = []
    if log.truncated:
        notes.append("the decompressed log was cut at its size limit")

    if chosen is not None:
        root = chosen.index
    elif said is not None:
        root = said
    elif st.marker is not None:
        root = st.fail_line
    else:
        root = max(0, st.fail_line - 1)
    has_text = _NON_BLANK.search(log.text) is not None
    # Lines as `wc -l` and editors count them: a final line break ends the last line (the
    # numbering is the same; the empty string after it is not a line)
    count = len(log.lines) - (1 if log.text.endswith("\n") else 0)
    root_text = log.lines[root][:MAX_LINE].strip() if has_text else ""
    if heads.EXCEPTION_CLASS.match(root_text) and root + 1 < len(log.lines):
        # (an exception's class alone on its line: its message is the next line)
        root_text = f"{root_text} {log.lines[root + 1][:MAX_LINE].strip()}"
    # (what the category is read from: a line that ends with a colon, with the line it heads,
    # `ERROR: An error occurred during the fetch of repository 'x':` then why)
    words = root_text
    if root_text.endswith(":") and root + 1 < len(log.lines):
        words = f"{root_text} {log.lines[root + 1][:MAX_LINE].strip()}"
    elif (cause := _caused_by(log.lines, root)) is not None:
        # (cargo's and anyhow's chain under the error: `Caused by:`, then why)
        words = f"{root_text} {cause}"

    sig_hit = chosen.signature if chosen else verdict
    if sig_hit is not None:
        sig = sig_hit.signature
        category, domain, severity = sig.category, sig.domain, sig.severity
        if category == "unknown":  # a generic signature: the words and the command decide
            category, domain, severity = classify.classify(words, st.marker or "", st.command or "")
        elif (refined := refine.refine(category, words, st.command or "")) is not None:
            category, domain, severity = refined
        rule = sig.id
    else:
        category, domain, severity = classify.classify(words, st.marker or "", st.command or "")
        if category == "unknown" and chosen is not None and _TESTS & chosen.features:
            # (the words said nothing, but the line reads as a test runner's failure, or an
            # assertion's `Expected:` / `Actual:`)
            category, domain, severity = "test", "code", classify.severity("test", "code")
        elif category == "unknown" and (symptoms := hits.signatures.get(root)):
            # (the words said nothing, but a signature of a consequence knows the line's kind:
            # pip's `Failed building wheel` with no compiler error above it)
            top = max(symptoms, key=lambda h: h.signature.priority).signature
            category, domain, severity = top.category, top.domain, top.severity
        rule = "heuristic:" + (
            _main_feature(chosen.features)
            if chosen
            else ("timeout" if said is not None else "last-line")
        )
    if (
        category in ("unknown", "test")
        and sig_hit is None
        and root + 1 < len(log.lines)
        and _LOCATION_UNDER.match(log.lines[root + 1][:MAX_LINE])
    ):
        # (a diagnostic whose location is the line under it, rustc's `  --> src/lib.rs:12:5`:
        # a compiler's, though the failing command also ran the tests)
        category, domain, severity = "compile", "code", classify.severity("compile", "code")
    from_words = sig_hit is None or sig_hit.signature.category == "unknown"
    if chosen is not None and (
        (category in ("unknown", "config") and "test_report" in chosen.features)
        or (
            category in ("unknown", "config", "lint")
            and from_words
            and "pytest_e" in chosen.features
        )
    ):
        # (a failed test's own report: what it raised is the test's failure, whatever its data
        # says of files, settings or formats; pytest's `E   ValueError: ... does not match
        # format '%Y-%m-%d'`)
        category, domain, severity = "test", "code", classify.severity("test", "code")
    if category == "dependency" and (
        refined := refine.refine_by_retries(log.lines[max(0, root - ABOVE_ROOT) : root])
    ):
        # (a package manager that found no version after its downloads failed to connect)
        category, domain, severity = refined
    desc = describe(root_text, sig_hit, category, command=st.command, exit_code=st.exit_code)

    spans: list[tuple[int, int]] = []
    if has_text:
        spans.append(excerpt.block(log.lines, hits, root, st.fail_line, max_lines, own_test=True))
        # (a runner-up the root's block already shows takes no place of its own)
        shown = spans[0]
        for c in _runners_up([c for c in cands if not shown[0] <= c.index <= shown[1]], chosen):
            if not any(a <= c.index <= b for a, b in spans):
                spans.append(
                    excerpt.block(log.lines, hits, c.index, st.fail_line, excerpt.RUNNER_UP_LINES)
                )
    spans = excerpt.merge(spans, max_lines)
    test_lines = sorted(
        i
        for i, f in hits.features.items()
        if i < st.fail_line
        and ("test_fail" in f or "numbered_failure" in f)
        and not asides.within(aside, i)
    )
    named_tests = [
        (i, h.captures["test"], h.captures.get("file"), h.captures.get("line"))
        for i in sorted(hits.signatures)
        if i < st.fail_line and not asides.within(aside, i)
        for h in hits.signatures[i]
        if "test" in h.captures
    ]
    failing = testnames.find(log.lines, test_lines, named_tests)
    step = None
    if st.step_line >= 0 or st.marker is not None:
        step = Step(
            name=redact(st.step_name or st.command or "job"),
            start_line=st.step_line + 1 if st.step_line >= 0 else 1,
            end_line=min(st.fail_line + 1, count),
            command=redact(st.command) if st.command else None,
            exit_code=st.exit_code,
        )
    root_cause = _shorten(redact(desc.title if has_text else "The log is empty"))
    return Analysis(
        root_cause=root_cause,
        root_cause_line=root + 1 if has_text else None,
        explanation=redact(desc.explanation),
        fix_suggestion=redact(desc.fix),
        category=category,  # type: ignore[arg-type]
        domain=domain,  # type: ignore[arg-type]
        severity=severity,  # type: ignore[arg-type]
        confidence=CI_VERDICT if said is not None else confidence(chosen, cands, st, has_text),
        excerpt=excerpt.render(log.lines, spans, redact),
        failing_tests=tuple(
            FailingTest(redact(t.name), t.file and redact(t.file), t.line) for t in failing
        ),
        signature=rule,
        fingerprint=_fingerprint(log.lines, hits, spans, root, root_text, rule, category, failing),
        failing_step=step,
        exit_code=st.exit_code,
        lines=count if has_text else 0,
        bytes=log.size,
        notes=tuple(notes),
    )


_CAUSED_BY = re.compile(r"^Caused by:\s*$")


def _caused_by(lines: Sequence[str], root: int) -> str | None:
    """The first cause of the chain printed under line `root` (after a blank line at most)."""
    for j in range(root + 1, min(len(lines) - 1, root + 3)):
        if _CAUSED_BY.match(lines[j]):
            return lines[j + 1][:MAX_LINE].strip()
        if lines[j].strip():
            return None
    return None


def _ci_verdict(
    lines: Sequence[str], hits: Hits, st: structure.Structure
) -> tuple[int | None, SignatureHit | None]:
    """Where the CI says why it stopped the job, and the signature that says so: the first
    line of a `verdict` signature (a time limit) wherever it stands; else the failure marker,
    when it names its own cause (GitLab's `ERROR: Job failed (system failure): ... pull rate
    limit`) or says the job ran too long."""
    for i in sorted(hits.signatures):
        for h in hits.signatures[i]:
            if h.signature.kind == "verdict":
                return i, h
    if st.marker is not None:
        best = locate.cause_signature(hits, st.fail_line)
        if best is not None:
            # (a marker that only reads its exit code, `exit code 137`, yields to a line before
            # it that says more: `2841 Killed  node --max-old-space-size=...`)
            said_before = max(
                (
                    h.signature.priority
                    for i, found in hits.signatures.items()
                    if st.step_line < i < st.fail_line
                    for h in found
                    if h.signature.kind == "cause"
                ),
                default=0,
            )
            if best.signature.priority > said_before:
                return st.fail_line, best
    return _timeout_line(lines, hits, st), None


def _timeout_line(lines: Sequence[str], hits: Hits, st: structure.Structure) -> int | None:
    """The failure marker, when it says the job was stopped for running too long (`timeout`
    exits with 124; CIs say so in words): the output before it was cut off, not the cause."""
    if st.marker is not None and st.exit_code == TIMEOUT_EXIT:
        return st.fail_line
    for i in hits.roles.get("fail", ()):
        if _TIMEOUT_MARKER.search(lines[i][:MAX_LINE]):
            return i
    return None


def _runners_up(cands: Sequence[Candidate], chosen: Candidate | None) -> list[Candidate]:
    if chosen is None:
        return []
    close = [
        c for c in cands if c is not chosen and chosen.score - c.score <= excerpt.RUNNER_UP_MARGIN
    ]
    return sorted(close, key=lambda c: -c.score)[: excerpt.RUNNERS_UP]


def _fingerprint(
    lines: Sequence[str],
    hits: Hits,
    spans: Sequence[tuple[int, int]],
    root: int,
    root_text: str,
    rule: str,
    category: str,
    failing: Sequence[FailingTest],
) -> Fingerprint:
    """Group by what the cause is, not by which line of its block was chosen: the root line's
    cause signature, else the first line of the root's block that one names (from the root
    on, then above it), else the root line; for a test failure, the first failing test too
    (the same assertion in two tests is two causes)."""
    text, key = root_text, rule.split(":")[0]
    block = next(((a, b) for a, b in spans if a <= root <= b), (root, root))
    # the root line's own signature first, then its block from the root on, then above it (a
    # block opened at a test's header may hold other tests' lines)
    reported = [h for h in hits.signatures.get(root, ()) if h.signature.id == key]
    for i in (root, *range(root + 1, block[1] + 1), *range(block[0], root)):
        # (the signature reported for the root line, whatever its kind: a time limit is a
        # verdict, and the cancellation printed under it is not what the job died of)
        named = reported[0] if i == root and reported else locate.cause_signature(hits, i)
        if named is not None:
            text, key = lines[i][:MAX_LINE].strip(), named.signature.id
            category = named.signature.category
            break
    if category == "test" and failing:
        text = f"{text} @ {failing[0].name}"
    return fingerprint(redact(text), key)


_FEATURE_ORDER = (
    "located_error",
    "exception",
    "test_fail",
    "panic",
    "error_colon",
    "pytest_e",
    "fatal_warning",
)


def _main_feature(features: Sequence[str] | frozenset[str]) -> str:
    for name in _FEATURE_ORDER:
        if name in features:
            return name
    return sorted(features)[0] if features else "error-words"
