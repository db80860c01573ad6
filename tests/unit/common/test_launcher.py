"""The launcher starts a dead process again, waiting longer each time, on a budget."""

from __future__ import annotations

from services.common.launcher import Restarts


def test_each_restart_waits_twice_as_long_until_the_budget_is_spent():
    restarts = Restarts(budget=3, window=60)
    assert [restarts.delay("tracking", t) for t in (0, 1, 3)] == [1.0, 2.0, 4.0]
    assert restarts.delay("tracking", 10) is None  # a process that cannot run
    assert restarts.delay("licensing", 10) == 1.0  # each process has its own budget


def test_restarts_older_than_the_window_are_forgotten():
    restarts = Restarts(budget=2, window=60)
    restarts.delay("tracking", 0)
    restarts.delay("tracking", 1)
    assert restarts.delay("tracking", 60.5) == 2.0  # the one at 1 s still counts
