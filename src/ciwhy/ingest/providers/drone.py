"""``POST /api/ingest/drone``: the Drone webhook envelope (§2.6) with the ``log`` added.

Woodpecker has no outbound webhooks (§2.7); a Woodpecker or Drone step posts the same shape
from its environment (``DRONE_REPO`` -> ``repo.slug``, ``DRONE_BUILD_NUMBER`` ->
``build.number``, ``DRONE_STAGE_NUMBER``/``_NAME`` -> ``build.stages[0]`` ...). Drone's Go zero
values (``""``, ``0``) mean "unset" and are read as absent.

Drone has no global run id, but a build number is unique within a repository, which is the
project. The job is a *stage* (one runner job): the first stage whose status is a failure, else
the only stage; with several stages and none failed, there is no job.

=============  ===========================================================================
Submission     DroneIngest (first non-empty wins)
=============  ===========================================================================
source         ``"drone_ingest"``
provider       ``"drone"``
project        ``repo.slug`` (``owner/name``)
status         ``normalise_status(build.status)`` (``failure`` -> ``failed``,
               ``killed`` -> ``aborted``)
vendor_status  ``build.status``
log            ``log``
pipeline_id    ``build.number``
job_id         the stage's ``number``
job_name       the stage's ``name``
branch         ``build.source`` (a pull request's head), ``build.target``, ``build.ref`` minus
               ``refs/heads/``
commit_sha     ``build.after``
pipeline_url   ``"{system.link}/{repo.slug}/{build.number}"`` (``build.link`` is the *forge's*
               commit or compare link, not Drone's page: not used)
job_url        ``None``
build_number   ``build.number``
=============  ===========================================================================
"""

from __future__ import annotations

from ciwhy.ingest.normalise import FAILED_STATUSES, normalise_status
from ciwhy.ingest.providers import Route, register
from ciwhy.ingest.schemas import DroneIngest, DroneStage
from ciwhy.ingest.submission import Submission

BRANCH_REF = "refs/heads/"


def _set(value: str | None) -> str | None:
    """Go's zero string is "unset"."""
    return value or None


def _number(value: str | None) -> str | None:
    """Go's zero number is "unset"."""
    return None if value in (None, "", "0") else value


def _failed_stage(stages: list[DroneStage]) -> DroneStage | None:
    for stage in stages:
        if stage.status is not None and normalise_status(stage.status) in FAILED_STATUSES:
            return stage
    return stages[0] if len(stages) == 1 else None


def _branch(source: str | None, target: str | None, ref: str | None) -> str | None:
    if branch := _set(source) or _set(target):
        return branch
    if ref and ref.startswith(BRANCH_REF):
        return ref.removeprefix(BRANCH_REF) or None
    return None


def to_submission(body: DroneIngest) -> Submission:
    build = body.build
    number = _number(build.number)
    stage = _failed_stage(build.stages or []) or DroneStage()
    link = _set(body.system.link if body.system else None)
    pipeline_url = f"{link.rstrip('/')}/{body.repo.slug}/{number}" if link and number else None
    return Submission(
        source="drone_ingest",
        provider="drone",
        project=body.repo.slug,
        status=normalise_status(build.status),
        vendor_status=build.status,
        log=body.log,
        pipeline_id=number,
        job_id=_number(stage.number),
        job_name=_set(stage.name),
        branch=_branch(build.source, build.target, build.ref),
        commit_sha=_set(build.after),
        pipeline_url=pipeline_url,
        build_number=number,
    )


ROUTE = register(Route("drone", DroneIngest, to_submission))
