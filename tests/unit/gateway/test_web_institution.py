"""The institution admin's pages: the progress bar's values (the errors' CSV:
test_reasons.py)."""

from __future__ import annotations

from gateway.web.institution import progress


def test_the_bar_moves_with_the_rows_read_and_is_full_once_finished():
    running = {"status": "running", "rows_read": 40, "rows_total": 100}
    assert progress(running) == (40, 100)
    # rows_total is an upper bound (blank lines): a finished job is full
    assert progress({**running, "status": "done", "rows_read": 97}) == (100, 100)
    assert progress({"status": "failed", "rows_read": 0, "rows_total": 0}) == (1, 1)
    assert progress({"status": "queued", "rows_read": 0, "rows_total": None}) == (0, 0)
