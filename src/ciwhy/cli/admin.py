"""Admin commands for build analytics: webhook receivers (`ciwhy webhooks secret`) and tenant
quotas (`ciwhy quotas`). They act on the database directly, like `ciwhy tokens`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ciwhy.cli.service import _settings, _store

webhooks_app = typer.Typer(help="Webhook receivers (GitHub, GitLab): URL and secret per tenant.")
quotas_app = typer.Typer(help="Optional per-tenant quotas (off unless set).")
users_app = typer.Typer(help="People who sign in to the dashboard.")
PROVIDERS = ("github", "gitlab")


@webhooks_app.command("secret")
def webhooks_secret(
    provider: Annotated[str, typer.Option(help="github or gitlab.")],
    tenant: Annotated[str, typer.Option(help="Tenant name (created if new).")] = "default",
    rotate: Annotated[bool, typer.Option(help="Replace the secret (the URL stays).")] = False,
) -> None:
    """Print the URL to configure in the CI's webhook settings, then the secret (last line)."""
    from ciwhy.store import receivers

    if provider not in PROVIDERS:
        typer.echo(f"ciwhy: --provider must be one of {', '.join(PROVIDERS)}", err=True)
        raise typer.Exit(2)
    settings = _settings()
    rec = receivers.secret_for(_store(settings).engine, tenant.strip(), provider, rotate)
    base = (settings.public_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    typer.echo(f"{base}/webhooks/{provider}/{rec.id}")
    hint = "X-Gitlab-Token (the secret token)" if provider == "gitlab" else "the webhook secret"
    typer.echo(f"configure this URL, and the secret below as {hint}:", err=True)
    typer.echo(rec.secret)


@quotas_app.command("set")
def quotas_set(
    tenant: Annotated[str, typer.Option(help="Tenant name.")],
    runs_per_day: Annotated[int | None, typer.Option(min=0, help="New runs a UTC day.")] = None,
    repositories: Annotated[int | None, typer.Option(min=0, help="Distinct repositories.")] = None,
) -> None:
    """Set a tenant's quotas (omit one to lift it); runs over them are answered 402."""
    from ciwhy.store import runs, tokens

    engine = _store(_settings()).engine
    runs.set_quota(engine, tokens.ensure_tenant(engine, tenant.strip()), runs_per_day,
                   repositories)  # fmt: skip
    typer.echo(json.dumps({"tenant": tenant, "runs_per_day": runs_per_day,
                           "repositories": repositories}))  # fmt: skip


@users_app.command("create")
def users_create(
    tenant: Annotated[str, typer.Option(help="Tenant name (created if new).")],
    email: Annotated[str, typer.Option(help="The address the user signs in with.")],
    role: Annotated[str, typer.Option(help="admin, member or viewer.")] = "member",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user; the password is asked for (twice), or read from stdin."""
    import sys

    from ciwhy.store import users

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = users.create_user(_store(_settings()).engine, tenant.strip(), email, password,
                                 role)  # fmt: skip
    except users.UserError as exc:
        typer.echo(f"ciwhy: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"user {user.id} {user.email} ({user.role}) in tenant {user.tenant}")


@users_app.command("list")
def users_list(tenant: Annotated[str, typer.Option(help="Tenant name.")]) -> None:
    """The tenant's users (never their passwords)."""
    from ciwhy.store import tokens, users

    engine = _store(_settings()).engine
    for u in users.list_users(engine, tokens.ensure_tenant(engine, tenant.strip())):
        typer.echo(f"{u.id}  {u.email:<40} {u.role:<7} {'disabled' if u.disabled else 'active'}")


def register(app: typer.Typer) -> None:
    app.add_typer(webhooks_app, name="webhooks")
    app.add_typer(quotas_app, name="quotas")
    app.add_typer(users_app, name="users")
