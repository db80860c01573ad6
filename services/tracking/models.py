"""Tracking's own data, and its read models of courses, learners and licences.

The read models are built from events only (catalog, onboarding, licensing): the hot
path of accepting progress never asks another service anything.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Index, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import UTCDateTime, infrastructure_tables, utcnow


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict: JSON, list: JSON}
    # its tables are made and changed by the history in ./migrations
    metadata = MetaData(info={"migrations": "services.tracking:migrations"})


outbox_table, applied_events_table = infrastructure_tables(Base.metadata)


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16))
    chapters: Mapped[list] = mapped_column()  # ordered chapter ids
    skills: Mapped[list] = mapped_column()
    pass_mark: Mapped[int | None] = mapped_column(Integer)  # None: no final quiz
    updated_at: Mapped[datetime]


class Licence(Base):
    """A licence as licensing's events describe it; each fact keeps its own time.

    Events of different types may arrive in any order, so the row keeps the time of
    every fact (issued, extended, expired, revoked) and ``status`` is derived from
    them (``licences.licence_status``): an older event arriving late cannot undo a newer
    one, and a revoked licence never becomes active again. A lifecycle event that
    arrives before ``licence.issued.v1`` makes a row with no dates yet ("pending").
    """

    __tablename__ = "licences"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(16))  # pending/active/expired/revoked
    seats_granted: Mapped[int] = mapped_column(Integer, default=0)  # only ever grows
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    extended_at: Mapped[datetime | None]  # the extension that set ends_at
    expired_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]  # the newest event that changed it (to read)


class Learner(Base):
    """A learner of the roster, with a seat or not, and per-learner totals.

    The totals (courses started and completed, skills, last activity) are kept up to
    date by ``record_progress`` in the same transaction as the record, so dashboards
    and the learners table read one row per learner, never the progress records.
    """

    __tablename__ = "learners"
    __table_args__ = (
        # the learners table (and CSV export): keyset pages in name order
        Index("ix_learners_institution_name",
              "institution_id", "last_name", "first_name", "id"),
        Index("ix_learners_institution_cohort_name",
              "institution_id", "cohort", "last_name", "first_name", "id"),
        # an xAPI statement's actor by e-mail, within its institution (decision 0059)
        Index("ix_learners_institution_email", "institution_id", "email"),
        # room on each page for a row's next version: a seat change or a progress
        # record updates columns no index holds, so PostgreSQL writes the new
        # version beside the old one and touches no index (a HOT update). Every
        # learner's seat comes right after its roster, while the old versions are
        # still visible: half a page holds a new version of each row on it
        # (decision 19 has the measurements)
        {"postgresql_with": {"fillfactor": 50}},
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(36))
    email: Mapped[str | None] = mapped_column(String(254))
    first_name: Mapped[str | None] = mapped_column(String(120))
    last_name: Mapped[str | None] = mapped_column(String(120))
    cohort: Mapped[str | None] = mapped_column(String(120))
    external_id: Mapped[str | None] = mapped_column(String(120))
    seated: Mapped[bool] = mapped_column(Boolean, default=False)
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    seat_changed_at: Mapped[datetime | None]  # the newest seat event applied
    removed_at: Mapped[datetime | None]  # left the roster: hidden, may not progress
    last_activity_at: Mapped[datetime | None]
    courses_started: Mapped[int] = mapped_column(Integer, default=0)
    courses_completed: Mapped[int] = mapped_column(Integer, default=0)
    skills_acquired: Mapped[int] = mapped_column(Integer, default=0)


class Progress(Base):
    """One accepted progress record; ``id`` is the client's when it sent one."""

    __tablename__ = "progress"
    __table_args__ = (
        Index("ix_progress_learner", "learner_id", "recorded_at"),
        # an institution's records of a week (the dashboard's activity): in place of
        # the index on the institution alone, so a record still writes two entries
        Index("ix_progress_institution_time", "institution_id", "recorded_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    learner_id: Mapped[str] = mapped_column(String(36))
    institution_id: Mapped[str] = mapped_column(String(36))
    course_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(24))
    chapter_id: Mapped[str | None] = mapped_column(String(120))
    score: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime]


class ActivityWeek(Base):
    """An institution's activity in a week that is over (Monday 00:00 UTC to the
    next): learners who recorded progress, and records. Written the first time a
    dashboard asks for that week; a record is stamped with the time it is accepted,
    so a week over takes no more and is counted once."""

    __tablename__ = "activity_weeks"

    institution_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    starts_on: Mapped[date] = mapped_column(Date, primary_key=True)
    active_learners: Mapped[int] = mapped_column(Integer)
    records: Mapped[int] = mapped_column(Integer)


class ChapterDone(Base):
    __tablename__ = "chapters_done"

    learner_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    course_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    chapter_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    done_at: Mapped[datetime]


class CourseState(Base):
    __tablename__ = "course_states"
    __table_args__ = (Index("ix_course_states_institution", "institution_id"),)

    learner_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    course_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(36))
    chapters_done: Mapped[int] = mapped_column(Integer, default=0)
    best_score: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]


class SkillAcquired(Base):
    __tablename__ = "skills_acquired"
    __table_args__ = (Index("ix_skills_acquired_institution", "institution_id"),)

    learner_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    skill_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(36))
    course_id: Mapped[str] = mapped_column(String(120))
    acquired_at: Mapped[datetime]
