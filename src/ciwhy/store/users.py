"""③ People who sign in to the dashboard, and their browser sessions.

Passwords are hashed with argon2id (argon2-cffi's defaults); a session cookie carries a random
secret of which only the SHA-256 is stored, so a read of the database signs nobody in."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, Select, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ciwhy import clock
from ciwhy.store.db import writing
from ciwhy.store.tables import tenants
from ciwhy.store.tables_people import sessions, users
from ciwhy.store.tokens import ensure_tenant

ROLES = ("viewer", "member", "admin")
SESSION_DAYS = 14
MIN_PASSWORD = 10
_HASHER = PasswordHasher()
#: Verified against when the email is unknown, so both cases take the same time.
_DUMMY = _HASHER.hash("not a password of anyone")


@dataclass(frozen=True, slots=True)
class User:
    id: str
    tenant_id: str
    tenant: str
    email: str
    role: str
    disabled: bool = False


class UserError(ValueError):
    """A user that cannot be created as asked (bad email, role, password, or taken)."""


def _normal_email(email: str) -> str:
    email = email.strip()
    local, at, domain = email.rpartition("@")
    if (
        not at
        or not local
        or "." not in domain
        or len(email) > 320
        or any(c.isspace() for c in email)
    ):
        raise UserError(f"not an email address: {email[:80]!r}")
    return email.lower()  # addresses are compared without case, as mail systems do


def create_user(engine: Engine, tenant: str, email: str, password: str, role: str) -> User:
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    email = _normal_email(email)
    tenant_id = ensure_tenant(engine, tenant)
    uid = str(uuid.uuid4())
    try:
        with writing(engine) as conn:
            conn.execute(insert(users).values(
                id=uid, tenant_id=tenant_id, email=email, password_hash=_HASHER.hash(password),
                role=role, created_at=clock.now()))  # fmt: skip
    except IntegrityError:
        raise UserError(f"a user with the email {email} exists already") from None
    return User(uid, tenant_id, tenant, email, role)


def _query() -> Select[Any]:
    return select(users.c.id, users.c.tenant_id, tenants.c.name, users.c.email, users.c.role,
                  users.c.disabled_at.is_not(None)).join(
        tenants, tenants.c.id == users.c.tenant_id)  # fmt: skip


def list_users(engine: Engine, tenant_id: str) -> list[User]:
    with engine.connect() as conn:
        rows = conn.execute(_query().where(users.c.tenant_id == tenant_id)
                            .order_by(users.c.email)).all()  # fmt: skip
    return [User(*r) for r in rows]


def disable_user(engine: Engine, tenant_id: str, user_id: str) -> bool:
    """Disable a user and end their sessions; False when there is no such active user."""
    with writing(engine) as conn:
        done = conn.execute(update(users).where(
            users.c.id == user_id, users.c.tenant_id == tenant_id,
            users.c.disabled_at.is_(None)).values(disabled_at=clock.now())).rowcount  # fmt: skip
        conn.execute(delete(sessions).where(sessions.c.user_id == user_id))
    return bool(done)


def authenticate_password(engine: Engine, email: str, password: str) -> User | None:
    """The active user with this email and password; None otherwise (same cost either way)."""
    try:
        email = _normal_email(email)
    except UserError:
        email = ""
    with engine.connect() as conn:
        row = conn.execute(select(users.c.id, users.c.password_hash)
                           .where(users.c.email == email,
                                  users.c.disabled_at.is_(None))).first()  # fmt: skip
    try:
        _HASHER.verify(row.password_hash if row else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    return user_by_id(engine, row.id)


def user_by_id(engine: Engine, user_id: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(_query().where(users.c.id == user_id)).first()
    return User(*row) if row else None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def start_session(engine: Engine, user: User) -> tuple[str, datetime]:
    """A new session for `user`: the cookie's secret and when it expires."""
    secret = secrets.token_urlsafe(32)
    now = clock.now()
    expires = now + timedelta(days=SESSION_DAYS)
    with writing(engine) as conn:
        conn.execute(insert(sessions).values(id=_hash(secret), user_id=user.id, created_at=now,
                                             expires_at=expires))  # fmt: skip
        conn.execute(delete(sessions).where(sessions.c.expires_at < now))
    return secret, expires


def session_user(engine: Engine, secret: str) -> User | None:
    """The active user of a live session; None for an unknown, expired or disabled one."""
    q = (_query().join(sessions, sessions.c.user_id == users.c.id)
         .where(sessions.c.id == _hash(secret), sessions.c.expires_at > clock.now(),
                users.c.disabled_at.is_(None)))  # fmt: skip
    with engine.connect() as conn:
        row = conn.execute(q).first()
    return User(*row) if row else None


def end_session(engine: Engine, secret: str) -> None:
    with writing(engine) as conn:
        conn.execute(delete(sessions).where(sessions.c.id == _hash(secret)))
