"""The outbox relay against the real broker: every event once, none lost to a refusal."""

from __future__ import annotations

import collections
import contextlib
import time
from datetime import timedelta

import eventlet
from kombu import Connection, Exchange, Queue
from nameko.timer import timer
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from services.common.database import Database
from services.common.db import utcnow
from services.common.outbox import enqueue_events, insert_rows
from services.common.relay import Outbox
from services.tracking.contracts.events import SKILL_ACQUIRED_V1
from tests.support.relay import RelayOnly, outbox_table, pending
from tests.support.smtp import FakeRelay
from tests.support.waiting import wait_for


class RelayWhileBusy(RelayOnly):
    """The same, with a worker always running (a surge's requests and imports)."""

    @timer(interval=0.01)
    def busy(self):
        eventlet.sleep(0.3)


class PacedRelay(RelayOnly):
    """A service whose every request commits events (the lrs): passes at most every
    PACE seconds under load."""

    outbox = Outbox(outbox_table, event_pace=1.0)


def skill(n: int) -> dict:
    return {"learner_id": f"learner-{n:05d}", "skill_id": "fr.reading",
            "institution_id": "inst-1", "course_id": "course-1",
            "acquired_at": "2026-12-02T09:00:00+00:00"}


def enqueue(container, count: int, wake: bool = False) -> list[str]:
    """``wake``: the relay hears of the commit, as it does of a worker's."""
    db = next(d for d in container.extensions if isinstance(d, Database))
    outbox = next(d for d in container.extensions if isinstance(d, Outbox))
    loaded = SKILL_ACQUIRED_V1.schema().load
    with db.sessions.begin() as session:
        return enqueue_events(session, outbox_table, SKILL_ACQUIRED_V1,
                              [loaded(skill(n)) for n in range(count)],
                              wake=outbox.wake if wake else None)


def add_mail_row(container, message_id: str, addresses: list[str]) -> None:
    """One outbox row of a mail to each address (a roster batch's invitations)."""
    db = next(d for d in container.extensions if isinstance(d, Database))
    mails = [{"to": to, "subject": "Bienvenue", "text": "Bonjour", "language": "fr"}
             for to in addresses]
    with db.sessions.begin() as session:
        insert_rows(session, outbox_table, [{
            "message_id": message_id, "kind": "mail",
            "topic": f"{len(mails)} recipients", "body": {"mails": mails},
            "correlation_id": None}])


def add_invitations(container, count: int) -> None:
    """One outbox row of ``count`` mails, as a roster batch writes its invitations."""
    add_mail_row(container, "m-1", [f"learner-{n}@lycee.fr" for n in range(count)])


def over_smtp(rabbit_config, database_url: str, relay: FakeRelay, sessions: int = 3,
              poll: str = "0.1") -> dict:
    """A relay-only container's config: its mail through ``relay``, over ``sessions``
    SMTP sessions at once."""
    return {"AMQP_URI": rabbit_config["AMQP_URI"], "DATABASE_URL": database_url,
            "OUTBOX_POLL_SECONDS": poll, "SMTP_URL": relay.url,
            "SMTP_CONNECTIONS": str(sessions)}


def drain(connection: Connection, queue: Queue, want: int, timeout: float) -> list[dict]:
    got: list[dict] = []

    def on_message(body, message):
        got.append(body)
        message.ack()

    deadline = time.monotonic() + timeout
    with connection.Consumer(queue, callbacks=[on_message], accept=["json"]):
        while len(got) < want and time.monotonic() < deadline:
            try:
                connection.drain_events(timeout=0.2)
            except TimeoutError:
                pass
    return got


@contextlib.contextmanager
def listening(rabbit_config, name: str, **queue_arguments):
    """A queue bound to every event of the relay's exchange, and its connection."""
    exchange = Exchange("relaytest.events", type="topic", durable=True)
    with Connection(rabbit_config["AMQP_URI"]) as connection:
        queue = Queue(name, exchange, routing_key="#", durable=True,
                      queue_arguments=queue_arguments or None)
        queue(connection.channel()).declare()
        yield connection, queue


def start(container_factory, rabbit_config, tmp_path, service=RelayOnly,
          poll: str = "0.1"):
    container = container_factory(service, {
        "AMQP_URI": rabbit_config["AMQP_URI"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'relay.db'}",
        "OUTBOX_POLL_SECONDS": poll,
        "MAIL_DIR": str(tmp_path / "mail"),
    })
    container.start()
    return container


def test_a_large_backlog_is_published_once_each_in_order(
        container_factory, rabbit_config, tmp_path):
    with listening(rabbit_config, "relaytest-all") as (connection, queue):
        container = start(container_factory, rabbit_config, tmp_path)
        ids = enqueue(container, 1_200)  # more than one relay batch

        got = drain(connection, queue, 1_200, timeout=30)
        wait_for(lambda: pending(container) == 0)
        time.sleep(0.3)
        got += drain(connection, queue, 1, timeout=0.5)  # nothing sent twice

    assert [body["event_id"] for body in got] == ids
    assert {body["event_type"] for body in got} == {SKILL_ACQUIRED_V1.name}


def test_a_paced_relay_sends_an_event_at_once_and_the_commits_that_follow_together(
        container_factory, rabbit_config, tmp_path):
    with listening(rabbit_config, "relaytest-paced") as (connection, queue):
        container = start(container_factory, rabbit_config, tmp_path, PacedRelay,
                          poll="5")
        time.sleep(1.2)  # a pace after its first pass (at start): the lane is quiet

        started = time.monotonic()
        first = enqueue(container, 1, wake=True)
        got = drain(connection, queue, 1, timeout=5)
        assert [b["event_id"] for b in got] == first
        assert time.monotonic() - started < 0.4  # quiet before: at once

        following = []
        for _ in range(3):  # three commits in quick succession
            following += enqueue(container, 1, wake=True)
            time.sleep(0.05)
        assert drain(connection, queue, 3, timeout=0.3) == []  # within the pace
        got = drain(connection, queue, 3, timeout=5)
        assert [b["event_id"] for b in got] == following
        assert time.monotonic() - started < 3.0


def test_events_the_broker_refuses_stay_pending_and_go_out_later(
        container_factory, rabbit_config, tmp_path):
    """A full queue that rejects publishes (the broker nacks): nothing is lost."""
    with listening(rabbit_config, "relaytest-small", **{
            "x-max-length": 50, "x-overflow": "reject-publish"}) as (connection, queue):
        container = start(container_factory, rabbit_config, tmp_path)
        ids = enqueue(container, 120)

        # the queue holds 50; the rest of the batch is nacked, so it stays pending
        time.sleep(1.5)
        assert pending(container) > 0

        got: list[dict] = []

        def all_published() -> bool:
            got.extend(drain(connection, queue, 10_000, timeout=0.3))
            return not pending(container) and len(got) >= 120

        wait_for(all_published, timeout=30)

    received = [body["event_id"] for body in got]
    assert set(received) == set(ids), "every event reached the queue"


def test_invitations_keep_flowing_while_every_worker_is_busy(
        container_factory, rabbit_config, tmp_path):
    """Mails give way to workers for a moment only: under a sustained surge a class's
    invitations still go out within seconds (they waited up to a second each)."""
    container = container_factory(RelayWhileBusy, {
        "AMQP_URI": rabbit_config["AMQP_URI"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'relay.db'}",
        "OUTBOX_POLL_SECONDS": "0.1", "MAIL_DIR": str(tmp_path / "mail"),
    })
    container.start()
    add_invitations(container, 60)
    wait_for(lambda: container._worker_threads)  # a worker runs from now on
    wait_for(lambda: len(list((tmp_path / "mail").glob("*.eml"))) == 60, timeout=20)
    wait_for(lambda: pending(container) == 0)


def test_a_batch_of_invitations_reaches_a_distant_relay_over_several_sessions(
        container_factory, rabbit_config, tmp_path):
    """Through SMTP, a roster batch's mails go over SMTP_CONNECTIONS sessions at once,
    each mail once, and the row is marked sent."""
    relay = FakeRelay(delay=0.002)
    try:
        container = container_factory(RelayOnly, over_smtp(
            rabbit_config, f"sqlite:///{tmp_path / 'relay.db'}", relay))
        container.start()
        add_invitations(container, 90)
        wait_for(lambda: pending(container) == 0, timeout=20)
        assert sorted(relay.recipients()) == sorted(
            f"learner-{n}@lycee.fr".encode() for n in range(90))
        assert relay.most_open == 3
    finally:
        relay.close()


def test_invitations_sent_as_the_database_goes_are_not_sent_again(
        container_factory, rabbit_config, tmp_path):
    """The database goes away once a row's mails are sent, before the row is marked
    sent: once it is back, the relay marks the row without inviting anyone twice
    (it remembers what it sent and could not record; decision 0058)."""
    relay = FakeRelay()
    try:
        container = container_factory(RelayOnly, over_smtp(
            rabbit_config, f"sqlite:///{tmp_path / 'relay.db'}", relay))
        outbox = next(d for d in container.extensions if isinstance(d, Outbox))
        write, failed = outbox._write_progress, []

        def database_gone_once(seq, done, **values):
            if "published_at" in values and not failed:
                failed.append(seq)
                raise OperationalError("UPDATE outbox", {}, ConnectionError("reset"))
            return write(seq, done, **values)

        outbox._write_progress = database_gone_once
        container.start()
        add_invitations(container, 50)
        wait_for(lambda: pending(container) == 0, timeout=20)
        assert failed, "the database never went"
        assert sorted(relay.recipients()) == sorted(
            f"learner-{n}@lycee.fr".encode() for n in range(50))
    finally:
        relay.close()


def test_mails_sent_are_not_sent_again_when_a_later_one_fails(
        container_factory, rabbit_config, tmp_path):
    """The relay refuses a mail of the second row for now: the first row's mails,
    and the second's before the refused one, are sent once however often the relay
    tries again; once the refusal lifts, the rest go out, the ones in flight when it
    failed (one per session at most) maybe twice."""
    first = [f"first-{n}@lycee.fr" for n in range(40)]
    second = [f"second-{n}@lycee.fr" for n in range(40)]
    relay = FakeRelay(refuse_for_now=(second[20],))
    try:
        container = container_factory(RelayOnly, over_smtp(
            rabbit_config, f"sqlite:///{tmp_path / 'relay.db'}", relay))
        container.start()
        add_mail_row(container, "row-1", first)
        add_mail_row(container, "row-2", second)

        def received() -> collections.Counter:
            return collections.Counter(to.decode() for to in relay.recipients())

        wait_for(lambda: set(first) <= set(received()), timeout=20)
        time.sleep(3.5)  # the relay tries again each second: three tries or more
        assert pending(container) == 1
        sent = received()
        assert all(sent[to] == 1 for to in first), "the first row sent again"
        assert all(sent[to] == 1 for to in second[:20]), "the second's sent again"
        assert second[20] not in sent

        relay.refuse_for_now = ()
        wait_for(lambda: pending(container) == 0, timeout=20)
        sent = received()
        assert set(sent) == set(first + second)
        assert [to for to in first if sent[to] > 1] == []
        assert len([to for to in second if sent[to] > 1]) <= 3
    finally:
        relay.close()


def test_the_mail_lane_meeting_an_outage_leaves_the_event_lane_its_broker_connection(
        container_factory, rabbit_config, tmp_path):
    """The mail lane's database outage closes nothing of the event lane's: closed
    under it, the event lane waited for its confirms on a closed socket, and the
    first connection to PostgreSQL that took that socket's number failed (a 502
    right after a database outage; decision 0058)."""
    container = start(container_factory, rabbit_config, tmp_path)
    outbox = next(d for d in container.extensions if isinstance(d, Outbox))
    enqueue(container, 5)
    wait_for(lambda: pending(container) == 0)
    connection = outbox._connection
    relay_once, failed = outbox.relay_once, []

    def database_away_for_mail(kind):
        if kind == "mail" and len(failed) < 2:
            failed.append(kind)
            raise OperationalError("SELECT outbox", {}, ConnectionError("refused"))
        return relay_once(kind)

    outbox.relay_once = database_away_for_mail
    wait_for(lambda: len(failed) == 2, timeout=10)
    enqueue(container, 5)
    wait_for(lambda: pending(container) == 0)
    assert outbox._connection is connection and connection.connected


def test_a_relay_stopped_while_it_claims_a_row_sends_none_of_it_and_lets_it_go(
        container_factory, rabbit_config, tmp_path):
    """A SIGTERM that comes while the mail lane claims a row: the stop finds no row
    being sent, so the lane must see it itself. Before, it sent the whole row, which
    could outlast the stop's grace: the process then ended amid a mail, and the
    mails sent after it by the other sessions went out again."""
    relay = FakeRelay()
    try:
        container = container_factory(RelayOnly, over_smtp(
            rabbit_config, f"sqlite:///{tmp_path / 'relay.db'}", relay))
        container.start()
        outbox = next(d for d in container.extensions if isinstance(d, Outbox))
        claim, stopping = outbox._claim_mail_row, []

        def claimed_as_the_stop_comes():
            row = claim()
            if row is not None and not stopping:
                stopping.append(eventlet.spawn(outbox.stop))
                eventlet.sleep(0)  # the stop runs until it waits for the lanes
            return row

        outbox._claim_mail_row = claimed_as_the_stop_comes
        add_invitations(container, 40)
        wait_for(lambda: stopping, timeout=10)
        stopping[0].wait()
        assert relay.messages == []
        with outbox._sessions.begin() as session:  # free for the next relay at once
            row = session.execute(select(
                outbox_table.c.published_at, outbox_table.c.claimed_by,
                outbox_table.c.mails_sent)).one()
        assert tuple(row) == (None, None, 0)
    finally:
        relay.close()


def test_a_row_left_by_a_relay_that_died_is_taken_over_where_it_stopped(
        container_factory, rabbit_config, db_url):
    """A relay killed amid a row recorded its first 25 mails as sent: once its claim
    lapses another relay sends the other 15, and not before."""
    relay = FakeRelay()
    try:
        container = container_factory(RelayOnly, over_smtp(
            rabbit_config, db_url, relay))
        container.start()
        db = next(d for d in container.extensions if isinstance(d, Database))
        addresses = [f"learner-{n}@lycee.fr" for n in range(40)]
        with db.sessions.begin() as session:  # as the dead relay left it
            insert_rows(session, outbox_table, [{
                "message_id": "row-1", "kind": "mail", "topic": "40 recipients",
                "body": {"mails": [{"to": to, "subject": "Bienvenue", "text": "Bonjour"}
                                   for to in addresses]},
                "correlation_id": None, "mails_sent": 25, "claimed_by": "dead",
                "claimed_until": utcnow() + timedelta(seconds=1.5)}])
        time.sleep(1.0)
        assert relay.messages == [], "sent while another relay's claim holds"
        wait_for(lambda: pending(container) == 0, timeout=20)
        assert sorted(relay.recipients()) == sorted(
            to.encode() for to in addresses[25:])
    finally:
        relay.close()


def test_two_relays_on_one_database_send_each_mail_once(
        container_factory, rabbit_config, pg_base_url):
    """Two processes of a service on PostgreSQL: each row is claimed by one relay,
    each mail sent once."""
    relay = FakeRelay(delay=0.001)
    try:
        config = over_smtp(rabbit_config, pg_base_url, relay, sessions=2, poll="0.05")
        first = container_factory(RelayOnly, config)
        second = container_factory(RelayOnly, config)
        first.start()
        second.start()
        addresses = [f"learner-{row}-{n}@lycee.fr"
                     for row in range(8) for n in range(30)]
        for row in range(8):
            add_mail_row(first, f"row-{row}", addresses[row * 30:(row + 1) * 30])
        wait_for(lambda: pending(first) == 0, timeout=30)
        time.sleep(0.5)  # a mail sent twice would come now
        assert sorted(relay.recipients()) == sorted(to.encode() for to in addresses)
    finally:
        relay.close()
