"""Roster reasons reach a French admin in French: every reason the roster reader can
give has its shape in gateway/web/reasons.py and its words in the catalogue."""

from __future__ import annotations

import csv
import io
import re

import pytest

from gateway.web import i18n, reasons
from gateway.web.institution import errors_csv
from services.onboarding import roster

FRENCH = i18n.translations("fr").ugettext
ENGLISH = i18n.translations("en").ugettext
HEADER = "email,first_name,last_name,cohort,external_id\n"
ONEROSTER = "sourcedId,role,givenName,familyName,email,grades,status\n"


def reasons_of(text: str) -> list[tuple[str | None, str]]:
    return [(row.column, row.reason) for row in roster.read_rows(text) if row.reason]


def every_row_reason() -> list[str]:
    rows = HEADER + "".join([
        "a@lycee.fr,Ana\n",                                     # fields missing
        "not-an-address,Ana,Diaz,2A,\n",                         # no @
        "@lycee.fr,Ana,Diaz,2A,\n",                              # nothing before @
        "ana@lycee,Ana,Diaz,2A,\n",                              # no dot
        "b@lycee.fr,,Diaz,2A,\n",                                # empty
        f"c@lycee.fr,{'x' * 121},Diaz,2A,\n",                    # too long
        "d@lycee.fr,Ana\x07,Diaz,2A,\n",                         # a control character
        "e@lycee.fr,Ana\x00,Diaz,2A,\n",                         # NUL
        "f@lycee.fr,Ana,Diaz,2A,\ud800\n",                       # a lone surrogate
        f"g@lycee.fr,Ana,Diaz,2A,{'9' * 121}\n",                 # long identifier
    ])
    one = ONEROSTER + ("t1,teacher,Tom,Roy,t@lycee.fr,2A,active\n"
                       "s1,student,Sam,Roy,s@lycee.fr,2A,tobedeleted\n")
    found = [reason for _, reason in reasons_of(rows) + reasons_of(one)]
    assert len(found) == 12, found  # each bad row gave its reason
    return found


def every_file_reason() -> list[str]:
    found = []
    for text in ("", "Courriel;Prénom;Nom\n",
                 "email,email,first_name,last_name,cohort\n"):
        with pytest.raises(roster.RosterFormatError) as refused:
            list(roster.read_rows(text))
        found.append(str(refused.value))
    with pytest.raises(roster.RosterFormatError) as refused:
        roster.xlsx_text(b"PK\x03\x04 not really a zip", 10, 10_000)
    found.append(str(refused.value))
    return found


@pytest.mark.parametrize("reason", every_row_reason() + every_file_reason())
def test_every_reason_the_reader_gives_is_said_in_french(reason):
    french = reasons.translated(reason, FRENCH)
    assert french != reason, f"no French for {reason!r}"
    # the values the admin needs to find the row stay as they were
    for value in ("121", "U+0007", "U+0000", "'not-an-address'", "teacher"):
        if value in reason:
            assert value in french
    # English stays as it was, but for the columns' names, said as people do (the
    # names a header may have, after "accepted:", are quoted as they are)
    said, accepted = (reason.split(" (accepted: ", 1) + [""])[:2]
    for column, name in (("first_name", "first name"), ("last_name", "last name"),
                         ("external_id", "identifier"), ("email", "e-mail")):
        said = re.sub(rf"(?<!')\b{column}\b(?! address|')", name, said)
    said = said + (" (accepted: " + accepted if accepted else "")
    assert reasons.translated(reason, ENGLISH) == said


def test_a_reason_of_an_unknown_shape_is_shown_as_it_is():
    assert reasons.translated("a new reason", FRENCH) == "a new reason"
    assert reasons.translated(None, FRENCH) == ""


def test_the_errors_csv_is_in_the_admins_language_and_defuses_formulas():
    errors = [{"line": 3, "column": "first_name", "reason": "first_name is empty"},
              {"line": None, "column": None, "reason": "=HYPERLINK(\"http://x\")"}]
    rows = list(csv.reader(io.StringIO(errors_csv(errors, FRENCH))))
    assert rows[0] == ["Ligne", "Colonne", "Motif du refus"]
    assert rows[1] == ["3", "prénom", "prénom est vide"]
    assert rows[2] == ["", "", "'=HYPERLINK(\"http://x\")"]
    english = list(csv.reader(io.StringIO(errors_csv(errors, ENGLISH))))
    assert english[0] == ["Line", "Column", "Reason for refusal"]
    assert english[1] == ["3", "first name", "first name is empty"]
