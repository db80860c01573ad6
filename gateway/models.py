from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import UTCDateTime, infrastructure_tables, utcnow


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}
    # its tables are made and changed by the history in ./migrations
    metadata = MetaData(info={"migrations": "gateway:migrations"})


outbox_table, applied_events_table = infrastructure_tables(Base.metadata)


class Account(Base):
    """Credentials of a person; who they are lives with the service that owns them."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # member id or op id
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(24))
    institution_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the web app's language for this person ("fr", "en"), once they chose one
    language: Mapped[str | None] = mapped_column(String(8))
    # tokens issued before this moment no longer count (gateway/auth.py revoke_account)
    valid_after: Mapped[datetime | None] = mapped_column(index=True)
    # an operator removed this admin from their institution: no sign-in any more
    # (the row stays: its valid_after keeps refusing the tokens issued before)
    removed_at: Mapped[datetime | None]


class WebSession(Base):
    """A browser's signed-in session: its cookie names it, so it can be ended here
    (sign-out, or later an operator ending someone's sessions). Only a digest of
    the cookie's value is kept: a copy of the table signs nobody in."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha-256, hex
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class PasswordReset(Base):
    """A forgotten-password link: only a digest of its token is kept, so a copy of
    the table resets nobody's password. Used (or voided by a newer one) once
    ``used_at`` is set."""

    __tablename__ = "password_resets"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha-256, hex
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    voided: Mapped[bool] = mapped_column(default=False)  # a newer request replaced it


class LoginFailures(Base):
    """Failed logins in a row per e-mail (known or not) and client address: each one
    slows the next try from that address, never the owner's from theirs."""

    __tablename__ = "login_throttles"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]


class Partner(Base):
    """A partner system: an API key (stored hashed) scoped to events and institutions."""

    __tablename__ = "partners"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    key_prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    event_types: Mapped[list] = mapped_column(JSON)  # patterns: "licence.*.v1", "#"
    institution_ids: Mapped[list | None] = mapped_column(JSON)  # None: every one
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class Webhook(Base):
    """A partner's endpoint: Standard Webhooks deliveries of the events it asked for."""

    __tablename__ = "webhooks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list] = mapped_column(JSON)
    secret: Mapped[str] = mapped_column(String(100))
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_until: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="active")  # or disabled
    failing_since: Mapped[datetime | None]
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Delivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id", "replay"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the webhook-id
    webhook_id: Mapped[str] = mapped_column(ForeignKey("webhooks.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(120))
    replay: Mapped[int] = mapped_column(Integer, default=0)  # 0 first time, n for replays
    status: Mapped[str] = mapped_column(String(16))  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]


class EventLog(Base):
    """Events as partners receive them, kept for replays (30 days)."""

    __tablename__ = "event_log"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(120))
    institution_id: Mapped[str | None] = mapped_column(String(36))
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    body: Mapped[dict] = mapped_column(JSON)


class IdempotentRequest(Base):
    """An operator action's ``Idempotency-Key``, per principal: the body it came with
    (a digest) and, once done, the answer a retry gets instead of a second action
    (gateway/idempotency.py). Kept until ``expires_at``.

    Neither the raw key nor the answer is held in clear (decision 0066): the columns
    keep their names (``key``, ``body``) for the previous release's copies during a
    rolling update, and hold the key's digest and the sealed answer."""

    __tablename__ = "idempotent_requests"

    principal: Mapped[str] = mapped_column(String(64), primary_key=True)
    # sealing.key_digest(principal, key): 64 hex digits (200 wide: the old raw keys)
    key_digest: Mapped[str] = mapped_column("key", String(200), primary_key=True)
    # sha-256 of method, path, body
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)  # None while in progress
    # status, headers and body sealed with the raw key (gateway/sealing.py)
    sealed_answer: Mapped[str | None] = mapped_column("body", Text)
    # written by the previous release only; this one keeps the headers sealed
    headers: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class AuditRecord(Base):
    """One operator action, as it was done: never changed, never deleted."""

    __tablename__ = "audit_records"
    __table_args__ = (Index("ix_audit_institution", "institution_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    operator_id: Mapped[str] = mapped_column(String(64))
    operator_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(64))
    institution_id: Mapped[str | None] = mapped_column(String(36))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(200))


class DeadLetter(Base):
    """An event a consumer failed to handle as many times as it is tried, with why:
    recorded from the dead-letter queue, replayed by an operator
    (gateway/dead_letters.py, decision 0049). Kept after its replay, marked."""

    __tablename__ = "dead_letters"
    __table_args__ = (Index("ix_dead_letters_queue", "queue", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # the consumer's id for it, or the broker's death record: recorded once
    letter_key: Mapped[str] = mapped_column(String(200), unique=True)
    queue: Mapped[str] = mapped_column(String(255))
    event_type: Mapped[str | None] = mapped_column(String(120))
    event_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int | None] = mapped_column(Integer)
    dead_at: Mapped[datetime] = mapped_column(index=True)
    body: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(120))
    content_encoding: Mapped[str | None] = mapped_column(String(40))
    headers: Mapped[dict] = mapped_column(JSON)
    replayed_at: Mapped[datetime | None] = mapped_column()
    replayed_by: Mapped[str | None] = mapped_column(String(254))
class LrsClient(Base):
    """A tool's credentials for the xAPI LRS (HTTP Basic), issued by an operator for
    one institution, with its scopes (decision 0052). The secret is stored hashed."""

    __tablename__ = "lrs_clients"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(32), unique=True)  # Basic's user name
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
