"""``POST /api/ingest/jenkins``: a pipeline ``post`` step, or the Notification plugin (§2.9).

A Jenkins build is one run with one job, so ``pipeline_id`` and ``job_id`` are both Jenkins' own
build id, ``"<job>#<number>"`` (``Run.getExternalizableId()``): a build number alone repeats
across the jobs of one project.

=============  ===========================================================================
Submission     JenkinsIngest (first non-empty wins)
=============  ===========================================================================
source         ``"jenkins_ingest"``
provider       ``"jenkins"``
project        ``project``, ``job``, ``name``
status         ``normalise_status`` of the status below (``FAILURE`` -> ``failed``)
vendor_status  ``status``, ``build.status``
log            ``log``, ``build.log`` (the plugin's last N console lines)
pipeline_id    ``"<job_name>#<build_number>"`` when both are known
job_id         the same
job_name       ``job``, ``name``
branch         ``branch``, ``build.scm.branch``; a leading ``origin/`` (the Git plugin's remote
               tracking name, ``GIT_BRANCH``) is removed
commit_sha     ``commit_sha``, ``build.scm.commit``
pipeline_url   ``build_url``, ``build.full_url`` (``build.url`` is relative: not used)
job_url        the same
build_number   ``build_number``, ``build.number``
=============  ===========================================================================
"""

from __future__ import annotations

from ciwhy.ingest.normalise import normalise_status
from ciwhy.ingest.providers import Route, register
from ciwhy.ingest.schemas import JenkinsBuild, JenkinsIngest, JenkinsScm
from ciwhy.ingest.submission import Submission

REMOTE_PREFIX = "origin/"


def _branch(name: str | None) -> str | None:
    if not name:
        return None
    return name.removeprefix(REMOTE_PREFIX) or None


def to_submission(body: JenkinsIngest) -> Submission:
    build = body.build or JenkinsBuild()
    scm = build.scm or JenkinsScm()
    job_name = body.job or body.name
    number = body.build_number or build.number
    build_id = f"{job_name}#{number}" if job_name and number else None
    url = body.build_url or build.full_url
    return Submission(
        source="jenkins_ingest",
        provider="jenkins",
        project=body.project,
        status=normalise_status(body.status),
        vendor_status=body.status,
        log=body.log,
        pipeline_id=build_id,
        job_id=build_id,
        job_name=job_name,
        branch=_branch(body.branch or scm.branch),
        commit_sha=body.commit_sha or scm.commit,
        pipeline_url=url,
        job_url=url,
        build_number=number,
    )


ROUTE = register(Route("jenkins", JenkinsIngest, to_submission))
