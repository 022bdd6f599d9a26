"""Schemathesis over the live /openapi.json: generated and mutated requests to every route,
with a token that has every scope. No request may get a 5xx."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

from tests.service.conftest import Server

ST = str(Path(sys.executable).with_name("schemathesis"))


def test_no_request_gets_a_server_error(server: Server, tmp_path: Path) -> None:
    token = server.token(f"fuzz-{uuid.uuid4().hex[:6]}", "ingest", "read", "admin")
    # (one worker: with two, Hypothesis parses lambdas' source in both threads at once, and
    # CPython 3.11's parser can fail with "AST constructor recursion depth mismatch", a crash of
    # the tool, not a response of the server)
    out = subprocess.run(
        [ST, "run", f"{server.url}/openapi.json", "--checks", "not_a_server_error",
         "--header", f"Authorization: Bearer {token}", "--max-examples", "25",
         "--workers", "1", "--suppress-health-check", "all", "--seed", "1"],
        capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]
    tested = re.search(r"Tested: (\d+)", out.stdout)  # every operation was really called
    assert tested and int(tested.group(1)) >= 15, out.stdout[-3000:]
