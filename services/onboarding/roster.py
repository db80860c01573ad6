"""Roster files: plain CSV (``,`` or ``;``) or OneRoster 1.1 users.csv.

:func:`read_rows` yields one :class:`RosterRow` per data row with its line number in
the file, either a learner or the reason it was rejected. It never stops on a bad row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import accumulate
from typing import NamedTuple

from services.common.validation import (
    email_problem,
    has_bad_text,
    is_email,
    text_problem,
)

PLAIN_COLUMNS = ("email", "first_name", "last_name", "cohort")
ONEROSTER_COLUMNS = ("sourcedid", "role", "givenname", "familyname", "email")
MAX_FIELD = 120
# a field longer than the csv module's default limit would stop the whole file: read
# any field an uploaded roster can hold and let its row be refused as too long
csv.field_size_limit(32 * 1024 * 1024)


class RosterFormatError(ValueError):
    """The file as a whole cannot be read (no header, wrong columns)."""


class RosterRow(NamedTuple):  # a tuple: one made per row, cheaper than a dataclass
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


class RosterCursor:
    """Reads data rows from a position in the file, without re-reading what came before.

    ``offset`` (characters) and ``line`` (physical lines consumed) say where the cursor
    stands after the last row taken, so an import can commit them and resume there.
    """

    def __init__(self, text: str, offset: int = 0, line: int = 0):
        self.text = text
        body = 1 if text.startswith("\ufeff") else 0
        newline = text.find("\n", body)
        header_end = len(text) if newline == -1 else newline + 1
        self.delimiter, self.columns = header_of(text[body:header_end])
        self.kind = detect_format(self.columns)
        # the usual file holds no character a cell may not: its cells skip the check
        self.clean = not has_bad_text(text, offset)
        if offset == 0:
            offset, line = header_end, 1
        self.offset, self.line = offset, line
        self._rows = self._read()

    def _physical_lines(self) -> Iterator[str]:
        text, end_of_text = self.text, len(self.text)
        position = self.offset
        while position < end_of_text:
            newline = text.find("\n", position)
            end = end_of_text if newline == -1 else newline + 1
            self._position, self._lines_read = end, self._lines_read + 1
            yield text[position:end]
            position = end

    def _records(self) -> Iterator[tuple[int, int, list[str]]]:
        """Each record that is not blank, with the offset and the line where it starts
        (a quoted field may span lines); ``offset`` and ``line`` move past it."""
        self._position, self._lines_read = self.offset, 0
        first_line = self.line
        for record in csv.reader(self._physical_lines(), delimiter=self.delimiter):
            offset, start = self.offset, self.line + 1
            self.line, self.offset = first_line + self._lines_read, self._position
            if record and (record[0].strip() or any(f.strip() for f in record)):
                yield offset, start, record

    def _read(self) -> Iterator[RosterRow]:
        width = len(self.columns)
        if self.kind == "plain":  # the usual file: each field read by its position
            email, first, last, cohort = map(self.columns.index, PLAIN_COLUMNS)
            external = (self.columns.index("external_id")
                        if "external_id" in self.columns else None)
        for _, start, record in self._records():
            if len(record) != width:
                yield RosterRow(start, column=None, reason=(
                    f"expected {width} fields, found {len(record)}"))
            elif self.kind == "plain":
                yield validated(start, self.clean, {
                    "email": record[email].strip(),
                    "first_name": record[first].strip(),
                    "last_name": record[last].strip(),
                    "cohort": record[cohort].strip(),
                    "external_id": (None if external is None
                                    else record[external].strip() or None),
                })
            else:
                raw = {c: v.strip() for c, v in zip(self.columns, record, strict=True)}
                yield oneroster_row(start, raw, self.clean)

    def take(self, count: int) -> list[RosterRow]:
        rows = []
        for row in self._rows:
            rows.append(row)
            if len(rows) == count:
                break
        return rows


def split(text: str, rows_per_part: int) -> list[tuple[int, int]]:
    """Where a file's parts begin: (offset, lines before it) of every
    ``rows_per_part``-th record after the first, each at a record's first line (a
    quoted field spanning lines stays in one part). Records are not checked here."""
    cursor = RosterCursor(text)
    if '"' in text or text.count("\r") != text.count("\r\n"):
        return [(offset, start - 1)
                for n, (offset, start, _) in enumerate(cursor._records())
                if n and n % rows_per_part == 0]
    # no quotes, no lone carriage return: each line that is not blank is a record,
    # found without the csv reader, which would read the file once more only to find
    # where its parts begin (decision 17)
    lines = text[cursor.offset:].split("\n")
    if not lines[-1]:
        lines.pop()  # the file's last newline ends its last line
    ends = list(accumulate((len(line) + 1 for line in lines), initial=cursor.offset))
    # not blank: a field holds more than white space (the reader's own test)
    records = [n for n, line in enumerate(lines)
               if line.replace(cursor.delimiter, "").strip()]
    return [(ends[n], cursor.line + n)
            for n in records[rows_per_part::rows_per_part]]


def read_rows(text: str, skip: int = 0) -> Iterator[RosterRow]:
    """Rows after the first ``skip`` data rows, each with its physical line number."""
    for index, row in enumerate(RosterCursor(text)._rows):
        if index >= skip:
            yield row


def oneroster_row(line: int, raw: dict, clean: bool = False) -> RosterRow:
    role = raw["role"].lower()
    if role != "student":
        return RosterRow(line, column="role", reason=f"role {role or '(empty)'} is not a learner (student)")
    if raw.get("status", "").lower() == "tobedeleted":
        return RosterRow(line, column="status", reason="user is marked tobedeleted")
    cohort = raw.get("grades") or raw.get("orgsourcedids") or ""
    return validated(
        line, clean,
        {
            "email": raw["email"],
            "first_name": raw["givenname"],
            "last_name": raw["familyname"],
            "cohort": cohort.split(",")[0].strip(),
            "external_id": raw["sourcedid"] or None,
        },
    )


def validated(line: int, clean: bool, learner: dict) -> RosterRow:
    """The row's learner, or why not: a row the ``learners.enrolled.v1`` event or the
    database would refuse is refused here, alone, with its line. ``clean``: the file
    holds no character :func:`text_problem` refuses."""
    email = learner["email"].lower()
    if not is_email(email):  # the rule every schema applies
        return RosterRow(line, column="email", reason=(
            f"not an e-mail address: {learner['email']!r}: {email_problem(email)}"))
    for column in ("first_name", "last_name", "cohort"):
        value = learner[column]
        if not value:
            return RosterRow(line, column=column, reason=f"{column} is empty")
        if len(value) > MAX_FIELD:
            return RosterRow(line, column=column,
                             reason=f"{column} is longer than {MAX_FIELD} characters")
        problem = None if clean else text_problem(value)  # a line break may be quoted
        if problem:
            return RosterRow(line, column=column, reason=f"{column} {problem}")
    external_id = learner.get("external_id")
    if external_id and len(external_id) > MAX_FIELD:  # the column holds 120: refuse
        return RosterRow(line, column="external_id",  # the row, not the whole batch
                         reason=f"external_id is longer than {MAX_FIELD} characters")
    if external_id and text_problem(external_id, one_line=True):
        return RosterRow(line, column="external_id", reason="external_id "
                         + text_problem(external_id, one_line=True))
    learner["email"] = email  # the row's own dict, made by its reader
    return RosterRow(line, learner)
