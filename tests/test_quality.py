"""Regression guard on the shared benchmark (real failed CI logs with people's labels).

The figures are measured by ../shared/benchmarks/score_excerpts.py's own scoring function on
the engine's output; the floors below sit just under the latest measured values (README) so
that a change that makes the engine worse fails here.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
from pathlib import Path

import pytest

from ciwhy.analysis import analyse
from ciwhy.analysis.library_index import default_library

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
DATA = SHARED / "logchunks"

# (the issue's own targets for root_hit, any_hit and F1, a little under the README's figures)
FLOORS = {"root_hit": 0.80, "any_hit": 0.92, "f1": 0.50, "ece_max": 0.08, "median_lines_max": 30}


def _scorer():
    spec = importlib.util.spec_from_file_location("score_excerpts", SHARED / "score_excerpts.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    if not DATA.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the shared benchmark is missing at {DATA}")
        pytest.skip("the shared benchmark is not beside this checkout")
    labels = [json.loads(x) for x in (DATA / "labels.jsonl").read_text().splitlines()]
    lib = default_library()
    preds = {}
    for lab in labels:
        a = analyse(gzip.decompress((DATA / lab["log"]).read_bytes()), library=lib)
        preds[lab["log"]] = {
            "root_cause_line": a.root_cause_line,
            "confidence": a.confidence,
            "excerpt": [{"start_line": b.start_line, "end_line": b.end_line} for b in a.excerpt],
        }
    return _scorer().score(labels, preds)


def test_root_cause_hits(figures: dict[str, float]) -> None:
    assert figures["root_hit"] >= FLOORS["root_hit"], figures
    assert figures["any_hit"] >= FLOORS["any_hit"], figures


def test_excerpt_quality(figures: dict[str, float]) -> None:
    assert figures["f1"] >= FLOORS["f1"], figures
    assert figures["median_lines"] <= FLOORS["median_lines_max"], figures


def test_confidence_is_calibrated(figures: dict[str, float]) -> None:
    assert figures["ece"] <= FLOORS["ece_max"], figures
