"""The canonical, provider-neutral result of the normalise stage (②).

Every ingest route, whatever its wire shape, ends in one ``Submission``; the store stage (③)
only ever sees this. Frozen and free of pydantic: wire models stay at the wire.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Literal

Source = Literal[
    "generic_ingest",
    "jenkins_ingest",
    "circleci_ingest",
    "teamcity_ingest",
    "drone_ingest",
    "build_log",
]


@dataclass(frozen=True, slots=True)
class Submission:
    """One failed (or not) CI job and its log, as a route received it.

    ``provider`` is a ``provider_slug``; ``status`` is ``normalise_status(vendor_status)``;
    ``vendor_status`` is the sender's word, verbatim. Every other value is the sender's, unchanged
    except where a route's mapping says so (e.g. Jenkins ``origin/`` branch prefixes).
    """

    source: Source
    provider: str
    project: str
    status: str
    vendor_status: str
    log: str
    pipeline_id: str | None = None
    job_id: str | None = None
    job_name: str | None = None
    branch: str | None = None
    commit_sha: str | None = None
    pipeline_url: str | None = None
    job_url: str | None = None
    build_number: str | None = None
    #: The build-analytics run this log belongs to (``/ingest/build-logs``).
    run_id: str | None = None

    def dedupe_key(self, tenant_id: str | int) -> str | None:
        """A stable key for "the same job sent again" (CI systems retry deliveries).

        ``None`` when ``pipeline_id`` or ``job_id`` is missing: without both there is no way to
        tell a retry from a new run, so nothing is deduplicated. Otherwise the SHA-256 hex of the
        JSON array ``[tenant, provider, project, pipeline_id, job_id]``: JSON quoting keeps the
        parts apart whatever characters they hold, and ``ensure_ascii`` makes even a lone
        surrogate encodable.
        """
        if self.pipeline_id is None or self.job_id is None:
            return None
        parts = [str(tenant_id), self.provider, self.project, self.pipeline_id, self.job_id]
        packed = json.dumps(parts, ensure_ascii=True, separators=(",", ":"))
        return hashlib.sha256(packed.encode("ascii")).hexdigest()
