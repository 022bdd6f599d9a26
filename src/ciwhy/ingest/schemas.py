"""Wire models (pydantic v2) for ``POST /api/ingest/{log,jenkins,circleci,teamcity,drone}``.

Rules shared by every model:

- **Strict types.** A number where a string is required is an error, and so is ``true``. The one
  exception is ``IdStr``: ids and build numbers that real CI systems and scripts send as JSON
  integers (Jenkins ``build.number``, CircleCI ``job.number``, Drone ``build.number``, TeamCity
  REST ``id`` ...) are accepted as integers too and kept as their decimal string.
- **Unknown fields are ignored** (``extra="ignore"``), never an error: CI plugins and vendor
  payloads are open maps that gain keys over time (ci-shapes.md §2.5), and nothing downstream
  wants fields we did not name. ``null`` is the same as absent for every optional field.
- **Required means resolvable.** Natives name a value in several places (Jenkins ``status`` at the
  top or in ``build.status``); a *before* validator lifts the first string found into the
  top-level field, so a body that has it nowhere gets one ``missing`` error at that field.

Accepted shapes (the mapping of each to a ``Submission`` is in ``providers/<route>.py``):

=========  ===================================================================================
log        generic: ``provider project status log`` + optional ``pipeline_id job_id job_name
           branch commit_sha pipeline_url build_number``
jenkins    ``{job, build_number, status, project, build_url, log}`` (+ ``branch``,
           ``commit_sha``) and/or the Notification plugin's ``{name, build{number, phase,
           status, full_url, log, scm{branch, commit}}}`` (§2.9); ``project`` falls back to
           ``job`` then ``name``, ``status`` to ``build.status``, ``log`` to ``build.log``
circleci   the outbound-webhook body (§2.5: ``project{slug}``, ``pipeline{id, number, vcs{branch,
           revision}, trigger_parameters{git{branch, checkout_sha}}}``, ``workflow{id, name,
           url, status}``, ``job{id, name, number, status}``) + ``log``; ``status`` falls back
           to ``job.status`` then ``workflow.status``
teamcity   (a) native ``{eventType, payload: <REST build>}``, (b) tcWebHooks ``{build: {...}}``,
           (c) a bare REST build or a flat object from a build step (§2.8), each + ``log``; the
           build fields are read top level first, then ``payload``, then ``build``
drone      the Drone webhook envelope (§2.6: ``repo{slug}``, ``build{number, status, after,
           source, target, ref, stages[{number, name, status}]}``, ``system{link}``) + ``log``;
           Woodpecker has no webhooks (§2.7), its steps send the same shape
=========  ===================================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from ciwhy.ingest.normalise import provider_slug


def _int_as_str(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # past 4300 digits str() raises ValueError: a validation error
    return value


IdStr = Annotated[
    str,
    BeforeValidator(_int_as_str),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
]
"""A string, or a JSON integer kept as its decimal string (never a bool or a float)."""

Path = tuple[str, ...]


def lift(data: Any, target: str, *paths: Path) -> Any:
    """Copy the first string found at one of ``paths`` into ``data[target]`` if that is unset.

    Anything that is not a mapping, and values that are not strings, are left for the normal
    validation to report at their own place.
    """
    if not isinstance(data, Mapping) or data.get(target) is not None:
        return data
    for path in paths:
        node: Any = data
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        if isinstance(node, str):
            return {**data, target: node}
    return data


class WireModel(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


# --- generic -----------------------------------------------------------------------------------


class LogIngest(WireModel):
    """``POST /api/ingest/log``: any CI, any script."""

    provider: str
    project: str
    status: str
    log: str
    pipeline_id: IdStr | None = None
    job_id: IdStr | None = None
    job_name: str | None = None
    branch: str | None = None
    commit_sha: str | None = None
    pipeline_url: str | None = None
    build_number: IdStr | None = None

    @field_validator("provider")
    @classmethod
    def _provider_has_a_slug(cls, value: str) -> str:
        if not provider_slug(value):
            raise PydanticCustomError(
                "provider_invalid", "provider must contain at least one ASCII letter or digit"
            )
        return value


# --- Jenkins -----------------------------------------------------------------------------------


class JenkinsScm(WireModel):
    url: str | None = None
    branch: str | None = None
    commit: str | None = None


class JenkinsBuild(WireModel):
    """The Notification plugin's ``build`` object (Gson, snake_case, nulls omitted)."""

    number: IdStr | None = None
    phase: str | None = None
    status: str | None = None
    full_url: str | None = None
    url: str | None = None
    log: str | None = None
    scm: JenkinsScm | None = None


class JenkinsIngest(WireModel):
    """``POST /api/ingest/jenkins``: a pipeline ``post { failure {} }`` step, or the plugin."""

    job: str | None = None
    build_number: IdStr | None = None
    status: str
    project: str
    build_url: str | None = None
    log: str
    branch: str | None = None
    commit_sha: str | None = None
    name: str | None = None
    build: JenkinsBuild | None = None

    @model_validator(mode="before")
    @classmethod
    def _lift_plugin_fields(cls, data: Any) -> Any:
        data = lift(data, "project", ("job",), ("name",))
        data = lift(data, "status", ("build", "status"))
        return lift(data, "log", ("build", "log"))


# --- CircleCI ----------------------------------------------------------------------------------


class CircleProject(WireModel):
    id: str | None = None
    name: str | None = None
    slug: str


class CircleVcs(WireModel):
    branch: str | None = None
    tag: str | None = None
    revision: str | None = None


class CircleGit(WireModel):
    branch: str | None = None
    tag: str | None = None
    checkout_sha: str | None = None


class CircleTriggerParameters(WireModel):
    git: CircleGit | None = None


class CirclePipeline(WireModel):
    id: str | None = None
    number: IdStr | None = None
    vcs: CircleVcs | None = None
    trigger_parameters: CircleTriggerParameters | None = None


class CircleWorkflow(WireModel):
    id: str | None = None
    name: str | None = None
    url: str | None = None
    status: str | None = None


class CircleJob(WireModel):
    id: str | None = None
    name: str | None = None
    number: IdStr | None = None
    status: str | None = None


class CircleCIIngest(WireModel):
    """``POST /api/ingest/circleci``: a ``job-completed``/``workflow-completed`` body + ``log``."""

    id: str | None = None
    type: str | None = None
    project: CircleProject
    pipeline: CirclePipeline | None = None
    workflow: CircleWorkflow | None = None
    job: CircleJob | None = None
    status: str
    log: str

    @model_validator(mode="before")
    @classmethod
    def _lift_status(cls, data: Any) -> Any:
        return lift(data, "status", ("job", "status"), ("workflow", "status"))


# --- TeamCity (camelCase on the wire) ----------------------------------------------------------


class TeamCityModel(WireModel):
    model_config = ConfigDict(alias_generator=to_camel)


class TeamCityBuildType(TeamCityModel):
    id: str | None = None
    name: str | None = None
    project_id: str | None = None
    project_name: str | None = None


class TeamCityRevision(TeamCityModel):
    version: str | None = None


class TeamCityRevisions(TeamCityModel):
    revision: list[TeamCityRevision] | None = None


class TeamCityFields(TeamCityModel):
    """The union of REST build (``id number status state webUrl buildType revisions``) and
    tcWebHooks/build-step (``buildId buildNumber buildResult buildName projectId buildStatusUrl
    revision``) names. ``status`` and ``projectName`` are declared by the two subclasses."""

    id: IdStr | None = None
    build_id: IdStr | None = None
    build_type_id: str | None = None
    number: IdStr | None = None
    build_number: IdStr | None = None
    build_result: str | None = None
    state: str | None = None
    branch_name: str | None = None
    web_url: str | None = None
    build_status_url: str | None = None
    project_id: str | None = None
    build_name: str | None = None
    build_type: TeamCityBuildType | None = None
    revision: str | None = None
    revisions: TeamCityRevisions | None = None


class TeamCityBuild(TeamCityFields):
    """A nested build: the native webhook's ``payload`` or the tcWebHooks ``build``."""

    status: str | None = None
    project_name: str | None = None


class TeamCityIngest(TeamCityFields):
    """``POST /api/ingest/teamcity``: native webhook, tcWebHooks, REST build or build step."""

    event_type: str | None = None
    payload: TeamCityBuild | None = None
    build: TeamCityBuild | None = None
    status: str
    project_name: str
    log: str

    @model_validator(mode="before")
    @classmethod
    def _lift_required(cls, data: Any) -> Any:
        data = lift(
            data, "status", ("payload", "status"), ("build", "buildResult"), ("buildResult",)
        )
        return lift(
            data,
            "projectName",
            ("buildType", "projectName"),
            ("payload", "buildType", "projectName"),
            ("build", "projectName"),
            ("projectId",),
            ("buildType", "projectId"),
            ("payload", "buildType", "projectId"),
            ("build", "projectId"),
        )


# --- Drone / Woodpecker ------------------------------------------------------------------------


class DroneRepo(WireModel):
    slug: str
    namespace: str | None = None
    name: str | None = None
    link: str | None = None


class DroneStage(WireModel):
    number: IdStr | None = None
    name: str | None = None
    status: str | None = None


class DroneBuild(WireModel):
    id: IdStr | None = None
    number: IdStr | None = None
    status: str
    event: str | None = None
    ref: str | None = None
    source: str | None = None
    target: str | None = None
    after: str | None = None
    link: str | None = None
    stages: list[DroneStage] | None = None


class DroneSystem(WireModel):
    link: str | None = None


class DroneIngest(WireModel):
    """``POST /api/ingest/drone``: the drone-go ``plugin/webhook`` envelope + ``log``."""

    event: str | None = None
    action: str | None = None
    repo: DroneRepo
    build: DroneBuild
    system: DroneSystem | None = None
    log: str
