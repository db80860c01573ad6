"""Every event of a journey delivered twice changes nothing; a read model lost with
its database is made again from the producers' outboxes.

The platform runs a journey; ``continuity-rebuild`` then sends every consumer every
event it had already applied (the outbox replayed): every database of the platform
stays as it was, byte for byte.

Tracking's courses, licences and learners are made of catalog's, onboarding's and
licensing's events. Tracking's database is then lost (its process dies and starts
again on a new one, which knows nothing); ``continuity-rebuild tracking`` publishes
again what the producers kept, to tracking's queues only, and tracking's tables and
the gateway's answers are what they were, row for row.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import requests
from kombu import Connection

from services.common import rebuild as rebuild_models
from services.common.topology import subscriptions
from tests.support import journey
from tests.support.platform import REPO, start_platform, stop_platform
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

DOMAIN = "lycee-reconstruit.fr"
READ_MODELS = ("courses", "licences", "learners")  # what events make in tracking
OPS_OFFSET = {"tracking": 4}  # its ops port, from the gateway's (test_startup.py)


def rows(database, table: str) -> list[tuple]:
    with sqlite3.connect(database) as conn:
        return sorted(conn.execute(f"SELECT * FROM {table}").fetchall())  # noqa: S608


def every_database(var) -> dict[str, list[tuple]]:
    """Every row of every table of every process's database."""
    found = {}
    for database in sorted(var.glob("*.db")):
        with sqlite3.connect(database) as conn:
            tables = [t for (t,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            found[f"{database.stem}.{table}"] = rows(database, table)
    return found


def drained(amqp_uri: str) -> bool:
    """No event waits in any consumer's queue."""
    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        return all(channel.queue_declare(s.queue.name, passive=True).message_count == 0
                   for s in subscriptions())


def read_models(var) -> dict[str, list[tuple]]:
    return {table: rows(var / "tracking.db", table) for table in READ_MODELS}


def seated(var) -> int:
    with sqlite3.connect(var / "tracking.db") as conn:
        return conn.execute("SELECT count(*) FROM learners WHERE seated").fetchone()[0]


def applied(var, service: str) -> int:
    with sqlite3.connect(var / f"{service}.db") as conn:
        return conn.execute("SELECT count(*) FROM applied_events").fetchone()[0]


def seen_by_the_admin(p, institution: str) -> dict:
    admin = journey.login(p, f"direction@{DOMAIN}", "admin-password-1")
    answers = {}
    for what in ("dashboard", "learners", "licence"):
        answer = p.api("GET", f"/api/v1/institutions/{institution}/{what}", admin)
        assert answer.status_code == 200, answer.text
        answers[what] = answer.json()
    answers["dashboard"].pop("generated_at")  # when it was asked, not what it says
    answers["courses"] = p.api("GET", "/api/v1/courses").json()
    return answers


def ready(p, process: str) -> bool:
    """Whether ``process`` answers /ready on its ops port."""
    port = int(p.url.rsplit(":", 1)[1]) + OPS_OFFSET[process]
    try:
        return requests.get(f"http://127.0.0.1:{port}/ready", timeout=2).ok
    except requests.RequestException:
        return False


def rebuild(p, consumer: str = "tracking") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "services.common.rebuild", consumer],
        cwd=REPO, env=p.env, capture_output=True, text=True, timeout=60)


def test_a_journey_replayed_changes_nothing_and_a_lost_read_model_is_rebuilt(
        tmp_path, rabbit_config):
    p = start_platform(tmp_path, rabbit_config["AMQP_URI"])
    try:
        school = journey.onboard(p, DOMAIN, learners=4, accept_learners=0)
        wait_for(lambda: seated(p.var_dir) == 4)
        leaving = p.api("GET", f"/api/v1/institutions/{school.id}/learners",
                        school.admin).json()["items"][0]["learner_id"]
        removed = p.api("DELETE", f"/api/v1/institutions/{school.id}/learners/"
                        f"{leaving}", school.admin)
        assert removed.status_code in (200, 202, 204), removed.text
        wait_for(lambda: seated(p.var_dir) == 3)
        before = read_models(p.var_dir)
        seen = seen_by_the_admin(p, school.id)

        # every event of the journey delivered to each of its consumers once more
        wait_for(lambda: drained(p.env["AMQP_URI"]))
        everything = every_database(p.var_dir)
        consumers = sorted({s.service for s in subscriptions()})
        for consumer in consumers:  # in this process: the command's own code
            replayed = rebuild_models.rebuild(consumer, env=p.env)
            assert sum(r.events for r in replayed) > 0, consumer
        wait_for(lambda: drained(p.env["AMQP_URI"]))
        time.sleep(1)  # the last ones taken are applied (or found applied)
        assert every_database(p.var_dir) == everything
        assert seen_by_the_admin(p, school.id) == seen
        assert len(before["learners"]) == 4 and len(before["licences"]) == 1
        assert before["courses"]

        # tracking's database is lost: its process dies, and starts again on a new one
        tracking = p.child_pid("tracking")
        os.kill(tracking, signal.SIGKILL)
        for lost in p.var_dir.glob("tracking.db*"):  # with its -wal and -shm
            lost.rename(tmp_path / lost.name)
        wait_for(lambda: ready(p, "tracking"), timeout=60, interval=0.3)
        assert read_models(p.var_dir) == dict.fromkeys(READ_MODELS, [])
        others = {s: applied(p.var_dir, s) for s in ("onboarding", "licensing")}

        started = time.monotonic()
        done = rebuild(p)
        assert done.returncode == 0, done.stderr
        for producer in ("catalog", "onboarding", "licensing"):
            assert f"{producer}: " in done.stdout, done.stdout
        with contextlib.suppress(AssertionError):  # the comparison below says how
            wait_for(lambda: read_models(p.var_dir) == before, timeout=30, interval=0.3)
        assert read_models(p.var_dir) == before
        print(f"rebuilt in {time.monotonic() - started:.1f} s: {done.stdout}")
        assert seen_by_the_admin(p, school.id) == seen

        # the other consumers of the same events were sent nothing
        assert {s: applied(p.var_dir, s) for s in others} == others
    finally:
        assert stop_platform(p) == 0, p.log()[-3000:]
