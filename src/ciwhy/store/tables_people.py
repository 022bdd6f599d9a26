"""③ The schema of people and notifications: users and their browser sessions, notification
channels with their rules, the durable outbox of messages, and its delivery log. Part of
`tables.metadata` (tables.py imports this module)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ciwhy.store.tables import UTCDateTime, metadata

#: People who sign in to the dashboard; a role per user: admin, member or viewer.
users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("tenant_id", String(36), ForeignKey("tenants.id"), nullable=False),
    Column("email", String(320), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(10), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("disabled_at", UTCDateTime()),
    UniqueConstraint("email", name="uq_users_email"),
)

#: Browser sessions, by the SHA-256 of the cookie's secret (the secret itself is not stored).
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Index("ix_sessions_user", "user_id"),
    Index("ix_sessions_expires", "expires_at"),
)

#: Where new analyses are announced, and which: `config` is the channel's JSON settings (its
#: webhook URL, bot token ...: secrets, kept as given because sending needs them).
channels = Table(
    "channels",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("tenant_id", String(36), ForeignKey("tenants.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("config", Text, nullable=False),
    Column("min_severity", String(10), nullable=False),
    Column("projects", Text),  # JSON list; NULL: every project
    Column("new_causes_only", Boolean, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_channels_tenant", "tenant_id"),
)

#: Messages to send, written in the transaction that decides them; claimed under a lease by
#: any worker, retried with exponential backoff, never lost across restarts.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", String(36), ForeignKey("tenants.id"), nullable=False),
    Column("channel_id", String(36), ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),  # analysis | digest | test
    Column("payload", Text, nullable=False),  # JSON: the message's facts
    Column("dedupe_key", String(200)),
    Column("state", String(20), nullable=False),  # pending | delivered | failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("lease_until", UTCDateTime()),
    Column("last_error", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("delivered_at", UTCDateTime()),
    UniqueConstraint("channel_id", "dedupe_key", name="uq_outbox_channel_dedupe"),
    Index("ix_outbox_state_next", "state", "next_attempt_at"),
)

#: Every delivery attempt, per channel: what the dashboard's delivery log shows.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("outbox_id", Integer, ForeignKey("outbox.id", ondelete="CASCADE"), nullable=False),
    Column("channel_id", String(36), ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer),
    Index("ix_deliveries_channel_at", "channel_id", "at"),
)
