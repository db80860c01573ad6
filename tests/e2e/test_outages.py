"""A broker restart or a database outage is weathered: no process dies, the gateway
answers 503 with Retry-After meanwhile, and everything works again once it is back.
A process that dies all the same is started again by the launcher.

The broker test runs a platform on a RabbitMQ node of its own, which it stops for a
few seconds while learners record and read progress through the gateway. The other
tests share one platform on the machine's PostgreSQL behind a TCP proxy of the
module's own, which they cut for 10 s: during progress records, and during a roster
import whose invitations are counted at an SMTP relay of the module's own; the last
one kills a process of that platform.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import os
import signal
import threading
import time
import uuid

import pytest

from tests.support import rabbit_node
from tests.support.db import drop_databases
from tests.support.journey import onboard, wait_for
from tests.support.platform import start_platform, stop_platform
from tests.support.roster_watch import RosterWatch
from tests.support.smtp import FakeRelay
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.e2e
needs_rabbitmq = pytest.mark.skipif(not rabbit_node.available(),
                                    reason="RabbitMQ is not installed here")

OUTAGE_REQUESTS = 3  # records and reads asked while the broker is away
STREAMS = 4  # learners' requests in flight when the broker stops
SENDERS = 8  # records sent again side by side
RECOVERY = 60.0  # seconds within which requests must succeed again
DATABASE_OUTAGE = 10.0  # seconds the database stays unreachable
DONE_WITHIN = 120.0  # seconds for an import cut by the outage to be complete


def assert_unavailable(answer) -> None:
    assert answer.status_code == 503, (answer.status_code, answer.text)
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert int(answer.headers["Retry-After"]) > 0
    assert answer.json()["status"] == 503


class Learner:
    """Records and reads progress through the gateway, keeping what was accepted."""

    def __init__(self, platform, token: str, course: dict):
        self.platform, self.token, self.course = platform, token, course
        self.chapters = itertools.cycle(c["id"] for c in course["chapters"])
        self.numbers = itertools.count()
        self.tag = uuid.uuid4().hex[:12]  # a record's id is the platform's, not the
        # learner's: another learner's "r-0" on the same platform is a 422
        self.accepted: list[dict] = []
        self.refused: list = []  # answers other than 2xx
        self.refused_bodies: list[dict] = []  # the records refused

    def record(self):
        body = {"id": f"r-{self.tag}-{next(self.numbers)}",
                "course_id": self.course["id"],
                "kind": "chapter_completed", "chapter_id": next(self.chapters)}
        answer = self.platform.api("POST", "/api/v1/progress", self.token, json=body)
        if answer.status_code in (200, 201):
            self.accepted.append(body)
        else:
            self.refused.append(answer)
            self.refused_bodies.append(body)
        return answer

    def resend(self, body: dict):
        """A refused record sent again: accepted now (or found already there)."""
        answer = self.platform.api("POST", "/api/v1/progress", self.token, json=body)
        assert answer.status_code in (200, 201), (answer.status_code, answer.text)
        self.accepted.append(body)
        return answer

    def read(self):
        answer = self.platform.api("GET", "/api/v1/me/progress", self.token)
        if answer.status_code != 200:
            self.refused.append(answer)
        return answer

    def stream(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.record()
            self.read()

    def assert_kept(self) -> None:
        """What was accepted, before and after an outage, is there exactly once."""
        def again(body: dict):
            return body, self.platform.api("POST", "/api/v1/progress", self.token,
                                           json=body)

        with concurrent.futures.ThreadPoolExecutor(SENDERS) as pool:
            for body, answer in pool.map(again, list(self.accepted)):
                assert answer.status_code == 200, (body, answer.text)
                assert answer.json()["duplicate"] is True, body


def learner_of(platform, domain: str) -> Learner:
    """A learner of a newly onboarded institution, with a course to follow."""
    school = onboard(platform, domain, learners=1)
    course = platform.api("GET", "/api/v1/courses").json()["items"][0]
    course = platform.api("GET", f"/api/v1/courses/{course['id']}").json()
    return Learner(platform, school.learners[school.learner_ids[0]], course)


def assert_no_process_exited(platform) -> None:
    assert platform.process.poll() is None, platform.log()[-3000:]
    assert "stopped (exit code" not in platform.log(), platform.log()[-3000:]


@needs_rabbitmq
def test_a_broker_restart_kills_no_process_and_loses_no_progress(tmp_path, node):
    platform = start_platform(tmp_path, node.amqp_uri,
                              extra_env={"RPC_TIMEOUT": "5"})
    try:
        learner = learner_of(platform, "lycee-redemarrage.fr")
        assert learner.record().status_code == 201

        stop = threading.Event()
        streams = [threading.Thread(target=learner.stream, args=(stop,))
                   for _ in range(STREAMS)]
        for stream in streams:
            stream.start()
        wait_for(lambda: len(learner.accepted) > 10)
        node.stop()
        for _ in range(OUTAGE_REQUESTS):
            assert_unavailable(learner.record())
            assert_unavailable(learner.read())
        node.start()
        stop.set()
        for stream in streams:
            stream.join(RECOVERY)

        wait_for(lambda: learner.record().status_code == 201, timeout=RECOVERY,
                 interval=0.5)
        wait_for(lambda: learner.read().status_code == 200, timeout=RECOVERY,
                 interval=0.5)
        for _ in range(3):
            assert learner.record().status_code == 201

        # whatever was refused was refused as an outage, never as our fault
        for answer in learner.refused:
            assert_unavailable(answer)
        learner.assert_kept()
        assert_no_process_exited(platform)
    finally:
        assert stop_platform(platform) == 0, platform.log()[-3000:]


class OnPostgres:
    """The module's platform on PostgreSQL behind a TCP proxy the tests cut, sending
    its mail to an SMTP relay of the test's own (where invitations are counted)."""

    def __init__(self, platform, proxy, relay):
        self.p, self.proxy, self.relay = platform, proxy, relay
        self.roster = RosterWatch(platform, relay)

    def cut_for(self, seconds: float, *requests) -> int:
        """The database cut for ``seconds``, each of ``requests`` (functions that
        ask the gateway something) asked again and again meanwhile, every answer a
        503 to try again later; how many rounds were asked."""
        self.proxy.cut()
        cut, rounds = time.monotonic(), 0
        try:
            while time.monotonic() - cut < seconds:
                for ask in requests:
                    assert_unavailable(ask())
                rounds += 1
        finally:
            self.proxy.restore()
        return rounds

    def since(self) -> int:
        """Where the platform's log is now: a test looks at what follows."""
        return len(self.p.log())

    def assert_sound(self, since: int) -> None:
        """Since then, no process died or was started again, and none read one
        socket from two green threads (eventlet's "second simultaneous read", which
        made a request a 502 after a database outage)."""
        assert self.p.process.poll() is None, self.p.log()[-3000:]
        log = self.p.log()[since:]
        for sign in ("stopped (exit code", "starting it again", "simultaneous read"):
            assert sign not in log, log[-5000:]


@pytest.fixture(scope="module")
def on_postgres(tmp_path_factory, vhost_pipeline):
    tmp = tmp_path_factory.mktemp("outages")
    base = f"ct_{uuid.uuid4().hex[:10]}"
    relay = FakeRelay()
    try:
        with TcpProxy("127.0.0.1", 5432) as proxy, vhost_pipeline.get() as vhost:
            platform = start_platform(
                tmp, f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
                f"postgresql+psycopg2://postgres@127.0.0.1:{proxy.port}/{base}",
                # a roster job whose lease lapsed in the cut is taken again soon
                extra_env={"SMTP_URL": relay.url, "ROSTER_LEASE_SECONDS": "3"})
            platform.relay = relay
            try:
                yield OnPostgres(platform, proxy, relay)
            finally:
                assert stop_platform(platform) == 0, platform.log()[-3000:]
    finally:
        relay.close()
        drop_databases(base)


def test_a_database_outage_answers_503_and_passes_without_a_restart(on_postgres):
    since = on_postgres.since()
    learner = learner_of(on_postgres.p, "lycee-panne.fr")
    for _ in range(3):
        assert learner.record().status_code == 201

    # learners go on recording and reading all through the cut and after it
    stop = threading.Event()
    streams = [threading.Thread(target=learner.stream, args=(stop,))
               for _ in range(STREAMS)]
    for stream in streams:
        stream.start()
    cut = time.monotonic()
    refused = on_postgres.cut_for(DATABASE_OUTAGE, learner.record, learner.read)
    wait_for(lambda: learner.record().status_code == 201, timeout=RECOVERY,
             interval=0.5)
    back = time.monotonic() - cut - DATABASE_OUTAGE
    # the records refused during the cut, sent again at once: accepted, each once
    with concurrent.futures.ThreadPoolExecutor(SENDERS) as pool:
        again = list(pool.map(learner.resend, list(learner.refused_bodies)))
    time.sleep(2)
    stop.set()
    for stream in streams:
        stream.join(RECOVERY)
    print(f"\ndatabase cut {DATABASE_OUTAGE:.0f} s: {refused} records refused "
          f"(503) in the test's loop, {len(learner.refused)} refused in all; "
          f"recording again {back:.1f} s after it came back; {len(again)} refused "
          "records sent again, accepted")

    # whatever was refused, during the cut or after it, was refused as an outage
    for answer in learner.refused:
        assert_unavailable(answer)
    assert learner.read().status_code == 200
    learner.assert_kept()
    on_postgres.assert_sound(since)


ROSTER = 3_000  # rows of the roster imported through the cut


def test_a_database_outage_mid_roster_import_loses_and_repeats_nothing(on_postgres):
    watch, domain = on_postgres.roster, "lycee-coupure.fr"
    since = on_postgres.since()
    school, job_url = watch.import_roster(domain, ROSTER)
    started = time.monotonic()
    watch.under_way(school, domain, job_url)
    invited = len(watch.invited(domain))
    on_postgres.cut_for(
        DATABASE_OUTAGE,
        lambda: on_postgres.p.api("GET", job_url, school.admin),
        lambda: on_postgres.p.api("GET", f"/api/v1/institutions/{school.id}/licence",
                                  school.admin))
    done = watch.at_fault(school, domain, job_url, ROSTER, invited)
    seconds = watch.assert_complete(school, domain, job_url, ROSTER, started,
                                    within=DONE_WITHIN)
    print(f"\ndatabase cut {DATABASE_OUTAGE:.0f} s at {done}: all {ROSTER:,} "
          f"imported, seated and invited once in {seconds:.1f} s")
    on_postgres.assert_sound(since)


def test_a_process_that_dies_is_started_again_and_the_platform_serves_on(
        on_postgres):
    platform = on_postgres.p
    learner = learner_of(platform, "lycee-relance.fr")
    assert learner.record().status_code == 201

    tracking = platform.child_pid("tracking")
    os.kill(tracking, signal.SIGKILL)  # as the kernel's OOM killer would
    wait_for(lambda: "tracking stopped (exit code -9); starting it again"
             in platform.log())
    wait_for(lambda: learner.record().status_code == 201, timeout=RECOVERY,
             interval=0.5)
    assert platform.child_pid("tracking") != tracking
    assert platform.process.poll() is None, platform.log()[-3000:]
