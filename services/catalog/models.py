from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import UTCDateTime, infrastructure_tables, utcnow


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict: JSON, list: JSON}
    # its tables are made and changed by the history in ./migrations
    metadata = MetaData(info={"migrations": "services.catalog:migrations"})


outbox_table, applied_events_table = infrastructure_tables(Base.metadata)


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[dict] = mapped_column()


class Skill(Base):
    __tablename__ = "skills"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[dict] = mapped_column()
    topic: Mapped[str] = mapped_column(String(120))


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), index=True)
    level: Mapped[str] = mapped_column(String(16))
    duration_hours: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(120))
    skills: Mapped[list] = mapped_column()
    chapters: Mapped[list] = mapped_column()
    quiz: Mapped[dict | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), index=True)
    search_text: Mapped[str] = mapped_column(Text)  # title + summary, accents folded
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Path(Base):
    __tablename__ = "paths"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    courses: Mapped[list] = mapped_column()
    skills: Mapped[list] = mapped_column()


class SeedApplied(Base):
    """The seed's version of each course last applied: the seed only re-applies a
    course when its entry in the file changed, so operators' edits survive restarts."""

    __tablename__ = "seed_applied"

    course_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
