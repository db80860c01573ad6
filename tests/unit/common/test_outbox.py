"""Outbox rows are written with the transaction that announces them, or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, select

from services.common.db import infrastructure_tables
from services.common.outbox import enqueue_events, insert_rows
from services.common.relay import Outbox
from services.tracking.contracts.events import SKILL_ACQUIRED_V1
from tests.support.db import sessions_for

metadata = MetaData()
outbox, _ = infrastructure_tables(metadata)
SKILL = {"learner_id": "l-1", "skill_id": "fr.reading", "institution_id": "i-1",
         "course_id": "c-1", "acquired_at": "2026-12-02T09:00:00+00:00"}


@pytest.fixture
def sessions(db_url):
    made = sessions_for(db_url, metadata)
    yield made
    made.kw["bind"].dispose()


def skills(n: int) -> list[dict]:
    load = SKILL_ACQUIRED_V1.schema().load
    return [load({**SKILL, "learner_id": f"l-{k}"}) for k in range(n)]


def stored(sessions) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(outbox.c.message_id).order_by(outbox.c.seq)))


def test_events_of_a_transaction_are_written_at_its_commit_in_order(sessions):
    woken = []
    with sessions.begin() as session:
        first = enqueue_events(session, outbox, SKILL_ACQUIRED_V1, skills(2),
                               wake=woken.append)
        insert_rows(session, outbox, [])  # nothing to add is fine
        second = enqueue_events(session, outbox, SKILL_ACQUIRED_V1, skills(3))
        assert stored(sessions) == []  # not before the commit
    assert stored(sessions) == first + second
    # the relay's event lane is woken once the rows are there, not its mail lane
    assert woken == [frozenset({"event"})]


def test_a_transaction_rolled_back_leaves_no_event_behind(sessions):
    with pytest.raises(RuntimeError), sessions.begin() as session:
        enqueue_events(session, outbox, SKILL_ACQUIRED_V1, skills(2))
        raise RuntimeError("the change failed")
    with sessions.begin() as session:  # the next transaction starts clean
        kept = enqueue_events(session, outbox, SKILL_ACQUIRED_V1, skills(1))
    assert stored(sessions) == kept


def test_one_session_two_transactions_each_write_their_own(sessions):
    session = sessions()
    with session.begin():
        one = enqueue_events(session, outbox, SKILL_ACQUIRED_V1, skills(1))
    with session.begin():
        enqueue_events(session, outbox, SKILL_ACQUIRED_V1, skills(1))
        session.rollback()
    with session.begin():
        two = enqueue_events(session, outbox, SKILL_ACQUIRED_V1, skills(1))
    session.close()
    assert stored(sessions) == one + two


def greeting(language: str, values: dict) -> dict:
    word = {"fr": "Bonjour", "en": "Hello"}[language]
    return {"to": values["to"], "subject": values["school"],
            "text": f"{word} {values['first_name']}", "language": language}


def test_a_mail_merge_gives_each_recipient_the_batch_values_and_their_own():
    relay = Outbox(outbox, {"greeting": greeting})
    body = {"template": "greeting", "language": "fr",
            "values": {"school": "Lycée Hugo"},
            "recipients": [{"to": "emma@lycee.fr", "first_name": "Emma"},
                           {"to": "leo@lycee.fr", "first_name": "Léo"}]}

    assert list(relay.mails_of(body)) == [
        {"to": "emma@lycee.fr", "subject": "Lycée Hugo", "text": "Bonjour Emma",
         "language": "fr"},
        {"to": "leo@lycee.fr", "subject": "Lycée Hugo", "text": "Bonjour Léo",
         "language": "fr"},
    ]


def test_a_mail_merge_of_a_template_this_process_lacks_is_not_sent():
    """The relay fails the row (it stays pending) rather than send nothing and mark
    it sent: a process that has the template sends it."""
    relay = Outbox(outbox, {"greeting": greeting})
    relay.service = "onboarding"
    body = {"template": "farewell", "language": "fr", "values": {},
            "recipients": [{"to": "emma@lycee.fr"}]}

    with pytest.raises(LookupError, match="farewell"):
        list(relay.mails_of(body))
