"""Admin commands for build analytics: webhook receivers (`ciwhy webhooks secret`) and tenant
quotas (`ciwhy quotas`). They act on the database directly, like `ciwhy tokens`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ciwhy.cli.service import _settings, _store

webhooks_app = typer.Typer(help="Webhook receivers (GitHub, GitLab): URL and secret per tenant.")
quotas_app = typer.Typer(help="Optional per-tenant quotas (off unless set).")
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


def register(app: typer.Typer) -> None:
    app.add_typer(webhooks_app, name="webhooks")
    app.add_typer(quotas_app, name="quotas")
