"""The Idempotency-Key store of operator actions: one action per key, one answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import eventlet
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from gateway import audit, idempotency, sealing
from gateway.idempotency import (
    Answer,
    InProgress,
    KeyReused,
    claim,
    fingerprint,
    settle,
)
from gateway.models import Base
from services.common import migrations
from services.common.db import make_engine
from tests.support.db import sessions_for

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
DAY = timedelta(hours=24)
STALE = timedelta(seconds=70)
BODY = fingerprint("POST", "/api/v1/licences/l1/extension", b'{"days": 30}')
EXTENDED = Answer(200, '{"days_left": 120}', {
    "Content-Type": "application/json", "Location": "/x", "X-Request-Id": "first"})


@pytest.fixture
def sessions(db_url):
    return sessions_for(db_url, Base.metadata)


def test_a_retry_gets_the_first_answer_with_the_headers_that_matter(sessions):
    assert claim(sessions, "operator:o1", "k1", BODY, T0, DAY, STALE) is None
    settle(sessions, "operator:o1", "k1", EXTENDED)
    later = T0 + timedelta(hours=1)
    again = claim(sessions, "operator:o1", "k1", BODY, later, DAY, STALE)
    assert again == Answer(200, '{"days_left": 120}',
                           {"Content-Type": "application/json", "Location": "/x"})


def test_the_same_key_with_another_body_is_refused(sessions):
    claim(sessions, "operator:o1", "k1", BODY, T0, DAY, STALE)
    settle(sessions, "operator:o1", "k1", EXTENDED)
    other = fingerprint("POST", "/api/v1/licences/l1/extension", b'{"days": 31}')
    with pytest.raises(KeyReused):
        claim(sessions, "operator:o1", "k1", other, T0, DAY, STALE)
    elsewhere = fingerprint("POST", "/api/v1/licences/l2/extension", b'{"days": 30}')
    with pytest.raises(KeyReused):
        claim(sessions, "operator:o1", "k1", elsewhere, T0, DAY, STALE)


def test_keys_are_each_principals_own(sessions):
    claim(sessions, "operator:o1", "k1", BODY, T0, DAY, STALE)
    settle(sessions, "operator:o1", "k1", EXTENDED)
    assert claim(sessions, "operator:o2", "k1", BODY, T0, DAY, STALE) is None


def test_a_key_is_forgotten_once_its_time_is_up(sessions):
    claim(sessions, "operator:o1", "k1", BODY, T0, DAY, STALE)
    settle(sessions, "operator:o1", "k1", EXTENDED)
    last = T0 + DAY - timedelta(seconds=1)
    assert claim(sessions, "operator:o1", "k1", BODY, last, DAY, STALE).status == 200
    assert claim(sessions, "operator:o1", "k1", BODY, T0 + DAY, DAY, STALE) is None


def test_a_failed_action_is_not_kept_so_its_retry_does_it(sessions):
    claim(sessions, "operator:o1", "k1", BODY, T0, DAY, STALE)
    settle(sessions, "operator:o1", "k1", Answer(503, "{}", {}))
    assert claim(sessions, "operator:o1", "k1", BODY, T0, DAY, STALE) is None
    settle(sessions, "operator:o1", "k1", Answer(409, '{"status": 409}', {}))
    assert claim(sessions, "operator:o1", "k1", BODY, T0, DAY, STALE).status == 409


def test_a_claim_in_progress_is_409_until_it_is_abandoned(sessions):
    claim(sessions, "operator:o1", "k1", BODY, T0, DAY, STALE)
    with pytest.raises(InProgress):
        claim(sessions, "operator:o1", "k1", BODY, T0 + STALE / 2, DAY, STALE)
    assert claim(sessions, "operator:o1", "k1", BODY, T0 + STALE, DAY, STALE) is None


SECRET = "ck_live_7QmZ2xR9shownonce"
CREATED = Answer(201, json.dumps({"id": "p1", "api_key": SECRET}), {
    "Content-Type": "application/json", "Location": "/api/v1/partners/p1"})
KEY = "0b6f4a5e-2d1c-4f3a-8e7d-6c5b4a3f2e1d"


def every_value(sessions) -> list[str]:
    """Each column of each row of the store, as the database holds it."""
    with sessions() as session:
        rows = session.execute(text("SELECT * FROM idempotent_requests")).all()
    return [str(value) for row in rows for value in row]


def test_the_store_holds_neither_the_key_nor_the_answer_in_clear(sessions):
    claim(sessions, "operator:o1", KEY, BODY, T0, DAY, STALE)
    settle(sessions, "operator:o1", KEY, CREATED)
    claim(sessions, "operator:o1", "in-progress-key", BODY, T0, DAY, STALE)

    values = every_value(sessions)
    assert len(values) == 2 * 8
    for secret in (KEY, "in-progress-key", SECRET, "/api/v1/partners/p1", '"p1"'):
        assert not any(secret in value for value in values), secret
    assert claim(sessions, "operator:o1", KEY, BODY, T0, DAY, STALE) == CREATED


def test_a_kept_answer_changed_in_the_database_is_refused_not_done_again(sessions):
    for key in ("k1", "k2"):
        claim(sessions, "operator:o1", key, BODY, T0, DAY, STALE)
        settle(sessions, "operator:o1", key, CREATED)
    k1 = sealing.key_digest("operator:o1", "k1")
    with sessions.begin() as session:  # k2's sealed answer copied onto k1's row
        session.execute(text(
            "UPDATE idempotent_requests SET body = (SELECT body FROM "
            "idempotent_requests WHERE key <> :k1) WHERE key = :k1"), {"k1": k1})
    with pytest.raises(KeyReused):
        claim(sessions, "operator:o1", "k1", BODY, T0, DAY, STALE)
    assert claim(sessions, "operator:o1", "k2", BODY, T0, DAY, STALE) == CREATED


def upgraded_from(url: str, revision: str, rows: list[dict]) -> None:
    """The gateway's database at ``revision`` holding ``rows``, then at the head."""
    engine = make_engine(url)
    config = migrations.configuration(migrations.history_of(Base.metadata))
    script = ScriptDirectory.from_config(config)
    try:
        with migrations._locked(engine) as conn:
            migrations._run(conn, config, script, Base.metadata,
                            lambda rev, context: script._upgrade_revs(revision, rev))
        with engine.begin() as conn:  # as the previous release wrote them
            conn.execute(Base.metadata.tables["idempotent_requests"].insert(), [
                {"fingerprint": BODY, "created_at": T0, "expires_at": T0 + DAY, **row}
                for row in rows])
        migrations.migrate(engine, Base.metadata)
    finally:
        engine.dispose()


def test_keys_kept_before_the_upgrade_still_find_their_answers_sealed(db_url):
    upgraded_from(db_url, "0013", [
        {"principal": "operator:o1", "key": KEY, "status": 201, "body": CREATED.body,
         "headers": {"Content-Type": "application/json",
                     "Location": "/api/v1/partners/p1", "X-Request-Id": "first"}},
        {"principal": "operator:o1", "key": "running", "status": None, "body": None,
         "headers": None}])
    sessions = sessions_for(db_url, Base.metadata)

    values = every_value(sessions)
    for secret in (KEY, "running", SECRET, "/api/v1/partners/p1"):
        assert not any(secret in value for value in values), secret
    assert claim(sessions, "operator:o1", KEY, BODY, T0, DAY, STALE) == CREATED
    with pytest.raises(InProgress):
        claim(sessions, "operator:o1", "running", BODY, T0, DAY, STALE)
    other = fingerprint("POST", "/api/v1/partners", b"{}")
    with pytest.raises(KeyReused):
        claim(sessions, "operator:o1", KEY, other, T0, DAY, STALE)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_twins_sent_at_once_do_it_once(sessions):
    outcomes = []

    def twin():
        try:
            outcomes.append(
                claim(sessions, "operator:o1", "twin", BODY, T0, DAY, STALE))
        except InProgress:
            outcomes.append("in progress")

    pool = eventlet.GreenPool()
    for _ in range(8):
        pool.spawn(twin)
    pool.waitall()
    assert sorted(outcomes, key=str) == [None] + ["in progress"] * 7


def test_audit_records_read_newest_first_by_institution_action_and_time(sessions):
    actor = audit.Actor("o1", "ops@continuity.test", "req-1")
    with sessions.begin() as session:
        for n, (action, institution) in enumerate([
                ("licence.extended", "i1"), ("licence.revoked", "i2"),
                ("licence.extended", "i1"), ("partner.created", None)]):
            audit.record(session, actor, action, "licence", f"l{n}", institution,
                         {"status": "active"}, {"status": "active"},
                         T0 + timedelta(minutes=n))
    with sessions.begin() as session:
        everything = audit.records(session)
        assert [r.target_id for r in everything] == ["l3", "l2", "l1", "l0"]
        ones = audit.records(session, institution_id="i1")
        assert [r.target_id for r in ones] == ["l2", "l0"]
        later = audit.records(session, action="licence.extended",
                              since=T0 + timedelta(minutes=1))
        assert [r.target_id for r in later] == ["l2"]
        first = audit.records(session, limit=2)
        rest = audit.records(session, limit=2, before_id=first[-1].id)
        assert [r.target_id for r in first + rest] == ["l3", "l2", "l1", "l0"]
        assert everything[0].request_id == "req-1"


def test_the_key_header_is_one_of_the_texts_the_gateway_checks():
    from gateway.http import TEXT_HEADERS

    assert idempotency.HEADER in TEXT_HEADERS
