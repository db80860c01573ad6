"""The lrs's statements (decision 0051).

One row per statement, in stored order (``seq``). The filters of a query read
columns taken from the statement when it is stored: the actor's and the object's
identity, the verb, the registration, as digests (``keys``), so an index entry has
the same small size whatever an IRI's length. Every index starts with the
institution and ends with ``seq``: a filtered page is one range scan of one index.

On PostgreSQL the statements and their links are partitioned by month of ``stored``
(decision 0061, ``partitions.py``): a partitioned table's primary key must hold
``stored``, so there the statements' key is ``(seq, stored)`` (``seq`` still comes
from one sequence, unique across months) and a statement id's uniqueness lives in
``statement_ids``. SQLite keeps plain tables with the same columns and indexes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import UTCDateTime, infrastructure_tables

SEQ = BigInteger().with_variant(Integer(), "sqlite")  # SQLite numbers INTEGER keys only


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict: JSON}
    # its tables are made and changed by the history in ./migrations
    metadata = MetaData(info={"migrations": "services.lrs:migrations"})


outbox_table, applied_events_table = infrastructure_tables(Base.metadata)

KEY = 32  # a digest's length in hexadecimal digits (128 bits)


class Statement(Base):
    __tablename__ = "statements"
    # PostgreSQL: RANGE (stored), by month, and the key (seq, stored) (revision 0003);
    # SQLite numbers an INTEGER PRIMARY KEY alone, so the models say ``seq``

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    institution_id: Mapped[str] = mapped_column(String(36))
    id: Mapped[str] = mapped_column(String(36))  # the statement's UUID, lower case
    stored: Mapped[datetime]
    owner_key: Mapped[str] = mapped_column(String(KEY))  # who stored it
    verb_key: Mapped[str] = mapped_column(String(KEY))
    activity_key: Mapped[str | None] = mapped_column(String(KEY))  # its object's
    registration: Mapped[str | None] = mapped_column(String(36))
    voids: Mapped[str | None] = mapped_column(String(36))  # a voiding one's target
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    fingerprint: Mapped[str] = mapped_column(String(64))  # of the content sent
    # the statement as stored, as JSON text: a batch goes in as one array per column
    # (services.common.bulk), and SQL never looks inside it
    body: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        # an index of each month's partition: unique across months by statement_ids
        Index("ix_statements_id", "institution_id", "id"),
        Index("ix_statements_institution_seq", "institution_id", "seq"),
        Index("ix_statements_owner", "institution_id", "owner_key", "seq"),
        Index("ix_statements_verb", "institution_id", "verb_key", "seq"),
        Index("ix_statements_activity", "institution_id", "activity_key", "seq"),
        Index("ix_statements_registration", "institution_id", "registration", "seq"),
        Index("ix_statements_stored", "institution_id", "stored", "seq"),
        Index("ix_statements_voids", "institution_id", "voids",
              postgresql_where="voids IS NOT NULL", sqlite_where="voids IS NOT NULL"),
        {"postgresql_partition_by": "RANGE (stored)"},
    )


class StatementId(Base):
    """A statement id is unique per institution across every month: PostgreSQL
    checks a unique index only within a partition unless the index holds the
    partition key. Written in the batch's transaction before its statements; its
    ``stored`` lets a lookup by id read the one month that holds the statement."""

    __tablename__ = "statement_ids"

    institution_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    stored: Mapped[datetime]


class StatementLink(Base):
    """Who and what a statement names, for the filters that look beyond its actor and
    object: ``kind`` ``a`` the agents the ``agent`` filter matches (actor, an Agent or
    Group object, those Groups' members), ``r`` with ``related_agents`` (also the
    authority, instructor, team and a sub-statement's), ``c`` the activities
    ``related_activities`` matches (object, context activities, a sub-statement's).
    One index range scan gives a filter's statements in stored order; ``stored``
    (the statement's) partitions them by month with the statements, and bounds the
    months a ``since``/``until`` query reads."""

    __tablename__ = "statement_links"
    __table_args__ = ({"postgresql_partition_by": "RANGE (stored)"},)

    institution_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=False)
    stored: Mapped[datetime] = mapped_column(primary_key=True)


class Document(Base):
    """A State, Activity Profile or Agent Profile document (``kind``), as its client
    sent it (bytes and content type). ``scope_key`` digests what it belongs to (the
    activity, the agent, the registration); ``doc_key`` its id (stateId, profileId),
    kept in full in ``doc_id`` for the id lists."""

    __tablename__ = "documents"

    institution_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    scope_key: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    doc_key: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    doc_id: Mapped[str] = mapped_column(Text)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(255))
    etag: Mapped[str] = mapped_column(String(40))  # SHA-1 of the content, in hex
    updated: Mapped[datetime]

    __table_args__ = (
        Index("ix_documents_updated", "institution_id", "kind", "scope_key",
              "updated"),
    )


class Attachment(Base):
    """An attachment's data, once per institution and SHA-2 however many statements
    name it (xAPI names attachments by their hash): the bytes as their part carried
    them, and the content type it gave (else the attachment object's)."""

    __tablename__ = "attachments"

    institution_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha2: Mapped[str] = mapped_column(String(128), primary_key=True)  # lower case
    content_type: Mapped[str] = mapped_column(String(255))
    length: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored: Mapped[datetime]
