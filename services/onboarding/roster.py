"""Roster files: plain CSV (``,``, ``;`` or tab, headers in French or English),
OneRoster 1.1 users.csv, or an Excel workbook turned once into that CSV text.

:func:`read_rows` yields one :class:`RosterRow` per data row with its line number in
the file, either a learner or the reason it was rejected. It never stops on a bad row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
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
# the names a plain roster's header may give each column, as schools' exports spell
# them; compared without case, accents, spaces, dashes or underscores
ALIASES = {
    "email": ("email", "E-mail", "Courriel", "Adresse électronique", "Adresse e-mail",
              "Mail", "Email address"),
    "first_name": ("first_name", "First name", "Prénom", "Given name"),
    "last_name": ("last_name", "Last name", "Nom", "Nom de famille", "Family name",
                  "Surname"),
    "cohort": ("cohort", "Cohorte", "Class", "Classe", "Group", "Groupe"),
    "external_id": ("external_id", "Identifiant", "ID", "External id"),
}
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


def folded(name: str) -> str:
    """A header's name as :data:`ALIASES` are compared: no case, accents or spacing."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed
                   if c.isalnum() and not unicodedata.combining(c))


ALIAS_OF = {folded(alias): column for column, names in ALIASES.items()
            for alias in names}


def accepted(column: str) -> str:
    return " / ".join(ALIASES[column])


def plain_positions(columns: list[str]) -> dict[str, int]:
    """Where each plain column stands in the header; a column missing or named twice
    is refused with the names it may have."""
    positions: dict[str, int] = {}
    for index, name in enumerate(columns):
        column = ALIAS_OF.get(folded(name))
        if column is None:
            continue  # a column the import does not use
        if column in positions:
            raise RosterFormatError(
                f"the header names the {column} column twice: "
                f"{columns[positions[column]]!r} and {name!r}; keep one")
        positions[column] = index
    missing = [c for c in PLAIN_COLUMNS if c not in positions]
    if missing:
        raise RosterFormatError(
            "missing column(s): " + ", ".join(missing) + " (accepted: "
            + "; ".join(f"{c}: {accepted(c)}" for c in missing)
            + "; optional external_id: " + accepted("external_id")
            + "; or a OneRoster 1.1 users.csv)")
    return positions


def sniff_delimiter(header_line: str) -> str:
    """The header line's most frequent of tab, ``;`` and ``,`` (``,`` when none)."""
    counts = {d: header_line.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


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
    plain_positions(columns)  # refuses a header without the plain columns
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
            positions = plain_positions(self.columns)
            email, first, last, cohort = map(positions.__getitem__, PLAIN_COLUMNS)
            external = positions.get("external_id")
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


def cell_text(value) -> str:
    """A cell as a school typed it: an integer stays an integer, a date a date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an ID typed as a number reads 12345, not 12345.0
    if isinstance(value, dt.datetime):
        return (value.date().isoformat() if value.time() == dt.time()
                else value.isoformat(sep=" "))
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    # a line break inside a cell is the sheet's layout: one row stays one line, so
    # the CSV's line numbers are the sheet's row numbers
    return " ".join(str(value).splitlines())


def xlsx_text(data: bytes, max_rows: int, max_chars: int) -> str:
    """The first sheet of a workbook as the CSV text a roster job reads: its first
    row the header, each row on the line of its row number. Read streaming, row by
    row; stops past ``max_rows`` data rows or ``max_chars`` characters (the caller
    refuses such a file as it refuses the same CSV)."""
    from openpyxl import load_workbook  # only an upload of a workbook pays its import

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # not a workbook openpyxl can read, whatever the cause
        raise RosterFormatError(
            f"the file is not an Excel workbook (.xlsx) that can be read: {exc}"
        ) from None
    try:
        if not workbook.worksheets:
            raise RosterFormatError("the workbook has no sheet")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        width = None
        next_row = 1
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            cells = [cell_text(v) for v in row]
            if width is None:
                while cells and not cells[-1].strip():
                    cells.pop()
                width = len(cells)
            elif any(c.strip() for c in cells[width:]):
                pass  # more cells than the header: the row is refused for its width
            else:
                cells = (cells + [""] * width)[:width]
            out.write("\n" * (number - next_row))  # rows the sheet skips: blank lines
            next_row = number + 1
            if any(c.strip() for c in cells):
                writer.writerow(cells)
            else:
                out.write("\n")
            if number > max_rows + 1 or out.tell() > max_chars:
                break
        return out.getvalue()
    finally:
        workbook.close()
