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
    type_annotation_map = {datetime: UTCDateTime, dict: JSON, list: JSON}
    # its tables are made and changed by the history in ./migrations
    metadata = MetaData(info={"migrations": "services.onboarding:migrations"})


outbox_table, applied_events_table = infrastructure_tables(Base.metadata)


class Application(Base):
    """An institution's application; at most one stands for each website and country.

    ``institution_key`` (website domain and country) is set on the one that stands for
    the institution, the first received, until it is rejected; its unique index keeps
    racing twins to one. An application from another contact for the same website
    waits for an operator with ``duplicate_of`` set and no key: it can be approved
    only once no other holds the key, so one institution never has two licences.
    """

    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_website", "website_domain", "country"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    status_token: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    request_hash: Mapped[str | None] = mapped_column(String(64))  # what the key sent
    institution_key: Mapped[str | None] = mapped_column(String(260), unique=True)
    duplicate_of: Mapped[str | None] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(120))
    website: Mapped[str] = mapped_column(String(300))
    website_domain: Mapped[str] = mapped_column(String(255))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_role: Mapped[str] = mapped_column(String(120))
    expected_learners: Mapped[int] = mapped_column(Integer)
    languages: Mapped[list] = mapped_column()
    timezone: Mapped[str] = mapped_column(String(64))
    reasons: Mapped[list] = mapped_column(default=list)
    institution_id: Mapped[str | None] = mapped_column(String(36))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(254))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def contact(self) -> dict:
        """Who applied, as the application's views show it."""
        return {"name": self.contact_name, "email": self.contact_email,
                "role": self.contact_role}


class Institution(Base):
    __tablename__ = "institutions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(120))
    languages: Mapped[list] = mapped_column()
    timezone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)  # approved, active
    admin_email: Mapped[str] = mapped_column(String(254))
    expected_learners: Mapped[int] = mapped_column(Integer)
    licence_id: Mapped[str | None] = mapped_column(String(36))
    applied_at: Mapped[datetime]
    approved_at: Mapped[datetime]
    licence_issued_at: Mapped[datetime | None]
    activated_at: Mapped[datetime | None]


class Member(Base):
    """An institution admin or a learner of one institution, with its invitation.

    The invitation is held in the member's row: its link carries the member's id and a
    secret whose hash is kept here, so a roster batch writes one row per learner, not
    two (a table of invitations, with its own key, index and reference to the member,
    would double a roster import's database time: decision 15).
    """

    __tablename__ = "members"
    # (institution, e-mail) also serves an institution's members in e-mail order; no
    # other index: each costs every learner imported (decision 14). No foreign key to
    # institutions (never deleted): its check would run for every learner and lock the
    # institution's row from every part of a file importing side by side
    __table_args__ = (UniqueConstraint("institution_id", "email"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(36))
    role: Mapped[str] = mapped_column(String(24))  # institution_admin, learner
    email: Mapped[str] = mapped_column(String(254))
    first_name: Mapped[str] = mapped_column(String(120), default="")
    last_name: Mapped[str] = mapped_column(String(120), default="")
    cohort: Mapped[str | None] = mapped_column(String(120))
    external_id: Mapped[str | None] = mapped_column(String(120))
    import_job_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    invitation_hash: Mapped[str | None] = mapped_column(String(64))  # of its secret
    invitation_expires_at: Mapped[datetime | None]
    invitation_accepted_at: Mapped[datetime | None]


class RosterJob(Base):
    __tablename__ = "roster_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    content: Mapped[str] = mapped_column(Text, deferred=True)  # loaded once per run
    filename: Mapped[str | None] = mapped_column(String(255))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    # the data rows the file holds at most, counted once when the job starts: a
    # progress bar's end (blank lines and quoted line breaks make it a little high)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(default=list)
    next_row: Mapped[int] = mapped_column(Integer, default=0)  # data rows done
    next_offset: Mapped[int] = mapped_column(Integer, default=0)  # where to resume
    next_line: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class RosterPart(Base):
    """A part of a big file, imported as a job of its own, beside the others.

    The file's job imports the first part; ``part_job_id`` names the job of each
    other part. Any onboarding process takes any part (competing consumers), so a
    big file is imported by as many workers as there are parts.
    """

    __tablename__ = "roster_parts"

    job_id: Mapped[str] = mapped_column(ForeignKey("roster_jobs.id"), primary_key=True)
    part: Mapped[int] = mapped_column(Integer, primary_key=True)
    part_job_id: Mapped[str] = mapped_column(ForeignKey("roster_jobs.id"), unique=True)


class Webinar(Base):
    """An onboarding session in one language; at most ``capacity`` institutions."""

    __tablename__ = "webinars"
    __table_args__ = (UniqueConstraint("language", "starts_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    language: Mapped[str] = mapped_column(String(2))
    starts_at: Mapped[datetime]
    minutes: Mapped[int] = mapped_column(Integer, default=60)
    capacity: Mapped[int] = mapped_column(Integer, default=50)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class WebinarBooking(Base):
    __tablename__ = "webinar_bookings"

    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), primary_key=True)
    webinar_id: Mapped[str] = mapped_column(ForeignKey("webinars.id"), index=True)
    booked_at: Mapped[datetime] = mapped_column(default=utcnow)
