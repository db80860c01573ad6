"""Plans kept as data."""

from __future__ import annotations

import pytest

from services.licensing.plans import load_plans


def test_the_shipped_spark_plan():
    spark = load_plans()["spark"]

    assert (spark.label, spark.days, spark.max_seats) == ("SPARK", 90, 5000)
    assert spark.warn_days_before_end == (14, 3)


@pytest.mark.parametrize(
    "expected, seats",
    [(1, 1), (300, 300), (5000, 5000), (5001, 5000), (20000, 5000), (0, 1)],
)
def test_seats_are_the_expected_learners_capped_at_max_seats(expected, seats):
    assert load_plans()["spark"].seats_for(expected) == seats


def test_operators_add_plans_without_code(tmp_path):
    path = tmp_path / "plans.yml"
    path.write_text(
        "spark:\n  days: 90\n  max_seats: 5000\n"
        "campus:\n  label: Campus\n  days: 365\n  max_seats: 50000\n",
        encoding="utf-8",
    )

    plans = load_plans(str(path))

    assert set(plans) == {"spark", "campus"}
    assert (plans["campus"].label, plans["campus"].days) == ("Campus", 365)
    assert plans["spark"].label == "spark"
    assert plans["spark"].warn_days_before_end == ()
