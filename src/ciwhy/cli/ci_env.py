"""Which CI are we running in, and which build/job is this?

Pure: every function takes a mapping of environment variables; only ``detect()`` falls back to
``os.environ`` when given nothing. Vendors share variable names (Harness exports ``DRONE_*``,
Woodpecker and Drone export ``CI_*``, Gitea's runner sets ``GITHUB_ACTIONS``, TeamCity sets
``BUILD_NUMBER``), so the registry is ordered: the most specific check comes first and the first
match wins. Values are the raw vendor strings (statuses are not normalised); an empty or
whitespace-only variable counts as unset.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from urllib.parse import quote, urlsplit

_FALSE = frozenset({"", "false", "0", "no", "off"})


@dataclass(frozen=True)
class CIContext:
    """What the CI tells a step about itself. Every field but ``vendor`` may be unknown."""

    vendor: str
    project: str | None = None
    pipeline_id: str | None = None
    job_id: str | None = None
    job_name: str | None = None
    branch: str | None = None
    commit_sha: str | None = None
    pipeline_url: str | None = None
    job_url: str | None = None
    build_number: str | None = None
    #: The job's own result when the CI exposes it to a step (raw value, e.g. ``failed``, ``1``).
    status: str | None = None


class EnvView:
    """Read-only access to an environment mapping: empty values are unset, values are stripped."""

    __slots__ = ("_env",)

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def _raw(self, name: str) -> str | None:
        value = self._env.get(name)
        if value is None and name != name.upper():
            # Windows upper-cases environment names (Bamboo's `bamboo_planKey` and friends).
            value = self._env.get(name.upper())
        if not isinstance(value, str):
            return None
        return value.strip() or None

    def get(self, *names: str) -> str | None:
        """The first of ``names`` that is set."""
        for name in names:
            value = self._raw(name)
            if value is not None:
                return value
        return None

    def has(self, *names: str) -> bool:
        return self.get(*names) is not None

    def flag(self, name: str) -> bool:
        """``name`` is set to something other than false/0/no/off."""
        value = self._raw(name)
        return value is not None and value.lower() not in _FALSE

    def eq(self, name: str, expected: str) -> bool:
        value = self._raw(name)
        return value is not None and value.lower() == expected.lower()


Predicate = Callable[[EnvView], bool]
#: Computes fields the table cannot express; it only fills fields the table left unknown.
Derive = Callable[[EnvView], dict[str, str | None]]


@dataclass(frozen=True)
class Vendor:
    """One registry entry: ``detect`` says whether this is the CI, ``extract`` reads it."""

    slug: str
    detect: Predicate
    extract: Callable[[EnvView], CIContext]


# --- value filters --------------------------------------------------------------------------


def slug_from_git_url(url: str | None) -> str | None:
    """``owner/repo`` (or ``group/sub/repo``) from an https, ssh or scp-style git remote URL."""
    if not url:
        return None
    if "://" in url:
        try:
            path = urlsplit(url).path
        except ValueError:
            return None
    elif ":" in url:  # scp-like: git@host:owner/repo.git
        path = url.split(":", 1)[1]
    else:
        return None
    path = path.strip("/").removesuffix(".git").strip("/")
    return path if "/" in path else None


def _short_ref(ref: str | None) -> str | None:
    """``refs/heads/x`` and ``refs/tags/x`` -> ``x``; other ``refs/...`` (pull refs) -> None."""
    if not ref:
        return None
    for prefix in ("refs/heads/", "refs/tags/"):
        if ref.startswith(prefix):
            return ref[len(prefix) :] or None
    return None if ref.startswith("refs/") else ref


def _strip_remote(branch: str | None) -> str | None:
    """Jenkins' ``GIT_BRANCH`` is often ``origin/main`` or ``refs/remotes/origin/main``."""
    if branch and branch.startswith("refs/remotes/"):
        return branch.split("/", 3)[3] if branch.count("/") >= 3 else None
    if branch and branch.startswith("origin/"):
        return branch[len("origin/") :] or None
    return _short_ref(branch)


_FILTERS: dict[str, Callable[[str | None], str | None]] = {
    "git": slug_from_git_url,  # a remote URL -> owner/repo
    "ref": _short_ref,  # refs/heads/x -> x
    "remote": _strip_remote,  # origin/x -> x
    "slug": lambda v: v if v and "/" in v else None,  # only an owner/repo value
    "sha": lambda v: None if v == "HEAD" else v,  # Buildkite manual builds may say just HEAD
}

# --- the master table (reference §1.2) -------------------------------------------------------
#
# ``field=ALT|ALT|...``: the first alternative that gives a value wins. An alternative is a
# variable, ``filter:VARIABLE`` (see _FILTERS) or a template whose {VARIABLE}s (or {field}s
# already read) must all be set. In ``*_url`` fields a substituted value is kept as is when it is
# a URL itself (minus a trailing slash) and %-encoded otherwise. A line may break after a ``|``.
# Like the project's pattern tables, the table reads best unbroken: long lines are allowed.

_TABLE = """
harness: pipeline_id=HARNESS_BUILD_ID build_number=CI_BUILD_NUMBER job_id=HARNESS_STEP_ID
  project=slug:CI_REPO|git:CI_REPO_REMOTE|git:DRONE_GIT_HTTP_URL|CI_REPO
  job_name={HARNESS_STAGE_ID}/{HARNESS_STEP_ID}|HARNESS_STEP_ID
  branch=DRONE_COMMIT_BRANCH commit_sha=DRONE_COMMIT_SHA pipeline_url=CI_BUILD_LINK
woodpecker: project=CI_REPO|{CI_REPO_OWNER}/{CI_REPO_NAME}
  build_number=CI_PIPELINE_NUMBER|CI_BUILD_NUMBER job_id=CI_STEP_NUMBER|CI_JOB_NUMBER
  job_name={CI_WORKFLOW_NAME}/{CI_STEP_NAME}|CI_STEP_NAME commit_sha=CI_COMMIT_SHA
  branch=CI_COMMIT_SOURCE_BRANCH|CI_COMMIT_BRANCH status=CI_PIPELINE_STATUS
  pipeline_url=CI_PIPELINE_URL|CI_BUILD_LINK job_url=CI_STEP_URL
gitea_actions: project=GITHUB_REPOSITORY pipeline_id=GITHUB_RUN_ID build_number=GITHUB_RUN_NUMBER
  job_name=GITHUB_JOB commit_sha=GITHUB_SHA branch=GITHUB_HEAD_REF|GITHUB_REF_NAME|ref:GITHUB_REF
  pipeline_url={GITHUB_SERVER_URL}/{GITHUB_REPOSITORY}/actions/runs/{GITHUB_RUN_NUMBER}
github_actions: project=GITHUB_REPOSITORY pipeline_id=GITHUB_RUN_ID build_number=GITHUB_RUN_NUMBER
  job_name=GITHUB_JOB commit_sha=GITHUB_SHA branch=GITHUB_HEAD_REF|GITHUB_REF_NAME|ref:GITHUB_REF
  pipeline_url={GITHUB_SERVER_URL}/{GITHUB_REPOSITORY}/actions/runs/{GITHUB_RUN_ID}/attempts/{GITHUB_RUN_ATTEMPT}|
    {GITHUB_SERVER_URL}/{GITHUB_REPOSITORY}/actions/runs/{GITHUB_RUN_ID}
gitlab: project=CI_PROJECT_PATH pipeline_id=CI_PIPELINE_ID build_number=CI_PIPELINE_IID
  job_id=CI_JOB_ID job_name=CI_JOB_NAME branch=CI_COMMIT_REF_NAME commit_sha=CI_COMMIT_SHA
  pipeline_url=CI_PIPELINE_URL job_url=CI_JOB_URL|{CI_PROJECT_URL}/-/jobs/{CI_JOB_ID} status=CI_JOB_STATUS
drone: project=DRONE_REPO|{DRONE_REPO_OWNER}/{DRONE_REPO_NAME} build_number=DRONE_BUILD_NUMBER
  job_id=DRONE_STEP_NUMBER job_name={DRONE_STAGE_NAME}/{DRONE_STEP_NAME}|DRONE_STEP_NAME
  branch=DRONE_SOURCE_BRANCH|DRONE_BRANCH commit_sha=DRONE_COMMIT_SHA|DRONE_COMMIT
  pipeline_url=DRONE_BUILD_LINK status=DRONE_BUILD_STATUS
circleci: project={CIRCLE_PROJECT_USERNAME}/{CIRCLE_PROJECT_REPONAME}|git:CIRCLE_REPOSITORY_URL
  pipeline_id=CIRCLE_WORKFLOW_ID build_number=CIRCLE_BUILD_NUM job_id=CIRCLE_WORKFLOW_JOB_ID
  job_name=CIRCLE_JOB branch=CIRCLE_BRANCH commit_sha=CIRCLE_SHA1 job_url=CIRCLE_BUILD_URL
  pipeline_url=https://app.circleci.com/pipelines/workflows/{CIRCLE_WORKFLOW_ID}
buildkite: project={BUILDKITE_ORGANIZATION_SLUG}/{BUILDKITE_PIPELINE_SLUG}|git:BUILDKITE_REPO
  pipeline_id=BUILDKITE_BUILD_ID build_number=BUILDKITE_BUILD_NUMBER job_id=BUILDKITE_JOB_ID
  job_name=BUILDKITE_LABEL|BUILDKITE_STEP_KEY branch=BUILDKITE_BRANCH commit_sha=sha:BUILDKITE_COMMIT
  pipeline_url=BUILDKITE_BUILD_URL job_url={pipeline_url}#{BUILDKITE_JOB_ID}
  status=BUILDKITE_COMMAND_EXIT_STATUS
azure_pipelines: project=BUILD_REPOSITORY_NAME pipeline_id=BUILD_BUILDID build_number=BUILD_BUILDNUMBER
  job_id=SYSTEM_JOBID job_name=SYSTEM_JOBDISPLAYNAME commit_sha=BUILD_SOURCEVERSION
  branch=ref:SYSTEM_PULLREQUEST_SOURCEBRANCH|ref:BUILD_SOURCEBRANCH status=AGENT_JOBSTATUS
  pipeline_url={SYSTEM_TEAMFOUNDATIONCOLLECTIONURI}/{SYSTEM_TEAMPROJECT}/_build/results?buildId={BUILD_BUILDID}
  job_url={pipeline_url}&view=logs&j={SYSTEM_JOBID}
codebuild: project=git:CODEBUILD_SOURCE_REPO_URL pipeline_id=CODEBUILD_BUILD_ID
  build_number=CODEBUILD_BUILD_NUMBER branch=ref:CODEBUILD_WEBHOOK_HEAD_REF
  commit_sha=CODEBUILD_RESOLVED_SOURCE_VERSION pipeline_url=CODEBUILD_PUBLIC_BUILD_URL
bitbucket: project=BITBUCKET_REPO_FULL_NAME pipeline_id=BITBUCKET_PIPELINE_UUID
  build_number=BITBUCKET_BUILD_NUMBER job_id=BITBUCKET_STEP_UUID branch=BITBUCKET_BRANCH
  commit_sha=BITBUCKET_COMMIT status=BITBUCKET_EXIT_CODE
  pipeline_url=https://bitbucket.org/{project}/addon/pipelines/home#!/results/{BITBUCKET_BUILD_NUMBER}
travis: project=TRAVIS_REPO_SLUG pipeline_id=TRAVIS_BUILD_ID build_number=TRAVIS_BUILD_NUMBER
  job_id=TRAVIS_JOB_ID job_name=TRAVIS_JOB_NAME|TRAVIS_JOB_NUMBER commit_sha=TRAVIS_COMMIT
  branch=TRAVIS_PULL_REQUEST_BRANCH|TRAVIS_BRANCH status=TRAVIS_TEST_RESULT
  pipeline_url=TRAVIS_BUILD_WEB_URL job_url=TRAVIS_JOB_WEB_URL
appveyor: project=APPVEYOR_REPO_NAME pipeline_id=APPVEYOR_BUILD_ID build_number=APPVEYOR_BUILD_NUMBER
  job_id=APPVEYOR_JOB_ID job_name=APPVEYOR_JOB_NAME commit_sha=APPVEYOR_REPO_COMMIT
  branch=APPVEYOR_PULL_REQUEST_HEAD_REPO_BRANCH|APPVEYOR_REPO_BRANCH
  pipeline_url={APPVEYOR_URL}/project/{APPVEYOR_ACCOUNT_NAME}/{APPVEYOR_PROJECT_SLUG}/builds/{pipeline_id}
  job_url={pipeline_url}/job/{APPVEYOR_JOB_ID}
semaphore: project=SEMAPHORE_GIT_REPO_SLUG pipeline_id=SEMAPHORE_WORKFLOW_ID
  build_number=SEMAPHORE_WORKFLOW_NUMBER job_id=SEMAPHORE_JOB_ID job_name=SEMAPHORE_JOB_NAME
  branch=SEMAPHORE_GIT_PR_BRANCH|SEMAPHORE_GIT_BRANCH commit_sha=SEMAPHORE_GIT_SHA
  status=SEMAPHORE_JOB_RESULT pipeline_url={SEMAPHORE_ORGANIZATION_URL}/workflows/{pipeline_id}
  job_url={SEMAPHORE_ORGANIZATION_URL}/jobs/{job_id}
codefresh: project={CF_REPO_OWNER}/{CF_REPO_NAME}|CF_PIPELINE_NAME pipeline_id=CF_BUILD_ID
  job_name=CF_STEP_NAME|CF_PIPELINE_NAME branch=CF_BRANCH commit_sha=CF_REVISION
  pipeline_url=CF_BUILD_URL
bamboo: project=git:bamboo_planRepository_repositoryUrl|bamboo_planKey
  pipeline_id=bamboo_buildResultKey build_number=bamboo_buildNumber job_id=bamboo_buildKey
  job_name=bamboo_shortJobName branch=bamboo_planRepository_branch|bamboo_planRepository_branchName
  commit_sha=bamboo_planRepository_revision|bamboo_planRepository_1_revision
  pipeline_url=bamboo_buildResultsUrl
gocd: project=GO_PIPELINE_NAME pipeline_id={GO_PIPELINE_NAME}/{GO_PIPELINE_COUNTER}
  build_number=GO_PIPELINE_COUNTER job_name=GO_JOB_NAME commit_sha=GO_REVISION
  job_url={GO_SERVER_URL}/tab/build/detail/{pipeline_id}/{GO_STAGE_NAME}/{GO_STAGE_COUNTER}/{GO_JOB_NAME}
teamcity: project=TEAMCITY_PROJECT_NAME job_name=TEAMCITY_BUILDCONF_NAME
  commit_sha=BUILD_VCS_NUMBER build_number=BUILD_NUMBER
jenkins: project=git:GIT_URL|git:GIT_URL_1|JOB_NAME pipeline_id=BUILD_TAG job_name=JOB_NAME
  build_number=BUILD_NUMBER|BUILD_ID commit_sha=GIT_COMMIT|ghprbActualCommit
  branch=CHANGE_BRANCH|BRANCH_NAME|GIT_LOCAL_BRANCH|remote:GIT_BRANCH
  pipeline_url=BUILD_URL job_url=BUILD_URL
google_cloud_build: project=REPO_FULL_NAME|REPO_NAME pipeline_id=BUILD_ID job_name=TRIGGER_NAME
  branch=_HEAD_BRANCH|BRANCH_NAME commit_sha=COMMIT_SHA
  pipeline_url=https://console.cloud.google.com/cloud-build/builds;region={LOCATION}/{BUILD_ID}?project={PROJECT_ID}
generic: pipeline_id=BUILD_ID|RUN_ID build_number=BUILD_NUMBER
"""  # noqa: E501

_FIELDS = tuple(f.name for f in fields(CIContext) if f.name != "vendor")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_VARIABLE = re.compile(r"(?:([a-z]+):)?([A-Za-z_][A-Za-z0-9_]*)")


def _insert(value: str, url: bool) -> str:
    if not url:
        return value
    if "://" in value:
        return value.rstrip("/")
    return quote(value, safe="/", errors="replace")


Alternative = Callable[[EnvView, dict[str, str | None]], str | None]


def _alternative(text: str, url: bool) -> Alternative:
    """One ``ALT`` of the table, compiled; raises ValueError on a malformed one."""
    if "{" in text:
        names = _PLACEHOLDER.findall(text)
        if not names or re.search(r"[{}]", _PLACEHOLDER.sub("", text)):
            raise ValueError(f"bad template {text!r}")

        def fill(e: EnvView, done: dict[str, str | None]) -> str | None:
            values = {n: done.get(n) if n in _FIELDS else e.get(n) for n in names}
            if any(v is None for v in values.values()):
                return None
            return _PLACEHOLDER.sub(lambda m: _insert(values[m[1]] or "", url), text)

        return fill
    match = _VARIABLE.fullmatch(text)
    if not match or (match[1] and match[1] not in _FILTERS):
        raise ValueError(f"bad table entry {text!r}")
    flt, name = (_FILTERS[match[1]] if match[1] else None), match[2]
    return lambda e, _done: flt(e.get(name)) if flt else e.get(name)


def _parse_table(table: str) -> dict[str, list[tuple[str, list[Alternative]]]]:
    """``{vendor: [(field, [alternative, ...]), ...]}`` in table order."""
    out: dict[str, list[tuple[str, list[Alternative]]]] = {}
    vendor, seen = "", set[str]()
    for line in re.sub(r"\|\s+", "|", table).splitlines():
        if line[:1].strip():
            vendor, _, line = line.partition(":")
            out[vendor], seen = [], set()
        for item in line.split():
            field, _, alts = item.partition("=")
            refs = {n for n in _PLACEHOLDER.findall(alts) if n in _FIELDS}
            if field not in _FIELDS or field in seen or not alts or not refs <= seen:
                raise ValueError(f"bad table item {item!r} for {vendor!r}")
            compiled = [_alternative(a, field.endswith("_url")) for a in alts.split("|")]
            out[vendor].append((field, compiled))
            seen.add(field)
    return out


_SPECS = _parse_table(_TABLE)


def _extractor(slug: str, derive: Derive | None = None) -> Callable[[EnvView], CIContext]:
    spec = _SPECS[slug]

    def extract(e: EnvView) -> CIContext:
        got: dict[str, str | None] = {}
        for field, alternatives in spec:
            got[field] = next((v for alt in alternatives if (v := alt(e, got))), None)
        for field, value in (derive(e) if derive else {}).items():
            got[field] = got.get(field) or value
        return CIContext(slug, **got)

    return extract


def _codebuild(e: EnvView) -> dict[str, str | None]:
    build = e.get("CODEBUILD_BUILD_ID")  # "<project>:<uuid>"
    name = build.split(":", 1)[0] if build and ":" in build else None
    region = e.get("AWS_REGION", "AWS_DEFAULT_REGION")
    if not (region and name and build):
        return {"project": name}
    q = [quote(v, safe="", errors="replace") for v in (region, name, build)]
    console = f"https://{q[0]}.console.aws.amazon.com/codesuite/codebuild"
    return {"project": name, "pipeline_url": f"{console}/projects/{q[1]}/build/{q[2]}/"}


# --- detection order (reference §1.1) --------------------------------------------------------


def _has(*names: str) -> Predicate:  # any of them is set
    return lambda e: e.has(*names)


def _flag(*names: str) -> Predicate:  # any of them is set, and not to false/0/no/off
    return lambda e: any(e.flag(n) for n in names)


def _eq(name: str, value: str) -> Predicate:
    return lambda e: e.eq(name, value)


def _any(*checks: Predicate) -> Predicate:
    return lambda e: any(check(e) for check in checks)


def _all(*checks: Predicate) -> Predicate:
    return lambda e: all(check(e) for check in checks)


def _vendor(slug: str, detect: Predicate, derive: Derive | None = None) -> Vendor:
    return Vendor(slug, detect, _extractor(slug, derive))


_CLOUD_BUILD = ("LOCATION", "PROJECT_NUMBER", "PROJECT_ID", "BUILD_ID")  # codecov-cli's test
_GENERIC = ("BUILD_ID", "BUILD_NUMBER", "RUN_ID", "CI_NAME")

#: The first match wins, so the most specific check goes first.
VENDORS: tuple[Vendor, ...] = (
    # Harness is built on Drone: it also exports DRONE_* and CI_*.
    _vendor("harness", _has("HARNESS_BUILD_ID")),
    # Woodpecker's CI_* names collide with GitLab's and with Drone's legacy names.
    _vendor("woodpecker", _eq("CI", "woodpecker")),
    # Gitea's (and Forgejo's) act-based runner also sets GITHUB_ACTIONS=true.
    _vendor("gitea_actions", _flag("GITEA_ACTIONS", "FORGEJO_ACTIONS")),
    # GITHUB_JOB is the job's key in the workflow file, not the numeric job id: no job_id.
    _vendor("github_actions", _eq("GITHUB_ACTIONS", "true")),
    # CI_COMMIT_BRANCH is unset for tags and merge request pipelines; CI_COMMIT_REF_NAME is not.
    _vendor("gitlab", _flag("GITLAB_CI")),
    _vendor("drone", _eq("DRONE", "true")),
    _vendor("circleci", _flag("CIRCLECI")),
    _vendor("buildkite", _flag("BUILDKITE")),
    _vendor("azure_pipelines", _any(_flag("TF_BUILD"), _has("BUILD_BUILDURI"))),
    _vendor(
        "codebuild",
        _any(_has("CODEBUILD_BUILD_ARN", "CODEBUILD_BUILD_ID"), _flag("CODEBUILD_CI")),
        _codebuild,
    ),
    _vendor("bitbucket", _has("BITBUCKET_BUILD_NUMBER", "BITBUCKET_COMMIT")),
    # TRAVIS_BRANCH is a pull request's *target*; its own branch is TRAVIS_PULL_REQUEST_BRANCH.
    _vendor("travis", _flag("TRAVIS")),
    _vendor("appveyor", _flag("APPVEYOR")),
    _vendor("semaphore", _flag("SEMAPHORE")),
    _vendor("codefresh", _has("CF_BUILD_ID")),
    _vendor("bamboo", _has("bamboo_planKey", "bamboo_agentId")),
    _vendor("gocd", _has("GO_PIPELINE_LABEL", "GO_SERVER_URL")),
    # TeamCity sets the generic BUILD_NUMBER, so it comes before Jenkins. Its build id, branch
    # and server URL live only in the build properties files, which this module does not read.
    _vendor("teamcity", _has("TEAMCITY_VERSION")),
    # JENKINS_URL alone may be a developer's setting for the Jenkins CLI: want a build too.
    _vendor("jenkins", _all(_has("JENKINS_URL", "HUDSON_URL"), _has("BUILD_ID", "BUILD_NUMBER"))),
    # Cloud Build substitutions reach a step's env only when the build maps them in `env:`.
    _vendor("google_cloud_build", _any(_has("BUILDER_OUTPUT"), _all(*map(_has, _CLOUD_BUILD)))),
    _vendor("generic", _any(_flag("CI", "CONTINUOUS_INTEGRATION"), _has(*_GENERIC))),
)


def ci_disabled(env: Mapping[str, str]) -> bool:
    """``CI=false`` (or 0/no/off) switches all detection off."""
    value = EnvView(env).get("CI")
    return value is not None and value.lower() in _FALSE


def detect(env: Mapping[str, str] | None = None) -> CIContext | None:
    """The CI this process runs in (``os.environ`` by default), or None outside CI."""
    if env is None:
        env = os.environ
    if ci_disabled(env):
        return None
    view = EnvView(env)
    for vendor in VENDORS:
        if vendor.detect(view):
            return vendor.extract(view)
    return None
