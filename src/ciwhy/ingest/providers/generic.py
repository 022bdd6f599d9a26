"""``POST /api/ingest/log``: the generic route, for any CI or script.

=============  ==========================================
Submission     LogIngest
=============  ==========================================
source         ``"generic_ingest"``
provider       ``provider_slug(provider)`` (never empty: the schema refuses that)
project        ``project``
status         ``normalise_status(status)``
vendor_status  ``status`` verbatim
log            ``log``
pipeline_id    ``pipeline_id`` (an integer becomes its string)
job_id         ``job_id`` (idem)
job_name       ``job_name``
branch         ``branch``
commit_sha     ``commit_sha``
pipeline_url   ``pipeline_url``
job_url        ``None`` (the generic shape has no job URL)
build_number   ``build_number`` (an integer becomes its string)
=============  ==========================================
"""

from __future__ import annotations

from ciwhy.ingest.normalise import normalise_status, provider_slug
from ciwhy.ingest.providers import Route, register
from ciwhy.ingest.schemas import LogIngest
from ciwhy.ingest.submission import Submission


def to_submission(body: LogIngest) -> Submission:
    return Submission(
        source="generic_ingest",
        provider=provider_slug(body.provider),
        project=body.project,
        status=normalise_status(body.status),
        vendor_status=body.status,
        log=body.log,
        pipeline_id=body.pipeline_id,
        job_id=body.job_id,
        job_name=body.job_name,
        branch=body.branch,
        commit_sha=body.commit_sha,
        pipeline_url=body.pipeline_url,
        build_number=body.build_number,
    )


ROUTE = register(Route("log", LogIngest, to_submission))
