"""Roster files: plain CSV (``,`` or ``;``) or OneRoster 1.1 users.csv.

:func:`read_rows` yields one :class:`RosterRow` per data row with its line number in
the file, either a learner or the reason it was rejected. It never stops on a bad row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PLAIN_COLUMNS = ("email", "first_name", "last_name", "cohort")
ONEROSTER_COLUMNS = ("sourcedid", "role", "givenname", "familyname", "email")
MAX_FIELD = 120


class RosterFormatError(ValueError):
    """The file as a whole cannot be read (no header, wrong columns)."""


@dataclass(frozen=True)
class RosterRow:
    line: int
    learner: dict | None = None
    column: str | None = None
    reason: str | None = None


def sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def header_of(text: str) -> tuple[str, list[str]]:
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.strip():
        raise RosterFormatError("the file is empty or its first line is blank")
    delimiter = sniff_delimiter(first)
    columns = [c.strip().lower() for c in next(csv.reader([first], delimiter=delimiter))]
    return delimiter, columns


def detect_format(columns: list[str]) -> str:
    if all(c in columns for c in ONEROSTER_COLUMNS):
        return "oneroster"
    missing = [c for c in PLAIN_COLUMNS if c not in columns]
    if missing:
        raise RosterFormatError(
            "missing column(s): " + ", ".join(missing)
            + " (expected email, first_name, last_name, cohort[, external_id] "
            "or a OneRoster 1.1 users.csv)"
        )
    return "plain"


def read_rows(text: str, skip: int = 0) -> Iterator[RosterRow]:
    """Rows after the first ``skip`` data rows, each with its physical line number."""
    text = text.removeprefix("\ufeff")
    delimiter, columns = header_of(text)
    kind = detect_format(columns)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader)  # header
    index = 0
    previous_end = reader.line_num
    for record in reader:
        line = previous_end + 1  # where the record starts (a quoted field may span lines)
        previous_end = reader.line_num
        if not record or all(not f.strip() for f in record):
            continue
        index += 1
        if index <= skip:
            continue
        if len(record) != len(columns):
            yield RosterRow(
                line, column=None,
                reason=f"expected {len(columns)} fields, found {len(record)}",
            )
            continue
        raw = {c: v.strip() for c, v in zip(columns, record, strict=True)}
        yield (oneroster_row if kind == "oneroster" else plain_row)(line, raw)


def plain_row(line: int, raw: dict) -> RosterRow:
    return validated(
        line,
        {
            "email": raw["email"],
            "first_name": raw["first_name"],
            "last_name": raw["last_name"],
            "cohort": raw["cohort"],
            "external_id": raw.get("external_id") or None,
        },
    )


def oneroster_row(line: int, raw: dict) -> RosterRow:
    role = raw["role"].lower()
    if role != "student":
        return RosterRow(line, column="role", reason=f"role {role or '(empty)'} is not a learner (student)")
    if raw.get("status", "").lower() == "tobedeleted":
        return RosterRow(line, column="status", reason="user is marked tobedeleted")
    cohort = raw.get("grades") or raw.get("orgsourcedids") or ""
    return validated(
        line,
        {
            "email": raw["email"],
            "first_name": raw["givenname"],
            "last_name": raw["familyname"],
            "cohort": cohort.split(",")[0].strip(),
            "external_id": raw["sourcedid"] or None,
        },
    )


def validated(line: int, learner: dict) -> RosterRow:
    email = learner["email"].lower()
    if not EMAIL.match(email) or len(email) > 254:
        return RosterRow(line, column="email", reason=f"not an e-mail address: {learner['email']!r}")
    for column in ("first_name", "last_name", "cohort"):
        value = learner[column]
        if not value:
            return RosterRow(line, column=column, reason=f"{column} is empty")
        if len(value) > MAX_FIELD:
            return RosterRow(line, column=column, reason=f"{column} is longer than {MAX_FIELD} characters")
    return RosterRow(line, learner={**learner, "email": email})
