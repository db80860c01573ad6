"""The institution admin's pages: the progress bar's values and the charts'
geometry (the errors' CSV: test_reasons.py)."""

from __future__ import annotations

from gateway.web import charts
from gateway.web.institution import progress


def test_the_bar_moves_with_the_rows_read_and_is_full_once_finished():
    running = {"status": "running", "rows_read": 40, "rows_total": 100}
    assert progress(running) == (40, 100)
    # rows_total is an upper bound (blank lines): a finished job is full
    assert progress({**running, "status": "done", "rows_read": 97}) == (100, 100)
    assert progress({"status": "failed", "rows_read": 0, "rows_total": 0}) == (1, 1)
    assert progress({"status": "queued", "rows_read": 0, "rows_total": None}) == (0, 0)


def test_a_cohorts_bar_is_as_long_as_its_share_of_the_largest():
    chart = charts.across([("2nde A", 10), ("2nde B", 5), ("Sans", 0)])
    longest = chart.bars[0].width
    assert chart.bars[1].width == longest / 2 and chart.bars[2].width == 0
    assert [b.y for b in chart.bars] == sorted(b.y for b in chart.bars)  # one a row
    assert chart.height == 3 * 32
    assert all(b.x + b.width < chart.width for b in chart.bars)  # room for the value
    long = charts.across([("Terminale spécialité mathématiques", 1)]).bars[0].label
    assert len(long) == charts.LABEL_CHARS and long.endswith("…")


def test_a_weeks_column_stands_on_the_axis_as_tall_as_its_share():
    chart = charts.upright([("1 Dec", 4), ("8 Dec", 2), ("15 Dec", 0)])
    bottoms = {round(b.y + b.height, 6) for b in chart.bars}
    assert len(bottoms) == 1  # one baseline
    assert chart.bars[1].height == chart.bars[0].height / 2
    assert chart.bars[2].height == 0
    assert chart.bars[0].x < chart.bars[1].x < chart.bars[2].x  # oldest first
    assert charts.upright([("1 Dec", 0)]).bars[0].height == 0  # nothing: no division
