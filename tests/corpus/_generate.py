"""Regenerate and verify the ciwhy test corpus.

    python tests/corpus/_generate.py           # write every case, then verify the corpus
    python tests/corpus/_generate.py --check   # only verify what is on disk

Every log is synthetic, written by the case functions in `_cases_*.py` in the console format of
its CI system. A case marks its root-cause line (and the acceptable alternatives) on the line
itself, so the line numbers in `<case>.expected.json` are computed, never counted by hand:
1-based, over the file split on `\\r\\n`, `\\r` or `\\n` exactly as written.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from ciwhy.models import CATEGORIES as MODEL_CATEGORIES

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _cases_ci  # noqa: E402, F401  (registers cases)
import _cases_fingerprint  # noqa: E402, F401
import _cases_lang  # noqa: E402, F401
import _cases_lang2  # noqa: E402, F401
import _cases_ops  # noqa: E402, F401
from _logkit import CASES, PAIRS, Case, rng_for  # noqa: E402

BREAK = re.compile(r"\r\n|\r|\n")
ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b_[^\x07]*\x07|\x1b[@-Z\\-_]"
)
CATEGORIES = set(MODEL_CATEGORIES)
MIN_LINES, MAX_LINES = 40, 400


def render(case: Case) -> tuple[str, int, list[int]]:
    """The file text, the root-cause line number and the accepted line numbers."""
    parts: list[str] = []
    tagged: list[tuple[int, str]] = []  # (offset of the tagged physical line, role)
    offset = 0
    for line in case.lines:
        role = getattr(line, "role", None)
        if role:
            last = max((m.end() for m in BREAK.finditer(line)), default=0)
            if line.endswith(("\r", "\n")):
                raise ValueError(f"tagged line ends with a line break: {line!r}")
            tagged.append((offset + last, role))
        parts.append(line)
        parts.append(case.newline)
        offset += len(line) + len(case.newline)
    data = "".join(parts)
    numbers = {off: len(BREAK.findall(data, 0, off)) + 1 for off, _ in tagged}
    roots = [numbers[off] for off, role in tagged if role == "cause"]
    if len(roots) != 1:
        raise ValueError(f"expected exactly one cause line, found {len(roots)}")
    accept = sorted({numbers[off] for off, _ in tagged})
    return data, roots[0], accept


def write_all(root: Path) -> int:
    seen: set[tuple[str, str]] = set()
    for group, name, fn in CASES:
        if (group, name) in seen:
            raise ValueError(f"duplicate case {group}/{name}")
        seen.add((group, name))
        case = fn(rng_for(f"{group}/{name}"))
        data, line, accept = render(case)
        expected: dict[str, object] = {
            "root_cause_line": line,
            "accept_lines": accept,
            "category": case.category,
            "root_cause_contains": case.contains,
        }
        if case.failing_tests:
            expected["failing_tests"] = case.failing_tests
        if case.exit_code is not None:
            expected["exit_code"] = case.exit_code
        out = root / group
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{name}.log").write_bytes(data.encode("utf-8"))
        (out / f"{name}.expected.json").write_text(
            json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
        )
    (root / "fingerprint").mkdir(exist_ok=True)
    (root / "fingerprint" / "pairs.json").write_text(json.dumps(PAIRS, indent=2) + "\n")
    return len(seen)


def physical_lines(data: str) -> list[str]:
    lines = BREAK.split(data)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def verify(root: Path) -> list[str]:
    """Re-read every case from disk and check its expected.json against the bytes."""
    problems: list[str] = []
    counts: dict[str, int] = {}
    for exp_path in sorted(root.glob("*/*.expected.json")):
        group = exp_path.parent.name
        name = exp_path.name.removesuffix(".expected.json")
        log_path = exp_path.with_name(f"{name}.log")
        where = f"{group}/{name}"
        if not log_path.exists():
            problems.append(f"{where}: no .log beside the expected.json")
            continue
        exp = json.loads(exp_path.read_text())
        lines = physical_lines(log_path.read_bytes().decode("utf-8"))
        n = len(lines)
        line = exp["root_cause_line"]
        accept = exp["accept_lines"]
        status = "ok"
        checks = [
            (MIN_LINES <= n <= MAX_LINES, f"{n} lines, outside {MIN_LINES}-{MAX_LINES}"),
            (exp["category"] in CATEGORIES, f"unknown category {exp['category']!r}"),
            (line in accept, "root_cause_line not in accept_lines"),
            (all(1 <= a <= n for a in accept), "an accept line is outside the log"),
        ]
        if 1 <= line <= n:
            text = ANSI.sub("", lines[line - 1])
            checks.append(
                (
                    exp["root_cause_contains"] in text,
                    f"line {line} lacks {exp['root_cause_contains']!r}: {text!r}",
                )
            )
        for ok, message in checks:
            if not ok:
                problems.append(f"{where}: {message}")
                status = "FAIL"
        counts[group] = counts.get(group, 0) + 1
        text = ANSI.sub("", lines[line - 1]).strip() if 1 <= line <= n else "?"
        print(f"{status:4} {where:48} {n:4} lines  root {line:4}  {exp['category']:14} {text[:70]}")
    pairs_path = root / "fingerprint" / "pairs.json"
    if pairs_path.exists():
        pairs = json.loads(pairs_path.read_text())
        for kind in ("same", "different"):
            for a, b in pairs.get(kind, []):
                for member in (a, b):
                    if not (root / "fingerprint" / f"{member}.log").exists():
                        problems.append(
                            f"fingerprint/pairs.json: {kind} pair member {member} has no log"
                        )
    else:
        problems.append("fingerprint/pairs.json is missing")
    print()
    for group in sorted(counts):
        print(f"{group:16} {counts[group]:3} cases")
    total = sum(counts.values())
    outside = total - counts.get("fingerprint", 0)
    print(f"{'total':16} {total:3} cases ({outside} outside fingerprint/)")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="only verify the corpus on disk")
    args = parser.parse_args()
    if not args.check:
        written = write_all(HERE)
        print(f"wrote {written} cases under {HERE}\n")
    problems = verify(HERE)
    for p in problems:
        print("PROBLEM:", p)
    print("\nverification:", "FAILED" if problems else "all expected.json files match their logs")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
