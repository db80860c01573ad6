"""The statements by month (decision 0061): on PostgreSQL each lands in its month's
partition, on either side of a month's end; a month nobody made yet loses nothing;
a database of revision 0001 keeps every statement when partitioned. The same
behaviour on SQLite's plain tables."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import MetaData, event, text
from sqlalchemy.orm import sessionmaker

from services.common.db import ensure_schema, make_engine
from services.common.migrations import _locked, _run, configuration
from services.lrs import partitions
from services.lrs.contracts.errors import Conflict
from services.lrs.keys import digest, links, object_activity_key, verb_key
from services.lrs.models import Base, outbox_table
from services.lrs.service import LrsService, partitions_at_start
from services.lrs.store import fingerprint
from tests.support.outbox import table_outbox

from .test_store_and_query import INSTITUTION, get, query, statement, store

MONTH_END = datetime(2031, 1, 31, 23, 59, 59, 999000, tzinfo=UTC)


class Clock:
    """The service's clock, set by the test."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock(MONTH_END - timedelta(milliseconds=9))


@pytest.fixture
def lrs(make_sessions, clock):
    return worker_factory(LrsService, db=make_sessions(Base.metadata), clock=clock,
                          outbox=table_outbox(outbox_table))


def where(lrs, table: str, ident: str | None = None) -> list[str]:
    """The partitions that hold a statement's rows (``table``), or all of them."""
    with lrs.db.begin() as session:
        if ident is None:
            return sorted(partitions.partition_of(
                session.connection(), table, "true", {}))
        if table == "statement_links":
            return sorted(set(partitions.partition_of(
                session.connection(), table, "seq = (SELECT seq FROM statements"
                " WHERE id = :id)", {"id": ident})))
        return partitions.partition_of(session.connection(), table, "id = :id",
                                       {"id": ident})


def postgresql(lrs) -> bool:
    return lrs.db.kw["bind"].dialect.name == "postgresql"


def test_statements_on_either_side_of_a_month_end_are_each_in_their_month(lrs, clock):
    made = lrs.make_partitions()  # the timer, the service's clock in January 2031
    last_of_january = store(lrs, [statement(1)])[0]
    clock.now += timedelta(milliseconds=20)  # 1 February, 00:00:00.011
    first_of_february = store(lrs, [statement(2)])[0]

    if postgresql(lrs):
        assert made == [f"{table}_{month}" for table in partitions.TABLES
                        for month in ("2031_01", "2031_02", "2031_03")]
        assert where(lrs, "statements", last_of_january) == ["statements_2031_01"]
        assert where(lrs, "statements", first_of_february) == ["statements_2031_02"]
        assert where(lrs, "statement_links", first_of_february) == [
            "statement_links_2031_02"]
        # February's ticks: April is made, then nothing more
        assert lrs.make_partitions() == ["statements_2031_04",
                                         "statement_links_2031_04"]
        assert lrs.make_partitions() == []
    # read back by id, and by a since/until on each side of midnight
    assert get(lrs, last_of_january)["id"] == last_of_january
    assert get(lrs, first_of_february)["id"] == first_of_february
    midnight = datetime(2031, 2, 1, tzinfo=UTC)
    assert [s["id"] for s in query(lrs, until=midnight)["statements"]] == [
        last_of_january]
    assert [s["id"] for s in query(lrs, since=midnight, agent={
        "mbox": "mailto:jo@example.org"})["statements"]] == [first_of_february]


def test_a_statement_of_a_month_not_made_yet_is_kept_then_moved_to_it(lrs, clock):
    clock.now = datetime(2035, 6, 15, 12, tzinfo=UTC)  # far past the months made
    sent = statement(3)
    [ident] = store(lrs, [sent])
    if postgresql(lrs):
        assert where(lrs, "statements", ident) == ["statements_default"]

    made = lrs.make_partitions()

    if postgresql(lrs):
        assert "statements_2035_06" in made
        assert where(lrs, "statements", ident) == ["statements_2035_06"]
        assert where(lrs, "statement_links", ident) == ["statement_links_2035_06"]
        assert where(lrs, "statements_default") == []
    assert get(lrs, ident)["id"] == ident
    assert store(lrs, [sent]) == [ident]  # a resend is still a no-op
    assert len(query(lrs)["statements"]) == 1


def test_the_service_makes_the_months_ahead_at_start(db_url):
    """What ``Database``'s start hook does, with the clock of the container."""
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has one plain table")
    engine = make_engine(db_url)
    later = datetime.now(UTC) + timedelta(days=400)  # the container's clock
    try:
        ensure_schema(engine, Base.metadata)
        partitions_at_start(sessionmaker(engine),
                            {"CLOCK_OFFSET_SECONDS": 400 * 86400})
        with engine.connect() as conn:
            names = set(conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE tablename LIKE 'statement%'"
            )).scalars())
    finally:
        engine.dispose()
    month = partitions.month_of(later)
    ahead = partitions.next_month(partitions.next_month(month))
    assert {partitions.name_of(table, when) for table in partitions.TABLES
            for when in (month, ahead)} <= names
    assert partitions.name_of("statements", partitions.next_month(ahead)) not in names


@pytest.mark.timeout(60)  # without a lock timeout, the start would wait forever
def test_a_start_that_cannot_have_its_locks_soon_leaves_the_months_to_the_timer(
        db_url, caplog):
    """A long read holds the default partition: the start waits 1 s, not until the
    read ends (the stores would queue behind it), and the service starts."""
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has one plain table")
    engine = make_engine(db_url)
    offset = {"CLOCK_OFFSET_SECONDS": 800 * 86400}  # months not made yet
    try:
        ensure_schema(engine, Base.metadata)
        with engine.connect() as reader:
            reader.execute(text("BEGIN"))
            reader.execute(text("SELECT count(*) FROM statements_default"))
            started = time.monotonic()
            partitions_at_start(sessionmaker(engine), offset)
            waited = time.monotonic() - started
            reader.execute(text("COMMIT"))
        assert 1.0 <= waited < 10, waited
        assert "the hourly timer makes them" in caplog.text
        month = partitions.month_of(datetime.now(UTC) + timedelta(days=800))
        with engine.connect() as conn:
            assert not partitions._exists(conn, partitions.name_of("statements", month))
        partitions_at_start(sessionmaker(engine), offset)  # the read is over
        with engine.connect() as conn:
            assert partitions._exists(conn, partitions.name_of("statements", month))
    finally:
        engine.dispose()


# -- revision 0003 on a database of revision 0001 -------------------------------------
def upgrade_to(engine, revision: str) -> None:
    from alembic.script import ScriptDirectory

    config = configuration("services.lrs:migrations")
    script = ScriptDirectory.from_config(config)
    with _locked(engine) as conn:
        _run(conn, config, script, MetaData(),
             lambda rev, context: script._upgrade_revs(revision, rev))


def rows_of_0001(statements: list[dict], stored: list[datetime]) -> tuple:
    """The rows revision 0001's code wrote for ``statements``: seq 1, 2, …"""
    owner = digest("owner", "client:1")
    rows, link_rows = [], []
    for seq, (sent, when) in enumerate(zip(statements, stored, strict=True), 1):
        body = {**sent, "stored": when.isoformat().replace("+00:00", "Z"),
                "authority": {"mbox": "mailto:lrs@example.org"}, "version": "1.0.0",
                "timestamp": when.isoformat()}
        rows.append({"seq": seq, "institution_id": INSTITUTION, "id": sent["id"],
                     "stored": when, "owner_key": owner,
                     "verb_key": verb_key(sent["verb"]["id"]),
                     "activity_key": object_activity_key(sent["object"]),
                     "registration": None, "voids": None, "voided": False,
                     "fingerprint": fingerprint(sent),
                     "body": json.dumps(body)})
        link_rows += [{"institution_id": INSTITUTION, "kind": kind, "key": key,
                       "seq": seq} for kind, key in links(body)]
    return rows, link_rows


def test_statements_of_revision_0001_are_kept_and_read_after_partitioning(
        db_url, clock):
    engine = make_engine(db_url)
    old = [statement(n, who=f"p{n}") for n in range(4)]
    # three months back and this one: the partitions made are those of the rows
    now = datetime.now(UTC).replace(microsecond=0)
    stored = [now - timedelta(days=90), now - timedelta(days=60),
              now - timedelta(days=31), now]
    try:
        upgrade_to(engine, "0001")
        rows, link_rows = rows_of_0001(old, stored)
        with engine.begin() as conn:
            conn.execute(Base.metadata.tables["statements"].insert(), rows)
            conn.execute(text("INSERT INTO statement_links (institution_id, kind,"
                              " key, seq) VALUES (:institution_id, :kind, :key,"
                              " :seq)"), link_rows)
            if engine.dialect.name == "postgresql":  # as 0001's inserts left it
                conn.execute(text("SELECT setval('statements_seq_seq', 4)"))
        ensure_schema(engine, Base.metadata)  # what the service does at start
    finally:
        engine.dispose()

    clock.now = now
    lrs = worker_factory(LrsService, db=sessionmaker(make_engine(db_url)),
                         clock=clock, outbox=table_outbox(outbox_table))
    try:
        for sent in old:
            assert get(lrs, sent["id"])["id"] == sent["id"]
        assert [s["id"] for s in query(lrs)["statements"]] == [
            s["id"] for s in reversed(old)]
        assert [s["id"] for s in query(lrs, agent={"mbox": "mailto:p1@example.org"})[
            "statements"]] == [old[1]["id"]]
        # the ids are still unique: a resend is a no-op, other content a conflict
        assert store(lrs, [old[0]]) == [old[0]["id"]]
        with pytest.raises(Conflict):
            store(lrs, [{**old[0], "verb": {"id": "https://example.org/other"}}])
        # and numbering goes on after the old rows
        [new] = store(lrs, [statement(9)])
        assert query(lrs)["statements"][0]["id"] == new
        if postgresql(lrs):
            months = {partitions.name_of("statements", partitions.month_of(when))
                      for when in stored}
            assert {p for s in old for p in where(lrs, "statements", s["id"])} == (
                months)
    finally:
        lrs.db.kw["bind"].dispose()


def test_a_since_until_query_reads_only_those_months_partitions(lrs, clock):
    """The query the service runs, explained: January's partitions, no other."""
    if not postgresql(lrs):
        pytest.skip("SQLite has one plain table")
    lrs.make_partitions()
    store(lrs, [statement(1)])
    engine = lrs.db.kw["bind"]
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "JOIN statement_links" in statement:  # the page's, not the ceiling's
            seen.append((statement, parameters))

    since = MONTH_END - timedelta(days=7)
    event.listen(engine, "before_cursor_execute", keep)
    try:
        found = query(lrs, since=since, until=MONTH_END,
                      agent={"mbox": "mailto:jo@example.org"})["statements"]
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert len(found) == 1
    [(sql, parameters)] = seen
    with engine.connect() as conn:
        plan = "\n".join(conn.exec_driver_sql("EXPLAIN " + sql, parameters).scalars())
    # the page: January's partitions alone; the seq bounds' lookups: the months
    # about since and until, never those of other years
    page = plan[plan.rindex("InitPlan"):]
    page = page[page.index("\n  ->"):]  # the node after the last lookup
    assert "statements_2031_01" in page and "statement_links_2031_01" in page
    assert {"2031_01"} == set(re.findall(r"_(\d{4}_\d\d|default) ", page)), page
    assert not re.search(r"_20(2\d|30)_\d\d", plan), plan
