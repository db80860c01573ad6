"""``continuity-surge`` (``make surge``) replays a small surge against a running
platform, and its report counts what happened.

On PostgreSQL, as a surge is run: on SQLite the gateway and webhooks processes share
one database file, and concurrent sign-ups wait on its lock.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from bench.surge_data import institution
from tests.support.db import drop_databases
from tests.support.journey import OPERATOR
from tests.support.platform import start_platform, stop_platform

pytestmark = pytest.mark.e2e

SURGE = Path(sys.executable).with_name("continuity-surge")
INSTITUTIONS, LEARNERS, SEED = 5, 12, 7


@pytest.fixture(scope="module")
def world(tmp_path_factory, vhost_pipeline):
    base = f"ct_{uuid.uuid4().hex[:10]}"
    with vhost_pipeline.get() as vhost:
        # one machine sends every request: the limits per address would throttle it
        p = start_platform(
            tmp_path_factory.mktemp("surge"), f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
            f"postgresql+psycopg2://postgres@127.0.0.1:5432/{base}",
            extra_env={"RATE_LIMIT_APPLY": "100000/60",
                       "RATE_LIMIT_INVITATION": "100000/60"})
        try:
            out = tmp_path_factory.mktemp("surge-report")
            ran = subprocess.run(
                [str(SURGE), "--url", p.url, "--var-dir", str(p.var_dir),
                 "--operator-email", OPERATOR["email"],
                 "--operator-password", OPERATOR["password"],
                 "--institutions", str(INSTITUTIONS), "--minutes", "0.1",
                 "--learners", str(LEARNERS), "--active-learners", "1",
                 "--records", "2", "--seed", str(SEED), "--timeout", "60",
                 "--out", str(out)],
                capture_output=True, text=True, timeout=280)
            yield p, ran, out
        finally:
            assert stop_platform(p) == 0
            drop_databases(base)


def expected_rosters() -> dict[str, int]:
    """What the import of each generated roster should count, replayed from the seed
    (the run's own tag changes addresses, not counts)."""
    totals = {"imported": 0, "duplicates": 0, "rejected": 0}
    for number in range(INSTITUTIONS):
        rng = random.Random(f"{SEED}-{number}")
        roster = institution(number, "x", rng, LEARNERS).roster(LEARNERS, rng, "x")
        totals["imported"] += roster.imported
        totals["duplicates"] += roster.duplicates
        totals["rejected"] += roster.rejected
    return totals


def test_the_surge_report_counts_what_the_platform_did(world):
    p, ran, out = world
    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-2000:]
    report = json.loads((out / "report.json").read_text())
    assert report["errors"] == []
    assert report["institutions"] == {
        "planned": 5, "applied": 5, "active": 5, "approved_by_an_operator": 1,
        "rosters_imported": 5}
    rosters = expected_rosters()
    assert rosters["duplicates"] + rosters["rejected"] > 0  # the data has mistakes
    assert report["roster_rows"] == {
        "read": sum(rosters.values()),
        "refused": rosters["duplicates"] + rosters["rejected"]}
    assert report["seats"]["seated"] + report["seats"]["waiting"] == rosters["imported"]
    assert report["seats"]["granted"] == INSTITUTIONS * LEARNERS
    # institution 4 sends a wrong form, 2 a roster not in UTF-8; each first learner
    # one wrong record: each refused naming its field
    assert report["bad_inputs_refused"] == 2 + INSTITUTIONS
    assert report["learners_active"] == INSTITUTIONS
    assert report["progress_records"] == INSTITUTIONS * 2
    seen = report["time_to_active_seconds"]["seen_by_institutions"]
    assert seen["count"] == 5 and 0 < seen["p50"] <= seen["p99"] <= seen["max"]
    measured = report["time_to_active_seconds"]["measured_by_the_platform"]
    assert measured["count"] == 5
    assert report["throughput_per_second"]["learners_seated"] > 0
    # the plots are PNG files, and the command names exactly the files it wrote
    written = re.findall(r"written: (\S+)", ran.stdout)
    assert sorted(Path(w).name for w in written) == [
        "report.json", "surge-over-time.png", "time-to-active.png"]
    for path in written:
        assert Path(path).stat().st_size > 0
    for name in ("surge-over-time.png", "time-to-active.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_platform_that_does_not_answer_is_said_plainly(tmp_path):
    ran = subprocess.run(
        [str(SURGE), "--url", "http://127.0.0.1:9", "--var-dir", str(tmp_path),
         "--operator-email", "a@b.fr", "--operator-password", "x" * 12],
        capture_output=True, text=True, timeout=60)
    assert ran.returncode == 2
    assert "cannot reach the platform at http://127.0.0.1:9" in ran.stderr
