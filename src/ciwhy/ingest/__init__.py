"""Ingest, stages ① accept (in ``ciwhy.web``) and ② normalise (here, pure).

A route's raw JSON body becomes a wire model (``schemas``), then one ``Submission``
(``providers``); bad bodies raise ``pydantic.ValidationError``, which ``errors`` turns into the
``details`` of a 400. No web framework, no database.
"""

from __future__ import annotations

from ciwhy.ingest.errors import validation_details
from ciwhy.ingest.normalise import FAILED_STATUSES, normalise_status, provider_slug
from ciwhy.ingest.providers import ROUTES, Route
from ciwhy.ingest.submission import Submission

__all__ = [
    "FAILED_STATUSES",
    "ROUTES",
    "Route",
    "Submission",
    "normalise_status",
    "provider_slug",
    "validation_details",
]
