"""③ Webhook receivers: per tenant and provider, the id in the receiver URL
(``/webhooks/<provider>/<id>``) and the secret deliveries are verified with, and the delivery
ids already taken (senders retry).

The secret is stored as given to the user: verifying an HMAC needs the secret itself, not a
hash of it. Rotating keeps the URL and replaces the secret at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ciwhy import clock
from ciwhy.store.db import writing
from ciwhy.store.tables import tenants, webhook_deliveries, webhook_receivers
from ciwhy.store.tokens import ensure_tenant

DEFAULT_TENANT = "default"
#: Delivery ids are remembered this long (senders retry within hours, not weeks).
KEEP_DELIVERIES = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Receiver:
    id: str
    tenant_id: str
    tenant: str
    provider: str
    secret: str


def secret_for(engine: Engine, tenant: str, provider: str, rotate: bool = False) -> Receiver:
    """The tenant's receiver for `provider`, created on first use; a new secret if `rotate`."""
    tenant_id = ensure_tenant(engine, tenant)
    for _ in range(3):
        found = _find(engine, webhook_receivers.c.tenant_id == tenant_id,
                      webhook_receivers.c.provider == provider)  # fmt: skip
        if found is not None and not rotate:
            return found
        with writing(engine) as conn:
            new_secret = secrets.token_urlsafe(32)
            if found is None:
                try:
                    conn.execute(insert(webhook_receivers).values(
                        id=secrets.token_urlsafe(18), tenant_id=tenant_id, provider=provider,
                        secret=new_secret, created_at=clock.now()))  # fmt: skip
                except IntegrityError:
                    continue  # another process created it first: read theirs
            else:
                conn.execute(update(webhook_receivers)
                             .where(webhook_receivers.c.id == found.id)
                             .values(secret=new_secret))  # fmt: skip
        rotate = False
    found = _find(engine, webhook_receivers.c.tenant_id == tenant_id,
                  webhook_receivers.c.provider == provider)  # fmt: skip
    assert found is not None
    return found


def _find(engine: Engine, *where: Any) -> Receiver | None:
    q = (select(webhook_receivers.c.id, webhook_receivers.c.tenant_id, tenants.c.name,
                webhook_receivers.c.provider, webhook_receivers.c.secret)
         .join(tenants, tenants.c.id == webhook_receivers.c.tenant_id).where(*where))  # fmt: skip
    with engine.connect() as conn:
        row = conn.execute(q).first()
    return Receiver(*row) if row else None


def lookup(engine: Engine, provider: str, receiver_id: str | None) -> Receiver | None:
    """The receiver a delivery is for: by its id, or the default tenant's (bare URL)."""
    if receiver_id is not None:
        return _find(engine, webhook_receivers.c.id == receiver_id,
                     webhook_receivers.c.provider == provider)  # fmt: skip
    return _find(engine, tenants.c.name == DEFAULT_TENANT,
                 webhook_receivers.c.provider == provider)  # fmt: skip


def seen(engine: Engine, receiver_id: str, delivery_id: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(webhook_deliveries.c.delivery_id).where(
            webhook_deliveries.c.receiver_id == receiver_id,
            webhook_deliveries.c.delivery_id == delivery_id)).first() is not None  # fmt: skip


def remember(engine: Engine, receiver_id: str, delivery_id: str) -> bool:
    """Record a delivery as taken; False when it already was (a concurrent retry)."""
    now = clock.now()
    try:
        with writing(engine) as conn:
            conn.execute(insert(webhook_deliveries).values(
                receiver_id=receiver_id, delivery_id=delivery_id, received_at=now))  # fmt: skip
            conn.execute(delete(webhook_deliveries).where(
                webhook_deliveries.c.received_at < now - KEEP_DELIVERIES))  # fmt: skip
    except IntegrityError:
        return False
    return True


def forget_before(engine: Engine, when: datetime) -> None:
    with writing(engine) as conn:
        conn.execute(delete(webhook_deliveries).where(webhook_deliveries.c.received_at < when))
