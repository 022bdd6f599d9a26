"""The scripts in docs/recipes.md, run as written against the real server: the morning
digest (bash, curl, jq) and the pull-based bot (Python, httpx), so the docs cannot drift
from the API."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.service.conftest import Server, wait_analysed
from tests.service.test_ingest import payload

RECIPES = Path(__file__).parents[2] / "docs" / "recipes.md"


def block(heading: str, lang: str) -> str:
    """The first ```lang block under the `## heading` of recipes.md."""
    text = RECIPES.read_text()
    section = text[text.index(f"## {heading}") :]
    m = re.search(rf"```{lang}\n(.*?)```", section, re.S)
    assert m, f"no {lang} block under {heading!r}"
    return m.group(1)


@pytest.fixture(scope="module")
def tenant(server: Server) -> dict[str, str]:
    name = f"rec-{uuid.uuid4().hex[:6]}"
    ing = server.client(server.token(name, "ingest"))
    read = server.token(name, "read")
    rd = server.client(read)
    for k in range(3):
        aid = ing.post("/api/ingest/log", json=payload(job_id=f"r{k}")).json()["analysis_id"]
        wait_analysed(rd, aid)
    return {"name": name, "read": read}


def env(server: Server, token: str, tmp: Path) -> dict[str, str]:
    return {**os.environ, "CIWHY_URL": server.url, "CIWHY_TOKEN": token,
            "CIWHY_BOT_STATE": str(tmp / "bot.json")}  # fmt: skip


def test_the_morning_digest_runs(server: Server, tenant: dict[str, str], tmp_path: Path) -> None:
    script = tmp_path / "digest.sh"
    script.write_text(block("A morning digest", "bash"))
    out = subprocess.run(["bash", str(script)], cwd=tmp_path, env=env(server, tenant["read"],
                         tmp_path), capture_output=True, text=True, timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert re.search(r"CI since yesterday 00:00 UTC: 3 failures, 3 analysed", out.stdout)
    assert "Recurring causes, last 7 days:" in out.stdout and "- 3x " in out.stdout
    assert "Projects failing most" in out.stdout


def test_the_bot_hands_each_analysis_over_once(
    server: Server, tenant: dict[str, str], tmp_path: Path
) -> None:
    bot = tmp_path / "bot.py"
    bot.write_text(block("A bot that pulls new analyses", "python"))
    e = env(server, tenant["read"], tmp_path)

    def run() -> list[str]:
        out = subprocess.run([sys.executable, str(bot)], env=e, capture_output=True, text=True,
                             timeout=60)  # fmt: skip
        assert out.returncode == 0, out.stderr
        return out.stdout.splitlines()

    assert len(run()) == 3
    assert run() == []
    ing = server.client(server.token(tenant["name"], "ingest"))
    aid = ing.post("/api/ingest/log", json=payload(job_id="late")).json()["analysis_id"]
    wait_analysed(server.client(tenant["read"]), aid)
    assert len(run()) == 1
