"""``POST /api/ingest/circleci``: a CircleCI outbound-webhook body (§2.5) with the ``log`` added.

Both event types work: ``job-completed`` (the job is the unit) and ``workflow-completed`` (no
``job``: the workflow is the unit, so its id and name stand in for the job's). A step that posts
while its job still runs (``when: on_fail``) sends a top-level ``status`` itself.

=============  ===========================================================================
Submission     CircleCIIngest (first non-empty wins)
=============  ===========================================================================
source         ``"circleci_ingest"``
provider       ``"circleci"``
project        ``project.slug`` (``gh/org/repo``; opaque ``circleci/<org>/<project>`` for
               GitHub App and GitLab projects)
status         ``normalise_status`` of the status below
vendor_status  ``status``, ``job.status``, ``workflow.status``
log            ``log``
pipeline_id    ``pipeline.id`` (uuid, ``$CIRCLE_PIPELINE_ID``)
job_id         ``job.id`` (uuid, ``$CIRCLE_WORKFLOW_JOB_ID``), ``workflow.id``
job_name       ``job.name`` (``$CIRCLE_JOB``), ``workflow.name``
branch         ``pipeline.vcs.branch``, ``pipeline.trigger_parameters.git.branch``
commit_sha     ``pipeline.vcs.revision``, ``pipeline.trigger_parameters.git.checkout_sha``
pipeline_url   ``workflow.url``
job_url        ``"{workflow.url}/jobs/{job.number}"`` (not in the payload; CircleCI's UI path)
build_number   ``job.number`` (``$CIRCLE_BUILD_NUM``)
=============  ===========================================================================
"""

from __future__ import annotations

from ciwhy.ingest.normalise import normalise_status
from ciwhy.ingest.providers import Route, register
from ciwhy.ingest.schemas import (
    CircleCIIngest,
    CircleGit,
    CircleJob,
    CirclePipeline,
    CircleTriggerParameters,
    CircleVcs,
    CircleWorkflow,
)
from ciwhy.ingest.submission import Submission


def to_submission(body: CircleCIIngest) -> Submission:
    pipeline = body.pipeline or CirclePipeline()
    vcs = pipeline.vcs or CircleVcs()
    git = (pipeline.trigger_parameters or CircleTriggerParameters()).git or CircleGit()
    workflow = body.workflow or CircleWorkflow()
    job = body.job or CircleJob()
    job_url = (
        f"{workflow.url.rstrip('/')}/jobs/{job.number}" if workflow.url and job.number else None
    )
    return Submission(
        source="circleci_ingest",
        provider="circleci",
        project=body.project.slug,
        status=normalise_status(body.status),
        vendor_status=body.status,
        log=body.log,
        pipeline_id=pipeline.id or None,
        job_id=job.id or workflow.id or None,
        job_name=job.name or workflow.name or None,
        branch=vcs.branch or git.branch or None,
        commit_sha=vcs.revision or git.checkout_sha or None,
        pipeline_url=workflow.url or None,
        job_url=job_url,
        build_number=job.number or None,
    )


ROUTE = register(Route("circleci", CircleCIIngest, to_submission))
