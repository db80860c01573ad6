"""The learners table as CSV that opens cleanly in a French spreadsheet.

UTF-8 with a BOM (so Excel reads the accents), ``;`` between fields (the French list
separator), CRLF line ends, a header row, quotes only where needed (a ``;``, a quote
or a line break; quotes doubled). Text cells that a spreadsheet would take for a
formula (``=``, ``+``, ``-``, ``@``) get a leading apostrophe.

The export is made page by page (``export_page``), so no reply holds every learner.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from .monitoring import learner_rows, monitored_licence

BOM = "\ufeff"
PAGE_SIZE = 1000
COLUMNS = (
    "learner_id", "email", "first_name", "last_name", "cohort", "external_id", "seated",
    "last_activity_at_utc", "courses_started", "courses_completed", "skills_acquired",
    "skills",
)
TEXT_COLUMNS = ("email", "first_name", "last_name", "cohort", "external_id")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if value.startswith(FORMULA_START) else value


def when(value: datetime | None) -> str:
    """``2026-11-28 14:05:00``: a date and time every spreadsheet recognises (UTC)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def cells(item: dict) -> list[str]:
    row = {key: safe_text(item.get(key)) for key in TEXT_COLUMNS}
    return [
        item["learner_id"], row["email"], row["first_name"], row["last_name"],
        row["cohort"], row["external_id"], "yes" if item["seated"] else "no",
        when(item["last_activity_at"]), str(item["courses_started"]),
        str(item["courses_completed"]), str(item["skills_acquired"]),
        ", ".join(item["skills"]),
    ]


def csv_text(items: Iterable[dict], header: bool) -> str:
    out = io.StringIO()
    if header:
        out.write(BOM)
    writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    if header:
        writer.writerow(COLUMNS)
    writer.writerows(cells(item) for item in items)
    return out.getvalue()


def export_page(
    session: Session, institution_id: str, now: datetime, *, cohort: str | None = None,
    cursor: str | None = None, page_size: int = PAGE_SIZE,
) -> dict:
    """One page of the export; the first (no cursor) starts with the BOM and header.

    The licence is checked on every page: a licence revoked mid-export stops it.
    """
    monitored_licence(session, institution_id, now)
    page = learner_rows(session, institution_id, limit=page_size, cursor=cursor,
                        cohort=cohort)
    return {
        "text": csv_text(page["items"], header=cursor is None),
        "rows": len(page["items"]),
        "next_cursor": page["next_cursor"],
    }
