"""The ingest routes by name: a wire schema and a pure mapping to ``Submission`` each.

Every ``providers/<name>.py`` registers its ``Route`` when imported; this package imports them
all at the end, so ``ROUTES`` is complete as soon as it can be used. The web layer needs no
knowledge of any provider::

    route = ROUTES[name]                      # "log", "jenkins", "circleci", "teamcity", "drone"
    submission = route.parse(raw_body)        # raises pydantic.ValidationError -> 400
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from ciwhy.ingest.submission import Submission

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Route(Generic[M]):
    """``POST /api/ingest/{name}``: validate with ``schema``, then map with ``to_submission``."""

    name: str
    schema: type[M]
    to_submission: Callable[[M], Submission]

    def parse(self, raw: bytes | str) -> Submission:
        """Validate a raw JSON body and map it; ``pydantic.ValidationError`` on a bad body."""
        return self.to_submission(self.schema.model_validate_json(raw))


ROUTES: dict[str, Route[Any]] = {}


def register(route: Route[M]) -> Route[M]:
    """Add ``route`` to ``ROUTES``; a name can be taken once."""
    if route.name in ROUTES:
        raise ValueError(f"ingest route {route.name!r} is already registered")
    ROUTES[route.name] = route
    return route


# Imported for their registration; they need Route and register, defined above.
from ciwhy.ingest.providers import circleci, drone, generic, jenkins, teamcity  # noqa: E402

__all__ = ["ROUTES", "Route", "circleci", "drone", "generic", "jenkins", "register", "teamcity"]
