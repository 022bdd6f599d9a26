"""Stage ② normalise: slugs, statuses, the wire schemas, the native mappings, the 400 details.

Native bodies are raw JSON, shaped after reference/ci-shapes.md §2.5-2.9, and go through
``Route.parse`` (``model_validate_json``) exactly as the web layer will send them.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, replace
from typing import Any

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciwhy.ingest import FAILED_STATUSES, ROUTES, Submission, normalise_status, provider_slug
from ciwhy.ingest.errors import validation_details
from ciwhy.ingest.normalise import STATUSES
from ciwhy.ingest.providers import Route, register
from ciwhy.ingest.schemas import LogIngest

SLUG = re.compile(r"^([a-z0-9]([a-z0-9_]{0,30}[a-z0-9])?)?$")


def parse(route: str, body: dict[str, Any] | str) -> Submission:
    return ROUTES[route].parse(body if isinstance(body, str) else json.dumps(body))


def details(route: str, body: Any) -> list[dict[str, str]]:
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    with pytest.raises(pydantic.ValidationError) as caught:
        ROUTES[route].parse(raw)
    return validation_details(caught.value)


# --- provider_slug ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "slug"),
    [
        ("My CI 1.0", "my_ci_1_0"),
        ("GitHub Actions", "github_actions"),
        ("  (Jenkins) ", "jenkins"),
        ("///", ""),
        ("", ""),
        ("Büild", "b_ild"),  # non-ASCII letters are not transliterated
        ("\u212aube", "ube"),  # the Kelvin sign lower-cases to "k" in Unicode, not here
        ("gitlab-ci/self_hosted", "gitlab_ci_self_hosted"),
        ("a__b--c", "a_b_c"),
        ("\x00Drone\x1b[31m\n", "drone_31m"),
        ("🚀 Woodpecker 🚀", "woodpecker"),
        ("x" * 40, "x" * 32),
        ("a" * 31 + " b", "a" * 31),  # cut at 32 leaves "…a_": trimmed again
    ],
)
def test_provider_slug(raw: str, slug: str) -> None:
    assert provider_slug(raw) == slug


@given(st.text() | st.text(alphabet=st.characters(codec="ascii"), max_size=80))
def test_provider_slug_shape(raw: str) -> None:
    slug = provider_slug(raw)
    assert SLUG.match(slug)
    assert "__" not in slug
    assert provider_slug(slug) == slug
    assert bool(slug) == any(c.isascii() and c.isalnum() for c in raw)


# --- normalise_status --------------------------------------------------------------------------

STATUS_CASES = [  # every word of the brief, vendors' own spellings included
    ("success", ["success", "passed", "ok", "succeeded", "SUCCESS", "Succeeded"]),
    ("failed", ["failed", "failure", "error", "errored", "fail"]),
    ("failed", ["FAILURE", "ERROR", "infrastructure_fail"]),  # Jenkins/TeamCity, CircleCI
    ("cancelled", ["cancelled", "canceled", "canceling"]),
    ("failed", ["startup_failure"]),  # GitHub
    ("timeout", ["timeout", "timedout", "timed_out", "timed out", "Timed Out"]),
    ("aborted", ["aborted", "killed", "ABORTED"]),  # Drone killed, Jenkins ABORTED
    ("running", ["running", "RUNNING", "in_progress"]),
    ("pending", ["pending"]),
    ("queued", ["queued", "waiting", "requested", "created", "preparing", "scheduled"]),
    ("queued", ["waiting_for_resource"]),  # GitLab
    ("skipped", ["skipped", "NOT_BUILT", "not_run"]),  # Jenkins NOT_BUILT, CircleCI not_run
    ("blocked", ["blocked", "manual"]),
    ("unstable", ["UNSTABLE"]),  # Jenkins
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(raw, status) for status, raws in STATUS_CASES for raw in raws]
    + [(" FAILURE\n", "failed"), ("\tcanceled ", "cancelled")],
)
def test_normalise_status(raw: str, expected: str) -> None:
    assert normalise_status(raw) == expected


@pytest.mark.parametrize("raw", ["Neutral", " action_required ", "", "  ", "timed  out", "🔥"])
def test_unknown_status_is_kept_verbatim(raw: str) -> None:
    assert normalise_status(raw) is raw


def test_status_vocabulary() -> None:
    assert set(STATUSES.values()) == {status for status, _ in STATUS_CASES}
    assert sorted(FAILED_STATUSES) == ["aborted", "failed", "timeout", "unstable"]
    assert all(key == key.strip().lower() for key in STATUSES)


@given(st.text())
def test_normalise_status_is_a_lookup_or_the_input(raw: str) -> None:
    status = normalise_status(raw)
    assert status == raw or status in set(STATUSES.values())
    assert normalise_status(status) == status


# --- every route: a realistic body in, the Submission's fields that are not None out -----------

GENERIC = """{"provider":"GitLab CI","project":"acme/payments","status":"FAILED","log":"E401\\n",
 "pipeline_id":2202229078,"job_id":"289782451","job_name":"linters","branch":"feature/x",
 "commit_sha":"3484a3fb","pipeline_url":"https://gl.example.com/acme/payments/-/pipelines/22",
 "build_number":163,"reporter":{"version":"1.2"}}"""
GENERIC_OUT = """{"source":"generic_ingest","provider":"gitlab_ci","project":"acme/payments",
 "status":"failed","vendor_status":"FAILED","log":"E401\\n","pipeline_id":"2202229078",
 "job_id":"289782451","job_name":"linters","branch":"feature/x","commit_sha":"3484a3fb",
 "pipeline_url":"https://gl.example.com/acme/payments/-/pipelines/22","build_number":"163"}"""

JENKINS_STEP = """{"job":"payments-api","build_number":1287,"status":"FAILURE","project":"payments",
 "build_url":"https://ci.example.com/job/payments-api/1287/","log":"BUILD FAILED\\n",
 "branch":"origin/main","commit_sha":"cd82028b"}"""
JENKINS_STEP_OUT = """{"source":"jenkins_ingest","provider":"jenkins","project":"payments",
 "status":"failed","vendor_status":"FAILURE","log":"BUILD FAILED\\n",
 "pipeline_id":"payments-api#1287","job_id":"payments-api#1287","job_name":"payments-api",
 "branch":"main","commit_sha":"cd82028b","build_number":"1287",
 "pipeline_url":"https://ci.example.com/job/payments-api/1287/",
 "job_url":"https://ci.example.com/job/payments-api/1287/"}"""

NOTIFICATION = """{"name":"my-job","display_name":"my-job","url":"job/my-job/",
 "build":{"full_url":"https://jenkins.example.com/job/my-job/42/","number":42,"queue_id":123,
   "timestamp":1700000000000,"duration":53000,"phase":"FINALIZED","status":"UNSTABLE",
   "url":"job/my-job/42/","display_name":"#42",
   "scm":{"url":"https://github.com/o/r.git","branch":"origin/main","commit":"cd82028b",
          "changes":["src/a.py"],"culprits":["alice"]},
   "parameters":{"FOO":"bar"},"log":"[ERROR] Tests run: 10, Failures: 1\\n","notes":"",
   "test_summary":{"total":10,"failed":1,"passed":8,"skipped":1,"failed_tests":["pkg.C.t"]}}}"""
NOTIFICATION_OUT = """{"source":"jenkins_ingest","provider":"jenkins","project":"my-job",
 "status":"unstable","vendor_status":"UNSTABLE","log":"[ERROR] Tests run: 10, Failures: 1\\n",
 "pipeline_id":"my-job#42","job_id":"my-job#42","job_name":"my-job","branch":"main",
 "commit_sha":"cd82028b","build_number":"42",
 "pipeline_url":"https://jenkins.example.com/job/my-job/42/",
 "job_url":"https://jenkins.example.com/job/my-job/42/"}"""

CIRCLE_JOB = """{"id":"8bd71c28-4969-3677-8940-3e3a61c46660","type":"job-completed",
 "happened_at":"2021-09-01T22:49:34.279Z","organization":{"id":"f22b6566","name":"circleci"},
 "project":{"id":"84996744","name":"webhook-service","slug":"github/circleci/webhook-service"},
 "pipeline":{"id":"1285fe1d","number":130,"created_at":"2021-09-01T22:49:03.544Z",
   "trigger":{"type":"webhook"},"vcs":{"provider_name":"github",
   "origin_repository_url":"https://github.com/circleci/webhook-service",
   "revision":"1dc6aa69","branch":"main","commit":{"subject":"fix","body":""}}},
 "workflow":{"id":"fda08377","name":"welcome","created_at":"2021-09-01T22:49:03Z",
   "stopped_at":"2021-09-01T22:49:34Z",
   "url":"https://app.circleci.com/pipelines/github/circleci/webhook-service/130/workflows/fda08377"},
 "job":{"id":"8b91f9a8","name":"test","started_at":"2021-09-01T22:49:28Z",
   "stopped_at":"2021-09-01T22:49:34Z","status":"failed","number":136},
 "log":"FAIL src/app.test.js\\n"}"""
CIRCLE_JOB_OUT = """{"source":"circleci_ingest","provider":"circleci",
 "project":"github/circleci/webhook-service","status":"failed","vendor_status":"failed",
 "log":"FAIL src/app.test.js\\n","pipeline_id":"1285fe1d","job_id":"8b91f9a8","job_name":"test",
 "branch":"main","commit_sha":"1dc6aa69","build_number":"136",
 "pipeline_url":"https://app.circleci.com/pipelines/github/circleci/webhook-service/130/workflows/fda08377",
 "job_url":"https://app.circleci.com/pipelines/github/circleci/webhook-service/130/workflows/fda08377/jobs/136"}"""

TC_NATIVE = """{"eventType":"BUILD_FINISHED","log":"Tests failed: 1\\n",
 "payload":{"id":1187,"buildTypeId":"Payout_IntegrationTests","number":"1187","status":"FAILURE",
   "state":"finished","statusText":"Tests failed: 1 (1 new), passed: 41",
   "branchName":"feature/PAY-231","webUrl":"https://ci.example.com/build/1187",
   "startDate":"20260822T100600+0000","finishDate":"20260822T101018+0000",
   "revisions":{"count":1,"revision":[{"version":"a1b2c3d4","vcsBranchName":"refs/heads/x"}]},
   "buildType":{"id":"Payout_IntegrationTests","name":"Integration Tests","projectId":"Payout",
     "projectName":"Payout"}}}"""
TC_NATIVE_OUT = """{"source":"teamcity_ingest","provider":"teamcity","project":"Payout",
 "status":"failed","vendor_status":"FAILURE","log":"Tests failed: 1\\n","pipeline_id":"1187",
 "job_id":"1187","job_name":"Integration Tests","branch":"feature/PAY-231",
 "commit_sha":"a1b2c3d4","pipeline_url":"https://ci.example.com/build/1187",
 "job_url":"https://ci.example.com/build/1187","build_number":"1187"}"""

TC_WEBHOOKS = """{"log":"Exit code 1\\n",
 "build":{"buildStatus":"Exit code 1","buildResult":"failure","buildResultPrevious":"failure",
  "buildResultDelta":"unchanged","notifyType":"buildFinished",
  "buildFullName":"Project :: Compile","buildName":"Compile","buildId":"19952",
  "buildStatusUrl":"http://teamcity/viewLog.html?buildTypeId=Project_Compile&buildId=19952",
  "buildTypeId":"Project_Compile","rootUrl":"http://teamcity","projectName":"Project",
  "projectId":"Project","buildNumber":"5535 - CL 123456","agentName":"agent123",
  "branchName":null,"buildStateDescription":"finished","teamcityProperties":[]}}"""
TC_WEBHOOKS_OUT = """{"source":"teamcity_ingest","provider":"teamcity","project":"Project",
 "status":"failed","vendor_status":"failure","log":"Exit code 1\\n","pipeline_id":"19952",
 "job_id":"19952","job_name":"Compile","build_number":"5535 - CL 123456",
 "pipeline_url":"http://teamcity/viewLog.html?buildTypeId=Project_Compile&buildId=19952",
 "job_url":"http://teamcity/viewLog.html?buildTypeId=Project_Compile&buildId=19952"}"""

TC_STEP = """{"buildId":4411,"buildTypeId":"Shop_Build","buildNumber":77,"projectId":"Shop",
 "status":"FAILURE","branchName":"main","revision":"0badc0de","log":"error CS0103\\n"}"""
TC_STEP_OUT = """{"source":"teamcity_ingest","provider":"teamcity","project":"Shop",
 "status":"failed","vendor_status":"FAILURE","log":"error CS0103\\n","pipeline_id":"4411",
 "job_id":"4411","job_name":"Shop_Build","branch":"main","commit_sha":"0badc0de",
 "build_number":"77"}"""

DRONE = """{"event":"build","action":"updated",
 "repo":{"id":35,"namespace":"Diesel-Net","name":"plex","slug":"Diesel-Net/plex","private":false,
   "link":"https://github.com/Diesel-Net/plex","default_branch":"stable","timeout":60},
 "build":{"id":2088,"repo_id":35,"trigger":"@cron","number":189,"parent":0,"status":"failure",
   "error":"","event":"cron","action":"","link":"https://github.com/Diesel-Net/plex/commit/cd82028b",
   "message":"update","before":"","after":"cd82028b","ref":"refs/heads/stable","source_repo":"",
   "source":"","target":"stable","author_login":"anon","sender":"anon","cron":"daily_updates",
   "started":1636759631,"finished":1636759700,"version":2,"stages":[
     {"id":2176,"number":1,"name":"lint","kind":"pipeline","status":"success","exit_code":0},
     {"id":2177,"build_id":2088,"number":2,"name":"default","kind":"pipeline","type":"docker",
      "status":"failure","exit_code":0,"errignore":false,"machine":"runner","os":"linux",
      "steps":[{"id":5641,"number":2,"name":"test","status":"failure","exit_code":1}]}]},
 "system":{"proto":"https","host":"drone.example.net","link":"https://drone.example.net"},
 "log":"--- FAIL: TestPlex (0.01s)\\n"}"""
DRONE_OUT = """{"source":"drone_ingest","provider":"drone","project":"Diesel-Net/plex",
 "status":"failed","vendor_status":"failure","log":"--- FAIL: TestPlex (0.01s)\\n",
 "pipeline_id":"189","job_id":"2","job_name":"default","branch":"stable","build_number":"189",
 "commit_sha":"cd82028b","pipeline_url":"https://drone.example.net/Diesel-Net/plex/189"}"""

DRONE_STEP = """{"repo":{"slug":"acme/api"},"log":"Killed\\n","build":{"number":"12",
 "status":"killed","source":"feature/y","target":"main","after":"",
 "stages":[{"number":1,"name":"build","status":"running"}]}}"""
DRONE_STEP_OUT = """{"source":"drone_ingest","provider":"drone","project":"acme/api",
 "status":"aborted","vendor_status":"killed","log":"Killed\\n","pipeline_id":"12","job_id":"1",
 "job_name":"build","branch":"feature/y","build_number":"12"}"""


def fields(sub: Submission) -> dict[str, str]:
    return {name: value for name, value in asdict(sub).items() if value is not None}


@pytest.mark.parametrize(
    ("route", "body", "expected"),
    [
        pytest.param("log", GENERIC, GENERIC_OUT, id="generic"),
        pytest.param("jenkins", JENKINS_STEP, JENKINS_STEP_OUT, id="jenkins-post-step"),
        pytest.param("jenkins", NOTIFICATION, NOTIFICATION_OUT, id="jenkins-notification"),
        pytest.param("circleci", CIRCLE_JOB, CIRCLE_JOB_OUT, id="circleci-job-completed"),
        pytest.param("teamcity", TC_NATIVE, TC_NATIVE_OUT, id="teamcity-native"),
        pytest.param("teamcity", TC_WEBHOOKS, TC_WEBHOOKS_OUT, id="teamcity-tcwebhooks"),
        pytest.param("teamcity", TC_STEP, TC_STEP_OUT, id="teamcity-build-step"),
        pytest.param("drone", DRONE, DRONE_OUT, id="drone-webhook"),
        pytest.param("drone", DRONE_STEP, DRONE_STEP_OUT, id="drone-step"),
    ],
)
def test_route_maps_to_submission(route: str, body: str, expected: str) -> None:
    assert fields(parse(route, body)) == json.loads(expected)


def test_jenkins_top_level_wins_and_a_started_phase_has_no_status() -> None:
    body = json.loads(NOTIFICATION)
    sub = parse("jenkins", body | {"status": "ABORTED", "log": "top", "project": "P"})
    assert (sub.vendor_status, sub.status) == ("ABORTED", "aborted")
    assert (sub.log, sub.project) == ("top", "P")
    del body["build"]["status"], body["build"]["log"]
    assert details("jenkins", body) == [
        {"field": "status", "message": "Field required", "type": "missing"},
        {"field": "log", "message": "Field required", "type": "missing"},
    ]


def test_circleci_workflow_completed_with_trigger_parameters() -> None:
    body = json.loads(CIRCLE_JOB) | {"type": "workflow-completed"}
    del body["job"], body["pipeline"]["vcs"]
    body["workflow"]["status"] = "error"
    git = {"branch": "dev", "checkout_sha": "9f0e1d2c", "tag": None, "ref": "refs/heads/dev"}
    body["pipeline"]["trigger_parameters"] = {"circleci": {"event_type": "push"}, "git": git}
    sub = parse("circleci", body)
    assert (sub.status, sub.vendor_status) == ("failed", "error")
    assert (sub.branch, sub.commit_sha) == ("dev", "9f0e1d2c")
    assert (sub.job_id, sub.job_name) == ("fda08377", "welcome")  # the workflow is the unit
    assert sub.job_url is sub.build_number is None


def test_teamcity_running_build_reports_its_state() -> None:
    native = json.loads(TC_NATIVE)
    native["payload"] |= {"state": "running", "status": "SUCCESS"}
    assert fields(parse("teamcity", native)).items() >= {"status": "running"}.items()


# --- validation details ------------------------------------------------------------------------


def test_generic_missing_and_mistyped_fields() -> None:
    missing, not_str = "Field required", "Input should be a valid string"
    assert details("log", {"project": 7, "status": "failed", "build_number": True}) == [
        {"field": "provider", "message": missing, "type": "missing"},
        {"field": "project", "message": not_str, "type": "string_type"},
        {"field": "log", "message": missing, "type": "missing"},
        {"field": "build_number", "message": not_str, "type": "string_type"},
    ]


@pytest.mark.parametrize("provider", ["///", "🚀", "", " - "])
def test_generic_provider_without_a_slug_is_refused(provider: str) -> None:
    body = {"provider": provider, "project": "p", "status": "failed", "log": ""}
    (detail,) = details("log", body)
    assert (detail["field"], detail["type"]) == ("provider", "provider_invalid")
    assert detail["message"] == "provider must contain at least one ASCII letter or digit"


def test_nested_fields_have_dotted_wire_paths() -> None:
    drone = json.loads(DRONE)
    drone["build"]["stages"][1]["number"] = 2.5
    del drone["repo"]["slug"]
    assert [d["field"] for d in details("drone", drone)] == ["repo.slug", "build.stages.1.number"]
    tc = json.loads(TC_WEBHOOKS)
    tc["build"]["buildNumber"] = [1]
    assert [d["field"] for d in details("teamcity", tc)] == ["build.buildNumber"]
    circle = details("circleci", {"log": "x", "job": {}})
    assert [d["field"] for d in circle] == ["project", "status"]


@pytest.mark.parametrize("raw", [b"{", b'{"log": "\xff"}', b"[" * 100_000, b"[1, 2]", b"null"])
def test_body_level_errors(raw: bytes) -> None:
    (detail,) = details("log", raw)
    assert detail["field"] == "body"
    assert detail["type"] in {"json_invalid", "model_type"}


def test_details_are_capped_and_do_not_echo_input() -> None:
    stages = [{"name": i} for i in range(500)]
    body = {"repo": {"slug": "a/b"}, "log": "token", "build": {"status": "x", "stages": stages}}
    found = details("drone", body | {"secret": "token"})
    assert len(found) == 50
    assert "token" not in json.dumps(found)


# --- hostile input -----------------------------------------------------------------------------

HOSTILE = ["x" * 10_000, "\x00", "a\x00b\x07\x1b[2J\r\n", "💥🚀" * 500, "\u202eevil", "\ufeff"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_strings_pass_through_without_exceptions(value: str) -> None:
    body = {"provider": "ci " + value, "project": value, "status": value, "log": value}
    body |= {"job_name": value, "branch": value, "pipeline_id": value, "job_id": value}
    sub = parse("log", body)
    assert SLUG.match(sub.provider) and sub.provider.startswith("ci")
    assert (sub.project, sub.log, sub.vendor_status) == (value, value, value)
    assert len(sub.dedupe_key("tenant") or "") == 64


def test_hostile_numbers() -> None:
    huge = {"provider": "ci", "project": "p", "status": "failed", "log": ""}
    with pytest.raises(pydantic.ValidationError):
        LogIngest.model_validate(huge | {"build_number": 10**5000})
    assert details("log", '{"build_number": 1' + "0" * 5000 + "}")
    assert parse("log", huge | {"job_id": -(2**70)}).job_id == str(-(2**70))


KEYS = ["provider", "project", "status", "log", "build", "repo", "slug", "stages", "payload"]
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner),
)


@given(st.sampled_from(sorted(ROUTES)), st.dictionaries(st.sampled_from(KEYS), JSON))
def test_any_json_object_gives_a_submission_or_a_validation_error(route: str, body: Any) -> None:
    try:
        sub = ROUTES[route].parse(json.dumps(body))
    except pydantic.ValidationError as exc:
        assert validation_details(exc)
    else:
        assert sub.provider and SLUG.match(sub.provider)
        assert sub.status == normalise_status(sub.vendor_status)


# --- Submission and the registry ---------------------------------------------------------------


def test_dedupe_key() -> None:
    sub = Submission("generic_ingest", "ci", "p", "failed", "failed", "", "1", "2")
    key = sub.dedupe_key("t1")
    assert key and re.fullmatch(r"[0-9a-f]{64}", key)
    assert key == sub.dedupe_key("t1") != sub.dedupe_key("t2")
    assert sub.dedupe_key(1) == sub.dedupe_key("1")
    for partial in (replace(sub, job_id=None), replace(sub, pipeline_id=None)):
        assert partial.dedupe_key("t1") is None
    glued = Submission("generic_ingest", "ci", "p", "failed", "", "", pipeline_id="1,2", job_id="")
    assert glued.dedupe_key("t1") != key
    assert Submission("generic_ingest", "ci", "\ud800", "x", "x", "", "1", "2").dedupe_key("t")


def test_registry() -> None:
    assert set(ROUTES) == {"log", "jenkins", "circleci", "teamcity", "drone"}
    assert all(route.name == name for name, route in ROUTES.items())
    with pytest.raises(ValueError, match="already registered"):
        register(Route("log", LogIngest, ROUTES["log"].to_submission))
