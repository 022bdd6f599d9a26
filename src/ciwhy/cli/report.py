"""The human report of one analysis: short, complete, good for a person and for an LLM."""

from __future__ import annotations

from ciwhy.models import Analysis

MAX_TESTS_SHOWN = 10


def render(name: str, a: Analysis) -> str:
    out = [f"== {name}"]
    where = f" (line {a.root_cause_line})" if a.root_cause_line else ""
    out.append(f"Root cause{where}: {a.root_cause}")
    out.append(
        f"Category: {a.category} · domain: {a.domain} · severity: {a.severity} · "
        f"confidence: {a.confidence:.2f} · signature: {a.signature}"
    )
    step = a.failing_step
    if step is not None:
        cmd = (
            f" — command: {step.command[:160]}"
            if step.command and step.command != step.name
            else ""
        )
        code = f" — exit code {step.exit_code}" if step.exit_code is not None else ""
        out.append(
            f"Failing step: {step.name[:120]}{cmd}{code} (lines {step.start_line}-{step.end_line})"
        )
    elif a.exit_code is not None:
        out.append(f"Exit code: {a.exit_code}")
    if a.failing_tests:
        shown = a.failing_tests[:MAX_TESTS_SHOWN]
        tests = ", ".join(
            t.name
            + (f" ({t.file}:{t.line})" if t.file and t.line else f" ({t.file})" if t.file else "")
            for t in shown
        )
        more = (
            f" and {len(a.failing_tests) - len(shown)} more"
            if len(a.failing_tests) > len(shown)
            else ""
        )
        out.append(f"Failing tests: {tests}{more}")
    out.append(f"Why: {a.explanation}")
    out.append(f"Fix: {a.fix_suggestion}")
    for block in a.excerpt:
        out.append(f"--- lines {block.start_line}-{block.end_line}")
        for n, text in enumerate(block.text.split("\n"), start=block.start_line):
            mark = ">" if n == a.root_cause_line else " "
            out.append(f"{mark}{n:>7} | {text[:200]}")
    for note in a.notes:
        out.append(f"Note: {note}")
    return "\n".join(out)
