"""`ciwhy analyze` and `ciwhy signatures` as users run them: a real process, real files."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
CLI = [sys.executable, "-m", "ciwhy.cli.main"]


def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None):
    return subprocess.run(
        [*CLI, *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def _logs(n: int) -> list[Path]:
    return sorted(p for p in CORPUS.glob("*/*.log") if p.parent.name != "fingerprint")[:n]


def test_report_is_short_and_complete() -> None:
    log = CORPUS / "python" / "pytest_assertion_gha.log"
    if not log.exists():
        log = _logs(1)[0]
    out = run("analyze", str(log))
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    assert len(text) < 4000
    for needed in ("Root cause (line", "Category:", "Why:", "Fix:", "--- lines"):
        assert needed in text
    assert "\n>" in text  # the cause line is marked in the excerpt


def test_json_lines_in_input_order(tmp_path: Path) -> None:
    logs = _logs(5)
    gz = tmp_path / "x.log.gz"
    gz.write_bytes(gzip.compress(logs[0].read_bytes()))
    names = [str(p) for p in logs] + [str(gz)]
    out = run("analyze", "--json", *names)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert [r["file"] for r in rows] == names
    for key in (
        "root_cause",
        "root_cause_line",
        "explanation",
        "fix_suggestion",
        "category",
        "domain",
        "severity",
        "confidence",
        "excerpt",
        "failing_tests",
        "signature",
        "fingerprint",
    ):
        assert key in rows[0]
    assert set(rows[0]["excerpt"][0]) == {"start_line", "end_line", "text"}
    assert rows[-1]["root_cause_line"] == rows[0]["root_cause_line"]  # gzip reads the same


def test_stdin_and_max_lines() -> None:
    data = _logs(1)[0].read_bytes()
    out = run("analyze", "--json", "--max-lines", "3", "-", stdin=data)
    assert out.returncode == 0, out.stderr
    row = json.loads(out.stdout)
    assert row["file"] == "-"
    assert sum(b["end_line"] - b["start_line"] + 1 for b in row["excerpt"]) <= 3


def test_unreadable_file_is_reported_and_others_analysed(tmp_path: Path) -> None:
    good = str(_logs(1)[0])
    out = run("analyze", "--json", str(tmp_path / "missing.log"), good, str(tmp_path))
    assert out.returncode == 1
    assert "cannot read" in out.stderr.decode() and "missing.log" in out.stderr.decode()
    rows = [json.loads(x) for x in out.stdout.decode().splitlines()]
    assert [r["file"] for r in rows] == [good]


def test_binary_and_empty_input(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 64)
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    out = run("analyze", "--json", str(junk), str(empty))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in out.stdout.decode().splitlines()]
    assert rows[1]["root_cause_line"] is None and rows[1]["excerpt"] == []


USER_SIG = """
[[signature]]
id = "acme.deploy.quota"
title = "Acme deploy quota exhausted for {team}"
category = "infrastructure"
domain = "platform"
severity = "high"
patterns = ['ACME-QUOTA-EXHAUSTED team=(?P<team>\\w+)']
explanation = "The deploy service refused the job: team {team} used its quota."
fix = "Ask the platform team to raise the quota of {team}."
samples = ["ACME-QUOTA-EXHAUSTED team=payments"]
"""


def test_user_signatures_from_option_and_env(tmp_path: Path) -> None:
    (tmp_path / "acme.toml").write_text(USER_SIG)
    log = tmp_path / "build.log"
    log.write_text("step 1\nrunning deploy\nACME-QUOTA-EXHAUSTED team=payments\nexit 1\n")
    for args, env in (
        (["--signatures", str(tmp_path)], None),
        ([], {"CIWHY_SIGNATURES_DIR": str(tmp_path)}),
    ):
        out = run("analyze", "--json", *args, str(log), env=env)
        assert out.returncode == 0, out.stderr
        row = json.loads(out.stdout)
        assert row["signature"] == "acme.deploy.quota"
        assert row["root_cause"] == "Acme deploy quota exhausted for payments"
        assert row["root_cause_line"] == 3
    listed = run("signatures", "list", "--signatures", str(tmp_path))
    assert b"acme.deploy.quota" in listed.stdout
    assert len(listed.stdout.splitlines()) >= 150
    tested = run("signatures", "test", "--json", "--signatures", str(tmp_path), str(log))
    hits = [json.loads(x) for x in tested.stdout.decode().splitlines()]
    assert {
        "file": str(log),
        "line": 3,
        "signature": "acme.deploy.quota",
        "captures": {"team": "payments"},
    } in hits


def test_bad_signature_dir_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[[signature]]\nid = 'x'\n")
    out = run("analyze", "--signatures", str(tmp_path), str(_logs(1)[0]))
    assert out.returncode == 2
    assert "bad.toml" in out.stderr.decode() and "missing" in out.stderr.decode()
