"""Webhook receivers over real HTTP: deliveries signed the way GitHub and GitLab sign them,
per-tenant URLs and secrets from `ciwhy webhooks secret`, the same 404 for every unknown or
unverifiable delivery, deduplication, rotation."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from pathlib import Path

import httpx
import pytest

from tests.service.conftest import Server

HOOKS = Path(__file__).parents[1] / "fixtures" / "webhooks"


def secret(server: Server, provider: str, tenant: str, *extra: str) -> tuple[str, str]:
    out = server.cli("webhooks", "secret", "--provider", provider, "--tenant", tenant, *extra)
    lines = out.stdout.strip().splitlines()
    return lines[0], lines[-1]


def github(url: str, key: str, event: str, body: bytes, delivery: str | None = None,
           signature: str | None = None) -> httpx.Response:  # fmt: skip
    sig = signature or "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    return httpx.post(url, content=body, headers={
        "X-GitHub-Event": event, "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-Hub-Signature-256": sig, "Content-Type": "application/json"})  # fmt: skip


def fixture(provider: str, name: str) -> bytes:
    return (HOOKS / provider / f"{name}.json").read_bytes()


@pytest.fixture(scope="module")
def tenant(server: Server) -> tuple[str, httpx.Client]:
    name = f"w-{uuid.uuid4().hex[:8]}"
    return name, server.client(server.token(name, "read"))


def test_github_run_and_job_become_one_run(server: Server, tenant) -> None:
    name, rd = tenant
    url, key = secret(server, "github", name)
    assert "/webhooks/github/" in url
    path = url[url.index("/webhooks/") :]
    target = server.url + path
    job = github(target, key, "workflow_job", fixture("github", "workflow_job_completed_failure"))
    assert job.status_code == 200, job.text
    run = github(target, key, "workflow_run", fixture("github", "workflow_run_completed_failure"))
    assert run.status_code == 200 and run.json()["run_id"] == job.json()["run_id"]
    got = rd.get(f"/api/v1/runs/{run.json()['run_id']}").json()
    assert got["status"] == "failed" and got["project"] == "Codertocat/Hello-World"
    assert got["provider"] == "github" and got["source"] == "github"
    assert [j["name"] for j in got["jobs"]] == ["test (3.11)"]
    assert got["jobs"][0]["status"] == "failed"
    # The same delivery again: acknowledged, not stored twice.
    d = str(uuid.uuid4())
    body = fixture("github", "workflow_run_in_progress")
    first = github(target, key, "workflow_run", body, delivery=d)
    again = github(target, key, "workflow_run", body, delivery=d)
    assert first.json()["status"] == "accepted" and again.json()["status"] == "duplicate"
    ping = github(target, key, "ping", b'{"zen": "Keep it logically awesome."}')
    assert ping.status_code == 200 and ping.json()["status"] == "ignored"


def test_unverifiable_deliveries_all_look_alike(server: Server, tenant) -> None:
    name, _ = tenant
    url, key = secret(server, "github", name)
    path = url[url.index("/webhooks/") :]
    body = fixture("github", "workflow_run_completed_failure")
    answers = [
        github(server.url + path, "wrong-secret", "workflow_run", body),
        github(server.url + path, key, "workflow_run", body, signature="sha256=00"),
        github(server.url + path, key, "workflow_run", body, signature="sha1=abc"),
        github(server.url + "/webhooks/github/not-a-receiver", key, "workflow_run", body),
        github(server.url + "/webhooks/bitbucket/" + path.rsplit("/", 1)[1], key, "x", body),
        httpx.post(server.url + path, content=body),  # no signature at all
    ]
    tampered = body.replace(b"failure", b"success", 1)
    sig = "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    answers.append(github(server.url + path, key, "workflow_run", tampered, signature=sig))
    assert {a.status_code for a in answers} == {404}
    assert len({a.text for a in answers}) == 1


def test_rotation_and_tenants(server: Server, tenant) -> None:
    name, _ = tenant
    url, key = secret(server, "github", name)
    url2, key2 = secret(server, "github", name, "--rotate")
    assert url2 == url and key2 != key
    path = url[url.index("/webhooks/") :]
    body = fixture("github", "workflow_run_requested")
    assert github(server.url + path, key, "workflow_run", body).status_code == 404
    assert github(server.url + path, key2, "workflow_run", body).status_code == 200
    other_url, _ = secret(server, "github", name + "-other")
    assert other_url != url
    # The bare URL serves the default tenant.
    _, default_key = secret(server, "github", "default")
    assert github(server.url + "/webhooks/github", default_key, "workflow_run",
                  body).status_code == 200  # fmt: skip
    assert github(server.url + "/webhooks/github", key2, "workflow_run", body).status_code == 404


def test_gitlab_pipeline_and_job_hooks(server: Server, tenant) -> None:
    name, rd = tenant
    url, key = secret(server, "gitlab", name)
    target = server.url + url[url.index("/webhooks/") :]

    def send(body: bytes, event: str, token: str = key, uuid_: str | None = None):
        return httpx.post(target, content=body, headers={
            "X-Gitlab-Event": event, "X-Gitlab-Token": token, "Content-Type": "application/json",
            "X-Gitlab-Event-UUID": uuid_ or str(uuid.uuid4())})  # fmt: skip

    p = send(fixture("gitlab", "pipeline_failed"), "Pipeline Hook")
    assert p.status_code == 200, p.text
    got = rd.get(f"/api/v1/runs/{p.json()['run_id']}").json()
    assert got["status"] == "failed" and got["project"] == "gitlab-org/gitlab-test"
    assert len(got["jobs"]) == 5 and any(j["failure_reason"] for j in got["jobs"])
    assert send(fixture("gitlab", "pipeline_failed"), "Pipeline Hook", token="nope"
                ).status_code == 404  # fmt: skip
    j = send(fixture("gitlab", "job_failed_timeout"), "Job Hook")
    assert j.status_code == 200
    job_run = rd.get(f"/api/v1/runs/{j.json()['run_id']}").json()
    assert any(x["status"] == "timeout" for x in job_run["jobs"])
    bad = httpx.post(
        target,
        content=b"[1, 2]",
        headers={"X-Gitlab-Token": key, "X-Gitlab-Event": "Pipeline Hook"},
    )
    assert bad.status_code == 400


def test_webhook_body_cap(server: Server, tenant) -> None:
    name, _ = tenant
    url, key = secret(server, "gitlab", name)
    r = httpx.post(server.url + url[url.index("/webhooks/"):], content=b" " * (26 << 20),
                   headers={"X-Gitlab-Token": key})  # fmt: skip
    assert r.status_code == 413


def test_cli_prints_url_then_secret(server: Server) -> None:
    out = server.cli("webhooks", "secret", "--provider", "gitlab", "--tenant", "cli-t")
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 2 and "/webhooks/gitlab/" in lines[0] and len(lines[1]) >= 40
    assert json.dumps(lines)
    bad = server.cli("webhooks", "secret", "--provider", "jenkins", check=False)
    assert bad.returncode == 2 and "github, gitlab" in bad.stderr
