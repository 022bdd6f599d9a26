"""The Grafana dashboard (integrations/grafana) against the real API: every URL its panels
query, with the dashboard's variables filled in, answers 200 to a read token, and the JSON has
what each panel's root selector and columns name. A URL this test cannot resolve fails it."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.service.conftest import Server, wait_analysed
from tests.service.test_ingest import payload

DASHBOARD = Path(__file__).parents[2] / "integrations" / "grafana" / "ciwhy-dashboard.json"
INFINITY = "yesoreyeram-infinity-datasource"
_ISO = "%Y-%m-%dT%H:%M:%S.000Z"


def variables() -> dict[str, str]:
    """What Grafana puts in place of each variable the dashboard uses, for a dashboard opened
    now (a 7-day range ending now): computed when a query is made, not when the module is
    collected, so a slow run cannot leave the data it just wrote outside the range."""
    now = datetime.now(UTC)
    return {
        "days": "30",
        "__from:date:iso": (now - timedelta(days=7)).strftime(_ISO),
        "__to:date:iso": (now + timedelta(minutes=5)).strftime(_ISO),
    }


_VAR = re.compile(r"\$\{([^}]+)\}|\$(\w+)")


def dashboard() -> dict[str, Any]:
    return dict(json.loads(DASHBOARD.read_text()))


def targets() -> list[tuple[str, dict[str, Any]]]:
    """(panel title, target) for every query of every panel, rows' panels included."""
    out = []
    for p in dashboard()["panels"]:
        for inner in [p, *p.get("panels", [])]:
            out.extend((inner["title"], t) for t in inner.get("targets", []))
    return out


def resolve(url: str) -> str:
    values = variables()

    def sub(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        if name not in values:
            raise AssertionError(f"{url}: the test has no value for the variable {name!r}")
        return values[name]

    out = _VAR.sub(sub, url)
    assert "$" not in out, url
    return out


def pick(doc: Any, selector: str) -> Any:
    """A dotted path into `doc` ("" is the document); KeyError when a step is missing."""
    for step in [s for s in selector.split(".") if s]:
        if not isinstance(doc, dict) or step not in doc:
            raise KeyError(step)
        doc = doc[step]
    return doc


def test_the_dashboard_is_built_on_the_infinity_datasource_variable() -> None:
    d = dashboard()
    names = {v["name"]: v for v in d["templating"]["list"]}
    assert names["datasource"]["type"] == "datasource"
    assert names["datasource"]["query"] == INFINITY
    assert len(targets()) >= 10
    for title, t in targets():
        assert t["datasource"] == {"type": INFINITY, "uid": "${datasource}"}, title
        assert t["type"] == "json" and t["source"] == "url", title
        assert t["url"].startswith("/api/v1/"), (title, t["url"])  # relative to the server
        assert t["columns"], title
    kinds = {p["type"] for p in d["panels"]}
    assert {"stat", "timeseries", "table", "bargauge"} <= kinds


@pytest.fixture(scope="module")
def reader(server: Server) -> httpx.Client:
    """A tenant with something behind every panel: an analysed failure, two builds of one
    pipeline (red, then green), test results (passed, failed, flaky), an agent and a queue."""
    name = f"g-{uuid.uuid4().hex[:8]}"
    ing = server.client(server.token(name, "ingest"))
    rd = server.client(server.token(name, "read"))
    aid = ing.post("/api/ingest/log", json=payload(job_name="unit")).json()["analysis_id"]
    assert wait_analysed(rd, aid)["state"] == "analyzed"
    ids = []
    day_ago = datetime.now(UTC) - timedelta(days=1)
    for k, status in enumerate(("failure", "success")):
        build = {
            "jobName": "acme/shop/main",
            "buildNumber": 10 + k,
            "status": status,
            "duration": 60_000 + k,
            # (a day ago: inside the dashboard's 7-day range whenever the suite runs)
            "startedAt": (day_ago + timedelta(minutes=k)).strftime("%Y-%m-%dT%H:%M:00Z"),
            "completedAt": (day_ago + timedelta(minutes=k)).strftime("%Y-%m-%dT%H:%M:59Z"),
            "jenkinsInstanceId": "j1",
            "branch": "main",
            "commitSha": "abc",
            "externalRunId": uuid.uuid4().hex,
        }
        r = ing.post("/ingest/builds", json=build)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    tests = [
        {
            "name": "test_pay",
            "classname": "shop.Pay",
            "status": "failed",
            "duration": 30,
            "message": "assert 1 == 2",
        },
        {"name": "test_cart", "classname": "shop.Cart", "status": "flaky", "duration": 9},
        {"name": "test_list", "classname": "shop.List", "status": "passed", "duration": 3},
    ]
    r = ing.post("/ingest/tests", json={"buildId": ids[0], "tests": tests})
    assert r.status_code in (200, 201), r.text
    agents = {"jenkinsInstanceId": "j1",
              "agents": [{"name": "agent-1", "state": "busy", "executors": 2,
                          "busyExecutors": 1, "currentBuild": "acme/shop/main #11"}],
              "queue": [{"jobName": "acme/shop/main", "waitMs": 1500}]}  # fmt: skip
    r = ing.post("/ingest/agents", json=agents)
    assert r.status_code in (200, 201), r.text
    return rd


@pytest.mark.parametrize("title,target", targets(), ids=[f"{t}" for t, _ in targets()])
def test_every_panel_query_answers_what_the_panel_reads(
    reader: httpx.Client, title: str, target: dict[str, Any]
) -> None:
    url = resolve(target["url"])
    r = reader.get(url)
    assert r.status_code == 200, f"{title}: GET {url} -> {r.status_code} {r.text[:300]}"
    try:
        root = pick(r.json(), target.get("root_selector", ""))
    except KeyError as exc:
        raise AssertionError(f"{title}: {url} has no {target['root_selector']!r}") from exc
    rows = root if isinstance(root, list) else [root]
    assert rows, f"{title}: {url} gave no rows under {target.get('root_selector')!r}"
    for row in rows:
        for c in target["columns"]:
            try:
                value = pick(row, c["selector"])
            except KeyError:
                raise AssertionError(f"{title}: a row of {url} has no {c['selector']!r}") from None
            if value is not None and c.get("type") == "number":
                assert isinstance(value, int | float), (title, c["selector"], value)
            if value is not None and c.get("type") == "timestamp":
                datetime.fromisoformat(str(value).replace("Z", "+00:00"))
