"""Tenants and API tokens. Secrets (`cwy_<random>`) are shown once and stored as SHA-256
hashes; a presented secret is looked up by its hash and compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Select, insert, select, update

from ciwhy import clock
from ciwhy.store.db import writing
from ciwhy.store.tables import tenants, tokens

SCOPES = ("ingest", "read", "admin")
PREFIX = "cwy_"


@dataclass(frozen=True)
class Token:
    id: str
    tenant_id: str
    tenant: str
    name: str
    scopes: frozenset[str]
    created_at: datetime
    revoked_at: datetime | None


def secret_hash(secret: str) -> str:
    """How a secret is stored and looked up (SHA-256, hex)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def ensure_tenant(engine: Engine, name: str) -> str:
    with writing(engine) as conn:
        found = conn.execute(select(tenants.c.id).where(tenants.c.name == name)).scalar()
        if found:
            return str(found)
        tid = str(uuid.uuid4())
        conn.execute(insert(tenants).values(id=tid, name=name, created_at=clock.now()))
        return tid


def create(engine: Engine, tenant: str, name: str, scopes: set[str]) -> tuple[Token, str]:
    """A new token for `tenant` (created if new): the token and its secret, shown once."""
    bad = scopes - set(SCOPES)
    if bad or not scopes:
        raise ValueError(f"scopes must be among {', '.join(SCOPES)} (got {sorted(bad) or 'none'})")
    tenant_id = ensure_tenant(engine, tenant)
    secret = PREFIX + secrets.token_urlsafe(32)
    tok = Token(str(uuid.uuid4()), tenant_id, tenant, name, frozenset(scopes), clock.now(), None)
    with writing(engine) as conn:
        conn.execute(
            insert(tokens).values(
                id=tok.id,
                tenant_id=tenant_id,
                name=name,
                secret_hash=secret_hash(secret),
                scopes=" ".join(sorted(scopes)),
                created_at=tok.created_at,
            )
        )
    return tok, secret


def _query() -> Select[Any]:
    return select(tokens, tenants.c.name.label("tenant")).join(
        tenants, tenants.c.id == tokens.c.tenant_id
    )


def _row(r: Any) -> Token:
    return Token(
        r.id, r.tenant_id, r.tenant, r.name, frozenset(r.scopes.split()), r.created_at, r.revoked_at
    )


def authenticate(engine: Engine, secret: str) -> Token | None:
    """The live token this secret belongs to, or None (unknown or revoked)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    digest = secret_hash(secret)
    with engine.connect() as conn:
        r = conn.execute(_query().where(tokens.c.secret_hash == digest)).first()
    if r is None or not hmac.compare_digest(r.secret_hash, digest) or r.revoked_at is not None:
        return None
    return _row(r)


def list_tokens(engine: Engine, tenant: str | None = None) -> list[Token]:
    q = _query().order_by(tokens.c.created_at)
    if tenant:
        q = q.where(tenants.c.name == tenant)
    with engine.connect() as conn:
        return [_row(r) for r in conn.execute(q)]


def revoke(engine: Engine, token_id: str, tenant_id: str | None = None) -> bool:
    """Revoke an active token (only one of `tenant_id`'s, when given); False if none was."""
    where = [tokens.c.id == token_id, tokens.c.revoked_at.is_(None)]
    if tenant_id is not None:
        where.append(tokens.c.tenant_id == tenant_id)
    with writing(engine) as conn:
        res = conn.execute(update(tokens).where(*where).values(revoked_at=clock.now()))
    return res.rowcount > 0
