from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import UTCDateTime, infrastructure_tables, utcnow


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}
    # its tables are made and changed by the history in ./migrations
    metadata = MetaData(info={"migrations": "services.licensing:migrations"})


outbox_table, applied_events_table = infrastructure_tables(Base.metadata)


class Licence(Base):
    __tablename__ = "licences"
    __table_args__ = (
        UniqueConstraint("institution_id", "plan"),
        Index("ix_licences_status_ends_at", "status", "ends_at"),  # the timer's scan
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(36), index=True)
    plan: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # active, expired, revoked
    seats_granted: Mapped[int] = mapped_column(Integer)
    # its seats by status, kept with every change of its seats (each holds this row's
    # lock): counting a big licence's seats at every batch costs (decision 15)
    seats_used: Mapped[int] = mapped_column(Integer, default=0)
    seats_waiting: Mapped[int] = mapped_column(Integer, default=0)
    admin_email: Mapped[str] = mapped_column(String(254))
    # from institution.approved.v1, for the notices mailed to the admin
    institution_name: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[list] = mapped_column(JSON, default=list)
    # the one the admin is written in (institution.approved.v1's, onboarding's rule);
    # none on a row a copy of the previous release wrote during an upgrade
    language: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Seat(Base):
    """A learner on a licence: seated, or waiting in arrival order (``seq``)."""

    __tablename__ = "seats"
    __table_args__ = (
        UniqueConstraint("licence_id", "learner_id"),
        Index("ix_seats_licence_status_seq", "licence_id", "status", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    licence_id: Mapped[str] = mapped_column(String(36))
    learner_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(16))  # seated, waiting
    enrolled_at: Mapped[datetime]
    seated_at: Mapped[datetime | None]


class Notice(Base):
    """A point of a licence's end that was reached: recorded once, announced once.

    ``days_before`` is a warning point of the plan (``warn_days_before_end``) or 0
    for the end itself; ``ends_at`` is the end it was computed from, so an extended
    licence is warned again before its new end. The primary key is what makes a
    notice exactly-once: whoever inserts the row announces it; a copy that finds it
    there does nothing.
    """

    __tablename__ = "licence_notices"

    licence_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ends_at: Mapped[datetime] = mapped_column(primary_key=True)
    days_before: Mapped[int] = mapped_column(Integer, primary_key=True)
    noticed_at: Mapped[datetime]
