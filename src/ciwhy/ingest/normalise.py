"""Pure normalisation of the free-text values every ingest route receives.

``provider_slug``
    The provider name as a key: ASCII lower case, ``[a-z0-9]`` kept, every run of anything else
    (spaces, slashes, punctuation, control characters, and *all non-ASCII characters*, letters
    included) becomes one ``_``; leading and trailing ``_`` are trimmed, the result is cut to
    ``SLUG_MAX`` (32) characters and trimmed again. Non-ASCII letters are not transliterated
    (``"Büild" -> "b_ild"``): transliteration tables differ between libraries and versions, and a
    key must never change under a user's feet. Only ASCII ``A-Z`` are lower-cased, so a Unicode
    lookalike such as the Kelvin sign never turns into an ASCII letter. An input with no ASCII
    letter or digit gives ``""``; the generic schema refuses it (400).

``normalise_status``
    A vendor's status word (GitHub, GitLab, Jenkins, TeamCity, CircleCI, Drone, Woodpecker ...)
    to one small vocabulary, looked up in ``STATUSES`` after trimming and ASCII lower-casing.
    Enums are open sets (ci-shapes.md §0.1): a word that is not in the table is returned
    *verbatim* (not trimmed, not lower-cased) so that nothing the sender said is lost.

``FAILED_STATUSES``
    The normalised statuses that mean "this job failed and its log is worth a root cause":
    ``failed``, ``timeout``, ``aborted`` (Jenkins ABORTED, Drone ``killed``: a build that was
    stopped mid-way, often by a timeout plugin or an OOM kill) and ``unstable`` (Jenkins: the
    build ran but tests failed). ``cancelled`` is not a failure: someone chose to stop the run.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from types import MappingProxyType

SLUG_MAX = 32

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def provider_slug(raw: str) -> str:
    """``"My CI 1.0" -> "my_ci_1_0"``; ``"  (Jenkins) " -> "jenkins"``; ``"///" -> ""``."""
    slug = _NOT_SLUG.sub("_", raw.translate(_ASCII_LOWER)).strip("_")
    return slug[:SLUG_MAX].rstrip("_")


# Keys are trimmed, ASCII-lower-cased vendor words; values are the normalised vocabulary.
_STATUS_TABLE: dict[str, str] = {
    # success: generic words, Jenkins/TeamCity SUCCESS, CircleCI/Drone success, Azure Succeeded
    "success": "success",
    "passed": "success",
    "ok": "success",
    "succeeded": "success",
    # failed: Jenkins/TeamCity FAILURE, TeamCity ERROR, CircleCI failed/error/infrastructure_fail,
    # Drone/Woodpecker failure/error
    "failed": "failed",
    "failure": "failed",
    "fail": "failed",
    "error": "failed",
    "errored": "failed",
    "startup_failure": "failed",  # GitHub: the workflow file could not start
    "infrastructure_fail": "failed",
    # cancelled: both spellings (GitHub cancelled; GitLab, CircleCI, Woodpecker canceled)
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "canceling": "cancelled",  # GitLab, on its way to canceled
    # timeout: GitHub timed_out, CircleCI timedout
    "timeout": "timeout",
    "timedout": "timeout",
    "timed_out": "timeout",
    "timed out": "timeout",
    # aborted: Jenkins ABORTED, Drone/Woodpecker killed
    "aborted": "aborted",
    "killed": "aborted",
    # Jenkins UNSTABLE: the build finished but tests failed
    "unstable": "unstable",
    # not final, or never ran: kept as themselves
    "running": "running",
    "in_progress": "running",  # GitHub, BuildButler
    "pending": "pending",
    "queued": "queued",
    "waiting": "queued",  # GitHub: waiting for an environment's approval
    "requested": "queued",  # GitHub workflow_run
    "created": "queued",  # GitLab
    "preparing": "queued",  # GitLab
    "waiting_for_resource": "queued",  # GitLab
    "scheduled": "queued",  # GitLab
    "blocked": "blocked",
    "manual": "blocked",  # GitLab: waits for a person
    "skipped": "skipped",
    "not_built": "skipped",  # Jenkins NOT_BUILT
    "not_run": "skipped",  # CircleCI not_run
}

STATUSES: Mapping[str, str] = MappingProxyType(_STATUS_TABLE)
"""The lookup table itself (read-only): trimmed lower-case vendor word -> normalised status."""

FAILED_STATUSES: frozenset[str] = frozenset({"failed", "timeout", "aborted", "unstable"})


def normalise_status(raw: str) -> str:
    """``"FAILURE" -> "failed"``, ``" Timed Out " -> "timeout"``; unknown words come back as is."""
    return _STATUS_TABLE.get(raw.strip().translate(_ASCII_LOWER), raw)
