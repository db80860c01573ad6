"""The institution admin's pages: the errors' CSV and the progress bar's values."""

from __future__ import annotations

import csv
import io

from gateway.web.institution import errors_csv, progress


def test_the_errors_csv_has_a_header_and_defuses_formulas():
    text = errors_csv([
        {"line": 3, "column": "email", "reason": "Not a valid email address."},
        {"line": None, "column": None, "reason": "=HYPERLINK(\"http://x\")"},
    ])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["line", "column", "reason"]
    assert rows[1] == ["3", "email", "Not a valid email address."]
    assert rows[2] == ["", "", "'=HYPERLINK(\"http://x\")"]


def test_the_bar_moves_with_the_rows_read_and_is_full_once_finished():
    running = {"status": "running", "rows_read": 40, "rows_total": 100}
    assert progress(running) == (40, 100)
    # rows_total is an upper bound (blank lines): a finished job is full
    assert progress({**running, "status": "done", "rows_read": 97}) == (100, 100)
    assert progress({"status": "failed", "rows_read": 0, "rows_total": 0}) == (1, 1)
    assert progress({"status": "queued", "rows_read": 0, "rows_total": None}) == (0, 0)
