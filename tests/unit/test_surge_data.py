"""The surge simulator's rosters are what it says they are: read by onboarding's own
roster reader, each file yields the learners, duplicates and wrong rows the simulator
expects the import to count (bench/surge_data.py)."""

from __future__ import annotations

import random

from bench.surge_data import institution
from services.onboarding.roster import read_rows


def test_generated_rosters_read_as_the_simulator_expects():
    mistakes = {"rejected": 0, "duplicates": 0}
    for number in range(6):  # French and English, each layout
        rng = random.Random(f"3-{number}")
        school = institution(number, "t1", rng, 200)
        roster = school.roster(200, rng, "t1")
        rows = list(read_rows(roster.body.decode("utf-8-sig")))
        learners = [row.learner["email"] for row in rows if row.learner]
        refused = [row for row in rows if row.learner is None]
        assert len(rows) == 200
        assert len(refused) == roster.rejected
        assert {row.column for row in refused} <= {"email", "first_name"}
        assert len(learners) - len(set(learners)) == roster.duplicates
        assert list(dict.fromkeys(learners)) == list(roster.emails)
        mistakes["rejected"] += roster.rejected
        mistakes["duplicates"] += roster.duplicates
    assert mistakes["rejected"] > 0 and mistakes["duplicates"] > 0


def test_institutions_are_french_and_english_and_one_in_ten_needs_review():
    schools = [institution(n, "t1", random.Random(n), 30) for n in range(10)]
    assert {s.application["languages"][0] for s in schools} == {"fr", "en"}
    assert [s.number for s in schools if s.needs_review] == [3]
    assert schools[3].application["contact"]["email"].endswith("@gmail.com")
    assert all(s.application["website"].endswith(s.domain) for s in schools)
