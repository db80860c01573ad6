"""A read model lost with its database is made again from the producers' outboxes.

Tracking's courses, licences and learners are made of catalog's, onboarding's and
licensing's events. The platform runs a journey; tracking's database is then lost
(the platform restarts with a new one, which knows nothing); ``continuity-rebuild
tracking`` publishes again what the producers kept, to tracking's queues only, and
tracking's tables and the gateway's answers are what they were, row for row.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.support import journey
from tests.support.platform import REPO, start_platform, stop_platform
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

DOMAIN = "lycee-reconstruit.fr"
READ_MODELS = ("courses", "licences", "learners")  # what events make in tracking


def rows(database, table: str) -> list[tuple]:
    with sqlite3.connect(database) as conn:
        return sorted(conn.execute(f"SELECT * FROM {table}").fetchall())  # noqa: S608


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


def rebuild(p, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "services.common.rebuild", "tracking", *args],
        cwd=REPO, env=p.env, capture_output=True, text=True, timeout=60)


def test_a_lost_tracking_database_is_rebuilt_from_the_outboxes(tmp_path, rabbit_config):
    p = start_platform(tmp_path, rabbit_config["AMQP_URI"])
    try:
        school = journey.onboard(p, DOMAIN, learners=4, accept_learners=0)
        wait_for(lambda: seated(p.var_dir) == 4)
        before = read_models(p.var_dir)
        seen = seen_by_the_admin(p, school.id)
    finally:
        assert stop_platform(p) == 0, p.log()[-3000:]
    assert len(before["learners"]) == 4 and len(before["licences"]) == 1
    assert before["courses"]

    for lost in p.var_dir.glob("tracking.db*"):  # with its -wal and -shm
        lost.rename(tmp_path / lost.name)
    p = start_platform(tmp_path, rabbit_config["AMQP_URI"])
    try:
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

        # again: every event is applied once, nothing changes; and the other
        # consumers of the same events were sent nothing
        assert rebuild(p).returncode == 0
        time.sleep(2)
        assert read_models(p.var_dir) == before
        assert {s: applied(p.var_dir, s) for s in others} == others
    finally:
        assert stop_platform(p) == 0, p.log()[-3000:]
