"""``POST /api/ingest/teamcity``: three TeamCity shapes (§2.8), each with the ``log`` added.

(a) the native webhook ``{"eventType": ..., "payload": <REST build>}``, (b) the tcWebHooks
plugin's ``{"build": {...}}``, (c) a bare REST build object, or a flat object a build step
fills from its parameters (``%teamcity.build.id%``, ``%build.number%``, ``%build.vcs.number%``
...). Every build field is read at the top level first, then in ``payload``, then in ``build``.

A TeamCity build is one run of one build configuration, so ``pipeline_id`` and ``job_id`` are
both the server-wide build id.

=============  ===========================================================================
Submission     TeamCityIngest (first non-empty wins)
=============  ===========================================================================
source         ``"teamcity_ingest"``
provider       ``"teamcity"``
project        ``projectName``, ``buildType.projectName``, then the same ``projectId``s
status         ``normalise_status`` of the status below
vendor_status  ``state`` while it is not ``finished`` (a running build's ``status`` is only
               provisional), else ``status`` (REST ``SUCCESS``/``FAILURE``/``UNKNOWN``), else
               tcWebHooks ``buildResult`` (``success``/``failure``)
log            ``log``
pipeline_id    ``id`` (REST), ``buildId`` (tcWebHooks, ``%teamcity.build.id%``)
job_id         the same
job_name       ``buildType.name``, ``buildName``, ``buildTypeId``
branch         ``branchName``
commit_sha     ``revision`` (``%build.vcs.number%``), ``revisions.revision[0].version``
pipeline_url   ``webUrl``, ``buildStatusUrl``
job_url        the same
build_number   ``number`` (REST), ``buildNumber`` (a string: ``"5535 - CL 123456"``)
=============  ===========================================================================
"""

from __future__ import annotations

from collections.abc import Callable

from ciwhy.ingest.normalise import normalise_status
from ciwhy.ingest.providers import Route, register
from ciwhy.ingest.schemas import TeamCityBuildType, TeamCityFields, TeamCityIngest
from ciwhy.ingest.submission import Submission

FINISHED = "finished"

Read = Callable[[TeamCityFields], str | None]


def _first(layers: list[TeamCityFields], read: Read) -> str | None:
    for layer in layers:
        if value := read(layer):
            return value
    return None


def _build_type(layer: TeamCityFields) -> TeamCityBuildType:
    return layer.build_type or TeamCityBuildType()


def _revision(layer: TeamCityFields) -> str | None:
    if layer.revision:
        return layer.revision
    listed = layer.revisions.revision if layer.revisions else None
    return listed[0].version if listed else None


def _vendor_status(body: TeamCityIngest, layers: list[TeamCityFields]) -> str:
    state = _first(layers, lambda b: b.state)
    if state and state.strip().lower() != FINISHED:
        return state
    return body.status


def to_submission(body: TeamCityIngest) -> Submission:
    layers: list[TeamCityFields] = [body, *(b for b in (body.payload, body.build) if b)]
    build_id = _first(layers, lambda b: b.id or b.build_id)
    url = _first(layers, lambda b: b.web_url or b.build_status_url)
    vendor_status = _vendor_status(body, layers)
    return Submission(
        source="teamcity_ingest",
        provider="teamcity",
        project=body.project_name,
        status=normalise_status(vendor_status),
        vendor_status=vendor_status,
        log=body.log,
        pipeline_id=build_id,
        job_id=build_id,
        job_name=_first(layers, lambda b: _build_type(b).name or b.build_name or b.build_type_id),
        branch=_first(layers, lambda b: b.branch_name),
        commit_sha=_first(layers, _revision),
        pipeline_url=url,
        job_url=url,
        build_number=_first(layers, lambda b: b.number or b.build_number),
    )


ROUTE = register(Route("teamcity", TeamCityIngest, to_submission))
