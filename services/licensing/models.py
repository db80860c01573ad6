from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import UTCDateTime, infrastructure_tables, utcnow


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}


outbox_table, applied_events_table = infrastructure_tables(Base.metadata)


class Licence(Base):
    __tablename__ = "licences"
    __table_args__ = (UniqueConstraint("institution_id", "plan"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(36), index=True)
    plan: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # active, expired, revoked
    seats_granted: Mapped[int] = mapped_column(Integer)
    admin_email: Mapped[str] = mapped_column(String(254))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
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
