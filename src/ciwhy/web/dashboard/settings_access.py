"""Settings sections for access: API tokens (create, shown once; list; revoke), webhook
receivers per provider (URL, secret, rotate) and users (list, create, disable)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.datastructures import FormData

from ciwhy.ingest.webhooks import PROVIDERS
from ciwhy.store import receivers, tokens, users
from ciwhy.web.dashboard import queries
from ciwhy.web.dashboard.common import call
from ciwhy.web.dashboard.settings import Outcome, Section, field_text, register
from ciwhy.web.session import ROLES, User

# --- API tokens ------------------------------------------------------------------------------


async def _tokens(request: Request, user: User) -> dict[str, Any]:
    found = await call(request, tokens.list_tokens, user.tenant)
    found.sort(key=lambda t: (t.revoked_at is not None, t.created_at), reverse=False)
    return {"tokens": found, "scopes": tokens.SCOPES}


async def create_token(request: Request, user: User, form: FormData) -> Outcome:
    name = field_text(form, "name", 200)
    scopes = {s for s in form.getlist("scopes") if isinstance(s, str)}
    if not name:
        return Outcome(error="Give the token a name.")
    try:
        tok, secret = await call(request, tokens.create, user.tenant, name, scopes)
    except ValueError:
        return Outcome(error="Choose at least one scope among " + ", ".join(tokens.SCOPES) + ".")
    return Outcome(message=f"Token “{tok.name}” created.", once={"secret": secret,
                                                                 "token": tok})  # fmt: skip


async def revoke_token(request: Request, user: User, form: FormData) -> Outcome:
    token_id = field_text(form, "token_id", 64)
    mine = {t.id: t for t in await call(request, tokens.list_tokens, user.tenant)}
    if token_id not in mine or not await call(request, tokens.revoke, token_id, user.tenant_id):
        return Outcome(error="No such live token.")
    return Outcome(message=f"Token “{mine[token_id].name}” revoked.")


register(Section("tokens", "API tokens", "dashboard/settings_tokens.html", _tokens,
                 {"create": create_token, "revoke": revoke_token}))  # fmt: skip


# --- webhook receivers -----------------------------------------------------------------------


def _base(request: Request) -> str:
    public = request.app.state.settings.public_url
    return (public or str(request.base_url)).rstrip("/")


async def _webhooks(request: Request, user: User) -> dict[str, Any]:
    found = await call(request, queries.receivers_of, user.tenant_id)
    rows = [{"provider": p, "receiver": found.get(p),
             "url": f"{_base(request)}/webhooks/{p}/{found[p].id}" if p in found else None}
            for p in sorted(PROVIDERS)]  # fmt: skip
    return {"receivers": rows}


async def _secret(request: Request, user: User, form: FormData, rotate: bool) -> Outcome:
    provider = field_text(form, "provider", 40)
    if provider not in PROVIDERS:
        return Outcome(error="No such provider.")
    rec = await call(request, receivers.secret_for, user.tenant, provider, rotate)
    verb = "New secret for" if rotate else "Receiver ready for"
    return Outcome(message=f"{verb} {provider}.", once={"secret": rec.secret,
                                                        "provider": provider})  # fmt: skip


async def enable_webhook(request: Request, user: User, form: FormData) -> Outcome:
    return await _secret(request, user, form, rotate=False)


async def rotate_webhook(request: Request, user: User, form: FormData) -> Outcome:
    return await _secret(request, user, form, rotate=True)


register(Section("webhooks", "Webhooks", "dashboard/settings_webhooks.html", _webhooks,
                 {"enable": enable_webhook, "rotate": rotate_webhook}))  # fmt: skip


# --- users -----------------------------------------------------------------------------------


async def _users(request: Request, user: User) -> dict[str, Any]:
    return {"people": await call(request, users.list_users, user.tenant_id), "roles": ROLES}


async def create_user(request: Request, user: User, form: FormData) -> Outcome:
    email, role = field_text(form, "email", 320), field_text(form, "role", 20)
    password = form.get("password")
    try:
        made = await call(request, users.create_user, user.tenant, email,
                          password if isinstance(password, str) else "", role)  # fmt: skip
    except users.UserError as exc:
        return Outcome(error=str(exc))
    return Outcome(message=f"{made.email} can sign in now, as {made.role}.")


async def disable_user(request: Request, user: User, form: FormData) -> Outcome:
    user_id = field_text(form, "user_id", 64)
    if user_id == user.id:
        return Outcome(error="You cannot disable yourself.")
    if not await call(request, users.disable_user, user.tenant_id, user_id):
        return Outcome(error="No such active user.")
    return Outcome(message="User disabled; their sessions have ended.")


register(Section("users", "Users", "dashboard/settings_users.html", _users,
                 {"create": create_user, "disable": disable_user}))  # fmt: skip
