"""Days left: one rule, shown the same by licensing (the licence) and tracking (the
dashboard)."""

from datetime import UTC, datetime, timedelta

import pytest

from services.common.periods import days_until

END = datetime(2027, 3, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("now, left", [
    (END - timedelta(days=90), 90),
    (END - timedelta(days=89, hours=23), 90),  # a started day counts as a day
    (END - timedelta(hours=1), 1),
    (END - timedelta(microseconds=1), 1),
    (END, 0),
    (END + timedelta(days=3), 0),
])
def test_days_left_round_up_and_stop_at_zero(now, left):
    assert days_until(END, now) == left


def test_no_end_leaves_no_days():
    assert days_until(None, END) == 0
