"""GitHub Actions and GitLab CI webhooks: signatures, delivery ids, decoding and translation."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import hmac
import json
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.datastructures import Headers as StarletteHeaders

from ciwhy.ingest.runs import JobUpsert, RunUpsert
from ciwhy.ingest.webhooks import PROVIDERS, Provider, WebhookError

FIXTURES = Path(__file__).parent / "fixtures" / "webhooks"
GITHUB = PROVIDERS["github"]
GITLAB = PROVIDERS["gitlab"]
SECRET = "It's a Secret to Everybody"
GH_RUN = "Codertocat/Hello-World#1108934553"
GH_SHA = "3484a3fb816e0859fd6e1cea078d76385ff50625"
GL_SHA = "bcbb5ec396a2c0f828686f14fac9b80b780504f2"
GL_WEB = "https://gitlab.example.com/gitlab-org/gitlab-test"
GL_RUNNER = "shared-runners-manager-6.gitlab.com"


def load(provider: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / provider / f"{name}.json").read_text("utf-8"))
    return data


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def gh_sign(raw: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def gh(event: str, payload: dict[str, Any]) -> RunUpsert | None:
    return GITHUB.translate({"X-GitHub-Event": event}, payload)


def gl(payload: dict[str, Any], headers: dict[str, str] | None = None) -> RunUpsert | None:
    return GITLAB.translate(headers or {"X-Gitlab-Event": "Pipeline Hook"}, payload)


def check(obj: object, **expected: object) -> None:
    assert {name: getattr(obj, name) for name in expected} == expected


# --- registry, signatures, delivery ids ---------------------------------------------------------


def test_registry_holds_both_providers_by_name() -> None:
    assert set(PROVIDERS) >= {"github", "gitlab"}
    assert all(isinstance(p, Provider) and p.name == n for n, p in PROVIDERS.items())


def test_github_signature_matches_the_documented_test_vector() -> None:
    raw = b"Hello, World!"
    sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert gh_sign(raw) == sig
    assert GITHUB.verify(SECRET, {"X-Hub-Signature-256": sig}, raw)


def test_github_signature_is_over_the_raw_bytes() -> None:
    raw = json.dumps(load("github", "workflow_run_requested")).encode()
    sig = gh_sign(raw)
    assert GITHUB.verify(SECRET, {"x-hub-signature-256": sig}, raw)
    starlette = StarletteHeaders(raw=[(b"x-hub-signature-256", sig.encode())])
    assert GITHUB.verify(SECRET, starlette, raw)
    tampered = bytearray(raw)
    tampered[len(raw) // 2] ^= 0x01
    assert not GITHUB.verify(SECRET, {"X-Hub-Signature-256": sig}, bytes(tampered))
    assert not GITHUB.verify("another secret", {"X-Hub-Signature-256": sig}, raw)
    assert not GITHUB.verify(SECRET, {}, raw)


@pytest.mark.parametrize(
    "value",
    ["", "sha256=", "sha256=abc", "sha1=" + "0" * 40, "SHA256=" + "0" * 64, "sha256=" + "g" * 64,
     "sha256=" + "é" * 64, "sha256=" + "0" * 65],
)  # fmt: skip
def test_github_malformed_signature_headers_are_refused(value: str) -> None:
    assert not GITHUB.verify(SECRET, {"X-Hub-Signature-256": value}, b"{}")


def test_github_legacy_sha1_header_alone_is_refused_and_empty_secret_never_verifies() -> None:
    raw = b'{"zen": "x"}'
    sha1 = "sha1=" + hmac.new(SECRET.encode(), raw, hashlib.sha1).hexdigest()
    assert not GITHUB.verify(SECRET, {"X-Hub-Signature": sha1}, raw)
    assert not GITHUB.verify("", {"X-Hub-Signature-256": gh_sign(raw, "")}, raw)


def test_gitlab_token_compare() -> None:
    assert GITLAB.verify("t0ken", {"X-Gitlab-Token": "t0ken"}, b"anything")
    assert GITLAB.verify("t0ken", {"x-gitlab-token": "t0ken"}, b"")
    assert not GITLAB.verify("t0ken", {"X-Gitlab-Token": "t0ken "}, b"")
    assert not GITLAB.verify("t0ken", {"X-Gitlab-Token": "t0ke"}, b"")
    assert not GITLAB.verify("t0ken", {"X-Gitlab-Secret": "t0ken"}, b"")
    assert not GITLAB.verify("", {"X-Gitlab-Token": ""}, b"")
    # a non-ASCII secret, as a plain str and as Starlette decodes the raw header (Latin-1)
    assert GITLAB.verify("grüße", {"X-Gitlab-Token": "grüße"}, b"")
    latin = StarletteHeaders(raw=[(b"x-gitlab-token", "grüße".encode())])
    assert GITLAB.verify("grüße", latin, b"")
    assert not GITLAB.verify("grüße", {"X-Gitlab-Token": "grüsse"}, b"")


def test_delivery_ids() -> None:
    guid = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
    assert GITHUB.delivery_id({"x-github-delivery": f" {guid} "}, b"") == guid
    for bad in ("", "   ", "a" * 201, "id\nwith-newline"):
        assert GITHUB.delivery_id({"X-GitHub-Delivery": bad}, b"") is None
    assert GITHUB.delivery_id({}, b"") is None
    both = {"X-Gitlab-Event-UUID": "event-uuid", "Idempotency-Key": "idem-key"}
    assert GITLAB.delivery_id(both, b"") == "idem-key"
    assert GITLAB.delivery_id({"x-gitlab-event-uuid": "event-uuid"}, b"") == "event-uuid"
    assert GITLAB.delivery_id({"Idempotency-Key": ""}, b"") is None


# --- decoding -----------------------------------------------------------------------------------


def test_github_form_encoded_delivery_verifies_over_the_form_body() -> None:
    payload = load("github", "workflow_run_completed_failure")
    raw = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode("ascii")
    headers = {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        "X-Hub-Signature-256": gh_sign(raw),
    }
    assert GITHUB.verify(SECRET, headers, raw)
    assert GITHUB.parse(headers, raw) == payload
    as_json = json.dumps(payload).encode()
    assert GITHUB.parse({"content-type": "application/json"}, as_json) == payload


@pytest.mark.parametrize(
    "raw",
    [b"", b"zen=1", b"payload=%7B%7D&payload=%7B%7D", b"payload=%FF", b"payload=%5B%5D",
     "é".encode()],
)  # fmt: skip
def test_github_bad_form_bodies(raw: bytes) -> None:
    with pytest.raises(WebhookError):
        GITHUB.parse({"Content-Type": "application/x-www-form-urlencoded"}, raw)


@pytest.mark.parametrize("provider", [GITHUB, GITLAB], ids=["github", "gitlab"])
@pytest.mark.parametrize(
    "raw",
    [b"[]", b'"text"', b"42", b"null", b"true", b"", b"{", b"\xff\xfe{}", b'{"a": "\xc3"}',
     b'{"a": NaN}', b"Infinity", b"1" * 5000, b"[" * 200_000,
     b'{"a":' * 200_000 + b"1" + b"}" * 200_000],
    ids=["array", "string", "number", "null", "bool", "empty", "truncated", "utf16-bom",
         "bad-utf8", "nan", "infinity", "huge-int", "deep-array", "deep-object"],
)  # fmt: skip
def test_bodies_that_are_not_json_objects(provider: Provider, raw: bytes) -> None:
    with pytest.raises(WebhookError):
        provider.parse({"Content-Type": "application/json"}, raw)


# --- GitHub translation -------------------------------------------------------------------------

RUN_COMMON = dict(source="github", provider="github", project="Codertocat/Hello-World",
                  commit_sha=GH_SHA, external_id="1108934553", run_number="163")  # fmt: skip


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("workflow_run_requested", dict(key=f"{GH_RUN}#1", pipeline="CI", status="queued",
            vendor_status="queued", attempt=1, branch="feature/login", trigger="pull_request",
            actor="octocat", started_at=at("2021-08-05T10:33:56"), completed_at=None,
            duration_ms=None, url="https://github.com/Codertocat/Hello-World/actions/runs/1108934553",
            extra={"pull_requests": [42], "workflow_path": ".github/workflows/ci.yml"}, jobs=())),
        ("workflow_run_in_progress", dict(status="running", vendor_status="in_progress",
            completed_at=None, duration_ms=None)),
        ("workflow_run_completed_failure", dict(key=f"{GH_RUN}#1", status="failed",
            vendor_status="failure", actor="monalisa", completed_at=at("2021-08-05T10:38:20"),
            duration_ms=264_000)),
        ("workflow_run_rerun_attempt2", dict(key=f"{GH_RUN}#2", attempt=2, pipeline="CI",
            status="success", vendor_status="success", actor="octocat", trigger="push",
            branch="main", duration_ms=210_000,
            extra={"pull_requests": [], "workflow_path": ".github/workflows/ci.yml"})),
        ("workflow_run_startup_failure", dict(key="Codertocat/Hello-World#1108999001#1",
            external_id="1108999001", run_number="164", pipeline=".github/workflows/ci.yml",
            status="failed", vendor_status="startup_failure", duration_ms=1000)),
        ("workflow_run_unknown_conclusion", dict(status="some_new_value",
            vendor_status="some_new_value", duration_ms=364_000)),
    ],
)  # fmt: skip
def test_workflow_run(fixture: str, expected: dict[str, Any]) -> None:
    run = gh("workflow_run", load("github", fixture))
    assert isinstance(run, RunUpsert)
    check(run, **{**RUN_COMMON, **expected})


JOB_URL = "https://github.com/Codertocat/Hello-World/actions/runs/1108934553/job/"


@pytest.mark.parametrize(
    ("fixture", "run_fields", "job_fields"),
    [
        ("workflow_job_queued", dict(key=f"{GH_RUN}#1", pipeline="CI", branch="feature/login"),
            dict(kind="job", key="2832853555", name="test (3.11)", status="queued",
                vendor_status="queued", started_at=at("2021-08-05T10:33:58"), completed_at=None,
                duration_ms=None, queue_ms=0, runner=None, labels=("ubuntu-latest",),
                failure_reason=None, url=JOB_URL + "2832853555", attempt=1)),
        ("workflow_job_in_progress", {}, dict(status="running", vendor_status="in_progress",
            runner="GitHub Actions 5", queue_ms=60_000, failure_reason=None)),
        ("workflow_job_completed_failure", {}, dict(status="failed", vendor_status="failure",
            completed_at=at("2021-08-05T10:38:16"), duration_ms=198_000, queue_ms=60_000,
            failure_reason="step: Run pytest")),
        ("workflow_job_cancelled_before_start", {}, dict(key="2832853556", name="deploy",
            status="cancelled", vendor_status="cancelled", runner=None, labels=(),
            failure_reason=None, duration_ms=0, queue_ms=31_000, url=JOB_URL + "2832853556")),
        ("workflow_job_unknown_conclusion", dict(key=f"{GH_RUN}#2", attempt=2,
            pipeline="(unknown workflow)", branch=None), dict(status="some_new_value",
            vendor_status="some_new_value", runner="my-runner-01", attempt=2,
            labels=("self-hosted", "linux", "x64"), duration_ms=50_000, queue_ms=9_000)),
    ],
)  # fmt: skip
def test_workflow_job(fixture: str, run_fields: dict[str, Any], job_fields: dict[str, Any]) -> None:
    run = gh("workflow_job", load("github", fixture))
    assert isinstance(run, RunUpsert)
    check(run, source="github", provider="github", project="Codertocat/Hello-World",
          status=None, vendor_status=None, commit_sha=GH_SHA, external_id="1108934553",
          **run_fields)  # fmt: skip
    assert len(run.jobs) == 1
    check(run.jobs[0], **job_fields)


def test_github_conclusion_counts_only_once_completed() -> None:
    payload = load("github", "workflow_run_in_progress")
    run = gh("workflow_run", _edit(payload, "workflow_run.conclusion", "failure"))
    assert run is not None
    check(run, status="running", vendor_status="in_progress", completed_at=None)
    payload = _edit(load("github", "workflow_job_queued"), "workflow_job.status", "completed")
    run = gh("workflow_job", payload)  # completed without a conclusion: the status word is kept
    assert run is not None
    check(run.jobs[0], status="completed", vendor_status="completed")


def test_github_events_that_are_not_stored() -> None:
    assert gh("ping", load("github", "ping")) is None
    assert gh("push", load("github", "workflow_run_completed_failure")) is None
    assert GITHUB.translate({"x-github-event": "ping"}, load("github", "ping")) is None
    with pytest.raises(WebhookError, match="X-GitHub-Event"):
        GITHUB.translate({}, load("github", "ping"))


def _edit(payload: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    edited = copy.deepcopy(payload)
    *parents, last = path.split(".")
    target = edited
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value
    return edited


_DELETE = object()


@pytest.mark.parametrize(
    ("event", "fixture", "path", "value", "message"),
    [
        ("workflow_run", "workflow_run_requested", "workflow_run", _DELETE, "workflow_run"),
        ("workflow_run", "workflow_run_requested", "workflow_run", [], "workflow_run"),
        ("workflow_run", "workflow_run_requested", "repository.full_name", _DELETE,
         "repository.full_name"),
        ("workflow_run", "workflow_run_requested", "workflow_run.id", "1108934553",
         "workflow_run.id"),
        ("workflow_run", "workflow_run_requested", "workflow_run.id", True, "workflow_run.id"),
        ("workflow_run", "workflow_run_requested", "workflow_run.run_started_at", "yesterday",
         "workflow_run.run_started_at"),
        ("workflow_job", "workflow_job_queued", "workflow_job.run_id", None,
         "workflow_job.run_id"),
        ("workflow_job", "workflow_job_queued", "workflow_job.id", 2**70, "workflow_job.id"),
        ("workflow_job", "workflow_job_queued", "workflow_job.labels", [1],
         r"workflow_job.labels\[0\]"),
    ],
)  # fmt: skip
def test_github_missing_or_mistyped_required_fields(
    event: str, fixture: str, path: str, value: object, message: str
) -> None:
    with pytest.raises(WebhookError, match=message):
        gh(event, _edit(load("github", fixture), path, value))


# --- GitLab translation -------------------------------------------------------------------------


def test_gitlab_pipeline_failed_with_allow_failure_job() -> None:
    run = gl(load("gitlab", "pipeline_failed"), {"X-Gitlab-Instance": "https://gitlab.example.com"})
    assert isinstance(run, RunUpsert)
    check(run, source="gitlab", provider="gitlab", key="gitlab-org/gitlab-test#31",
          project="gitlab-org/gitlab-test", pipeline="Pipeline for branch: master",
          status="failed", vendor_status="failed", run_number="3", branch="master",
          commit_sha=GL_SHA, trigger="push", actor="root", external_id="31",
          url=f"{GL_WEB}/-/pipelines/31", instance="https://gitlab.example.com",
          started_at=at("2016-08-12T15:23:28"), completed_at=at("2016-08-12T15:26:29"),
          duration_ms=63_000, queue_ms=12_000, extra={})  # fmt: skip
    jobs = {job.key: job for job in run.jobs}
    assert list(jobs) == ["380", "377", "378", "379", "376"]
    check(jobs["380"], kind="job", name="production", stage="deploy", status="skipped",
          runner=None, labels=(), duration_ms=None, queue_ms=None,
          url=f"{GL_WEB}/-/jobs/380")  # fmt: skip
    check(jobs["378"], name="test-build", status="failed", vendor_status="failed",
          failure_reason="script_failure", runner=GL_RUNNER, labels=("linux", "docker",
          "shared-runner"), duration_ms=17_000, queue_ms=196_000,
          started_at=at("2016-08-12T15:26:12"), completed_at=at("2016-08-12T15:26:29"))  # fmt: skip
    check(jobs["379"], status="failed", failure_reason="script_failure", duration_ms=8_250)
    check(jobs["376"], status="success", duration_ms=30_100, queue_ms=88_000)


def test_gitlab_merge_request_pipeline_running() -> None:
    run = gl(load("gitlab", "pipeline_merge_request"))
    assert isinstance(run, RunUpsert)
    check(run, key="gitlab-org/gitlab-test#32", pipeline="pipeline for refs/merge-requests/1/head",
          status="running", vendor_status="running", trigger="merge_request_event",
          completed_at=None, duration_ms=None, queue_ms=3_000, instance=None,
          extra={"merge_request_iid": 1})  # fmt: skip
    check(run.jobs[0], key="390", status="running", completed_at=None, runner=GL_RUNNER)
    check(run.jobs[1], key="391", status="pending", runner=None, labels=(), started_at=None)


def test_gitlab_timeout_rule() -> None:
    payload = load("gitlab", "pipeline_timeout")
    run = gl(payload)
    assert isinstance(run, RunUpsert)
    check(run, status="timeout", vendor_status="failed", pipeline="Child pipeline: integration",
          trigger="parent_pipeline",
          extra={"upstream": "gitlab-org/upstream-project#30"})  # fmt: skip
    check(run.jobs[0], status="timeout", vendor_status="failed",
          failure_reason="job_execution_timeout", duration_ms=3_600_000)  # fmt: skip
    check(run.jobs[1], status="failed", failure_reason="script_failure")
    # once the script failure counts, the pipeline did not fail only by timing out
    counted = gl(_edit(payload, "builds.1.allow_failure", False))
    assert counted is not None and counted.status == "failed"


def test_gitlab_job_hook_failed_by_timeout() -> None:
    run = gl(load("gitlab", "job_failed_timeout"), {"X-Gitlab-Event": "Job Hook"})
    assert isinstance(run, RunUpsert)
    check(run, source="gitlab", key="gitlab-org/gitlab-test#2366", pipeline="Build pipeline",
          status=None, vendor_status=None, branch="gitlab-script-trigger", external_id="2366",
          commit_sha="2293ada6b400935a1378653304eaf6221e0fdb8f", actor=None)  # fmt: skip
    (job,) = run.jobs
    check(job, kind="job", key="1977", name="test", stage="test", status="timeout",
          vendor_status="failed", failure_reason="stuck_or_timeout_failure",
          started_at=at("2021-02-23T02:41:40"), completed_at=at("2021-02-23T03:41:41"),
          duration_ms=3_600_890, queue_ms=2_226, runner=GL_RUNNER, labels=("linux", "docker"),
          url=f"{GL_WEB}/-/jobs/1977", attempt=3)  # fmt: skip


def test_gitlab_job_hook_with_nulls() -> None:
    run = gl(load("gitlab", "job_nulls"))
    assert isinstance(run, RunUpsert)
    check(run, pipeline="(unknown pipeline)", status=None)
    check(run.jobs[0], key="1978", status="queued", vendor_status="created", started_at=None,
          completed_at=None, duration_ms=None, queue_ms=None, runner=None, labels=(),
          failure_reason=None, attempt=1)  # fmt: skip


def test_gitlab_unknown_values_are_kept_and_other_kinds_ignored() -> None:
    payload = _edit(load("gitlab", "job_failed_timeout"), "build_status", "some_new_status")
    payload["build_failure_reason"] = "brand_new_reason"
    run = gl(payload)
    assert run is not None
    check(run.jobs[0], status="some_new_status", failure_reason="brand_new_reason")
    assert gl(load("gitlab", "push")) is None
    assert gl({"object_kind": "note"}) is None


@pytest.mark.parametrize(
    ("fixture", "path", "value", "message"),
    [
        ("pipeline_failed", "object_kind", _DELETE, "object_kind"),
        ("pipeline_failed", "project.path_with_namespace", "", "project.path_with_namespace"),
        ("pipeline_failed", "object_attributes.id", 31.0, "object_attributes.id"),
        ("pipeline_failed", "builds.1.id", None, r"builds\[1\].id"),
        ("pipeline_failed", "builds.1.duration", "17", r"builds\[1\].duration"),
        ("pipeline_failed", "builds.1.duration", float("inf"), r"builds\[1\].duration"),
        ("pipeline_failed", "builds.1.queued_duration", float("nan"), "queued_duration"),
        ("pipeline_failed", "object_attributes.duration", 1e11, "object_attributes.duration"),
        ("pipeline_failed", "object_attributes.created_at", "12/08/2016",
         "object_attributes.created_at"),
        ("job_failed_timeout", "pipeline_id", _DELETE, "pipeline_id"),
        ("job_failed_timeout", "build_id", "1977", "build_id"),
        ("job_failed_timeout", "runner", "shared", "runner"),
    ],
)  # fmt: skip
def test_gitlab_missing_or_mistyped_required_fields(
    fixture: str, path: str, value: object, message: str
) -> None:
    with pytest.raises(WebhookError, match=message):
        gl(_edit(load("gitlab", fixture), path, value))


# --- property: translate raises nothing but WebhookError ----------------------------------------

LEAVES = (
    st.none() | st.booleans() | st.integers() | st.integers(2**62, 2**80) | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["", "completed", "failed", "2021-08-05T10:33:56Z", "2016-08-12 1:2 UTC"])
)  # fmt: skip
JSON = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)  # fmt: skip
CASES = [("github", f.stem) for f in sorted((FIXTURES / "github").glob("*.json"))] + [
    ("gitlab", f.stem) for f in sorted((FIXTURES / "gitlab").glob("*.json"))
]


def _paths(value: object, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    else:
        children = []
    for key, child in children:
        found += _paths(child, (*prefix, key))
    return found


def _replace(payload: Any, path: tuple[Any, ...], value: object) -> None:
    target = payload
    for part in path[:-1]:
        try:
            target = target[part]
        except (KeyError, IndexError, TypeError):
            return  # an earlier replacement removed this path
    if isinstance(target, dict | list):
        try:
            target[path[-1]] = value
        except (IndexError, TypeError):
            return


#: The fields translate reads: most replacements hit one of these.
_READ_NAMES = """workflow_run workflow_job workflow repository full_name id run_id
run_attempt name path status conclusion run_started_at updated_at created_at started_at
completed_at run_number
pull_requests number head_branch head_sha event triggering_actor actor login html_url runner_name
labels steps workflow_name object_kind object_attributes project path_with_namespace web_url
builds failure_reason allow_failure finished_at duration queued_duration runner description tags
stage iid ref sha source user username url merge_request source_pipeline pipeline_id build_id
build_status build_failure_reason build_started_at build_started_at_iso build_finished_at
build_finished_at_iso build_duration build_queued_duration retries_count build_name build_stage
commit"""
READ = frozenset(_READ_NAMES.split())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CASES), st.data())
def test_translate_raises_only_webhook_error(case: tuple[str, str], data: st.DataObject) -> None:
    provider, name = case
    payload = load(provider, name)
    paths = _paths(payload)
    by_field: dict[str, list[tuple[Any, ...]]] = {}
    for path in paths:
        if path[-1] in READ:
            by_field.setdefault(path[-1], []).append(path)
    for _ in range(data.draw(st.integers(1, 4))):
        if data.draw(st.booleans()):  # a field translate reads, each name as likely as another
            field = data.draw(st.sampled_from(sorted(by_field)))
            path = data.draw(st.sampled_from(by_field[field]))
        else:
            path = data.draw(st.sampled_from(paths))
        _replace(payload, path, data.draw(JSON))
    event = next((e for e in ("workflow_run", "workflow_job") if name.startswith(e)), "ping")
    headers = {"X-GitHub-Event": event, "X-Gitlab-Instance": "gitlab.example.com"}
    try:
        run = PROVIDERS[provider].translate(headers, payload)
    except WebhookError:
        return
    assert run is None or isinstance(run, RunUpsert)
    if run is not None:
        assert all(isinstance(job, JobUpsert) and isinstance(job.status, str) for job in run.jobs)
        assert isinstance(run.pipeline, str) and run.pipeline


KEYS = ["workflow_run", "workflow_job", "repository", "workflow", "object_attributes",
        "project", "builds", "build_id", "pipeline_id", "commit", "runner"]  # fmt: skip
#: Every key the fixtures use, so that generated objects hit the fields translate reads.
FIELD_NAMES = sorted({path[-1] for kind, name in CASES for path in _paths(load(kind, name))
                      if isinstance(path[-1], str)})  # fmt: skip
FIELDS = st.dictionaries(st.sampled_from(FIELD_NAMES), JSON, max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(KEYS), JSON | FIELDS | st.lists(FIELDS, max_size=3)),
    st.sampled_from(["pipeline", "build", "push"]),
)
def test_translate_of_arbitrary_objects(payload: dict[str, Any], kind: str) -> None:
    payload = {**payload, "object_kind": kind}
    for provider, event in (("github", "workflow_run"), ("github", "workflow_job"), ("gitlab", "")):
        with contextlib.suppress(WebhookError):
            PROVIDERS[provider].translate({"X-GitHub-Event": event}, payload)
