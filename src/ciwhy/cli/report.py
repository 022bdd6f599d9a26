"""The human report of one analysis: short, complete, good for a person and for an LLM."""

from __future__ import annotations

from ciwhy.models import Analysis

MAX_TESTS_SHOWN = 10
#: The whole report stays under this many characters (a CI log reader's and an LLM's budget).
REPORT_BUDGET = 3800
LINE_WIDTH = 160


def _excerpt(a: Analysis, budget: int) -> list[str]:
    """The excerpt, the root cause's block first, cut to the budget with a note of what is left."""
    blocks = sorted(
        a.excerpt, key=lambda b: not (b.start_line <= (a.root_cause_line or 0) <= b.end_line)
    )
    shown: list[tuple[int, list[str]]] = []
    left = 0
    for block in blocks:
        rows = [f"--- lines {block.start_line}-{block.end_line}"]
        for n, text in enumerate(block.text.split("\n"), start=block.start_line):
            mark = ">" if n == a.root_cause_line else " "
            row = f"{mark}{n:>7} | {text[:LINE_WIDTH]}"
            if budget - len(row) - 1 < 200:
                left += 1
                continue
            rows.append(row)
            budget -= len(row) + 1
        if len(rows) > 1:
            shown.append((block.start_line, rows))
    out = [row for _, rows in sorted(shown) for row in rows]
    if left:
        out.append(f"… {left} more excerpt lines (--json has them all)")
    return out


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
            f" — command: {' ; '.join(step.command.splitlines())[:160]}"
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
    out.extend(_excerpt(a, budget=REPORT_BUDGET - sum(len(x) + 1 for x in out)))
    for note in a.notes:
        out.append(f"Note: {note}")
    return "\n".join(out)
