"""Settings (admins only): a registry of sections, each a page and the form actions it takes.

`/settings/<section>` shows a section; a form posts to `/settings/<section>/<action>` with the
CSRF field, and the answer is the section again with what the action says (a message, an
error, or a secret shown this once). Sections register themselves (settings_*.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ciwhy.web.dashboard.common import Admin, render
from ciwhy.web.session import User, require_csrf

Load = Callable[[Request, User], Awaitable[dict[str, Any]]]
Action = Callable[[Request, User, FormData], Awaitable["Outcome"]]


@dataclass(frozen=True)
class Outcome:
    """What an action did: a message for the page, or an error (400), and anything the page
    shows once (a new secret)."""

    message: str | None = None
    error: str | None = None
    once: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    template: str
    load: Load
    actions: dict[str, Action]


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    if section.slug in SECTIONS:
        raise ValueError(f"settings section {section.slug!r} is already registered")
    SECTIONS[section.slug] = section
    return section


def field_text(form: FormData, name: str, limit: int = 500) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


router = APIRouter(prefix="/settings", include_in_schema=False)


async def _show(
    request: Request, user: User, section: Section, outcome: Outcome | None = None
) -> HTMLResponse:
    ctx = await section.load(request, user)
    status = 400 if outcome and outcome.error else 200
    return render(request, user, section.template, status, section=section,
                  sections=SECTIONS.values(), outcome=outcome or Outcome(), **ctx)  # fmt: skip


def _unknown(request: Request, user: User) -> HTMLResponse:
    return render(request, user, "dashboard/not_found.html", 404, what="settings page")


@router.get("", response_class=HTMLResponse)
async def index(user: Admin) -> Response:
    return RedirectResponse(f"/settings/{next(iter(SECTIONS))}", status_code=303)


@router.get("/{slug}", response_class=HTMLResponse)
async def section_page(request: Request, user: Admin, slug: str) -> HTMLResponse:
    section = SECTIONS.get(slug)
    if section is None:
        return _unknown(request, user)
    return await _show(request, user, section)


@router.post("/{slug}/{action}", response_class=HTMLResponse,
             dependencies=[Depends(require_csrf)])  # fmt: skip
async def act(request: Request, user: Admin, slug: str, action: str) -> HTMLResponse:
    section = SECTIONS.get(slug)
    handler = section.actions.get(action) if section else None
    if section is None or handler is None:
        return _unknown(request, user)
    outcome = await handler(request, user, await request.form())
    return await _show(request, user, section, outcome)
