"""Service commands: serve, worker, migrate, tokens, settings. Each parses its options, calls
the store or the app, and prints."""

from __future__ import annotations

import json
import signal
import threading
from typing import Annotated

import typer

from ciwhy import config

tokens_app = typer.Typer(help="API tokens (tenants are created with their first token).")


def _settings(**overrides: object) -> config.Settings:
    try:
        return config.Settings.from_env(**overrides)
    except ValueError as exc:
        typer.echo(f"ciwhy: {exc}", err=True)
        raise typer.Exit(2) from exc


def _store(settings: config.Settings, migrate: bool = True):  # type: ignore[no-untyped-def]
    from ciwhy.store import Store

    store = Store.from_settings(settings)
    if migrate:
        store.migrate()
    return store


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (CIWHY_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (CIWHY_PORT).")] = None,
    workers: Annotated[
        int | None, typer.Option(help="In-process analysis workers (CIWHY_WORKERS).")
    ] = None,
) -> None:
    """Run the API and the in-process analysis workers (migrates the database first)."""
    import uvicorn

    from ciwhy.web.app import create_app

    settings = _settings(host=host, port=port, workers=workers)
    store = _store(settings)
    typer.echo(
        f"ciwhy {settings.database_url.split('@')[-1]} on http://{settings.host}:{settings.port}"
    )
    uvicorn.run(
        create_app(settings, store), host=settings.host, port=settings.port, log_level="info"
    )


def worker(
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Analyses at a time.")] = 1,
) -> None:
    """Run analysis workers only (more capacity beside `ciwhy serve`)."""
    from ciwhy.pipeline import Worker, process_pool

    settings = _settings()
    store = _store(settings, migrate=False)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    pool = process_pool(concurrency)
    pool.warm()  # the first logs are not kept waiting for processes to start
    threads = [
        threading.Thread(target=Worker(store, settings, pool).run, args=(stop,), daemon=True)
        for _ in range(concurrency)
    ]
    for t in threads:
        t.start()
    typer.echo(f"ciwhy worker: {concurrency} at a time", err=True)
    while not stop.wait(0.5):
        pass
    for t in threads:
        t.join(timeout=10)
    pool.shutdown()


def migrate() -> None:
    """Create or upgrade the database schema."""
    settings = _settings()
    _store(settings).close()
    typer.echo("database is up to date")


def show_settings() -> None:
    """Every setting, its environment variable, default and meaning."""
    typer.echo(config.describe())


@tokens_app.command("create")
def tokens_create(
    tenant: Annotated[str, typer.Option(help="Tenant name (created if new).")],
    name: Annotated[str, typer.Option(help="What the token is for.")],
    scope: Annotated[list[str], typer.Option(help="ingest, read or admin; may repeat.")],
) -> None:
    """Create a token; its secret is printed once, as the last line."""
    from ciwhy.store import tokens

    store = _store(_settings())
    try:
        tok, secret = tokens.create(store.engine, tenant.strip(), name, set(scope))
    except ValueError as exc:
        typer.echo(f"ciwhy: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"token {tok.id} for tenant {tok.tenant} ({' '.join(sorted(tok.scopes))})")
    typer.echo("the secret is shown once; store it now:", err=True)
    typer.echo(secret)


@tokens_app.command("list")
def tokens_list(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant's tokens.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List tokens (never their secrets)."""
    from ciwhy.store import tokens

    rows = tokens.list_tokens(_store(_settings()).engine, tenant)
    out = [
        {
            "id": t.id,
            "tenant": t.tenant,
            "name": t.name,
            "scopes": sorted(t.scopes),
            "created_at": t.created_at.isoformat(),
            "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
        }
        for t in rows
    ]
    if as_json:
        typer.echo(json.dumps(out))
        return
    for t in out:
        state = "revoked" if t["revoked_at"] else "active"
        typer.echo(
            f"{t['id']}  {t['tenant']:<20} {t['name']:<20} {','.join(t['scopes']):<18} {state}"
        )


@tokens_app.command("revoke")
def tokens_revoke(token_id: Annotated[str, typer.Argument(help="The token's id.")]) -> None:
    """Revoke a token: requests with it are refused from now on."""
    from ciwhy.store import tokens

    if not tokens.revoke(_store(_settings()).engine, token_id):
        typer.echo(f"ciwhy: no active token {token_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {token_id}")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(worker)
    app.command()(migrate)
    app.command("settings")(show_settings)
    app.add_typer(tokens_app, name="tokens")
