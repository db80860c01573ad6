"""Rosters as institutions export them: French and English headers, tab-separated
files, Excel workbooks; the same per-row errors, line numbers and limits in each."""

from __future__ import annotations

import datetime as dt
import io
from datetime import timedelta

import pytest
from openpyxl import Workbook

from services.common.db import utcnow
from services.onboarding import roster_jobs
from services.onboarding.contracts.errors import Invalid
from services.onboarding.contracts.rpc import RosterJobView
from services.onboarding.roster import (
    ALIASES,
    RosterFormatError,
    folded,
    read_rows,
    sniff_delimiter,
    xlsx_text,
)

ROSTER_JOB_VIEW = RosterJobView()

ROW = ("leo@lycee.fr", "Léo", "Durand", "2nde A")
LEO = {"email": "leo@lycee.fr", "first_name": "Léo", "last_name": "Durand",
       "cohort": "2nde A", "external_id": None}


def learners(text: str) -> list[dict]:
    return [row.learner for row in read_rows(text) if row.learner]


def rejected(text: str) -> list[tuple[int, str | None, str]]:
    return [(r.line, r.column, r.reason) for r in read_rows(text) if r.learner is None]


@pytest.mark.parametrize("column", ["email", "first_name", "last_name", "cohort"])
def test_every_alias_of_a_column_is_read(column):
    others = {"email": "email", "first_name": "first_name", "last_name": "last_name",
              "cohort": "cohort"}
    for alias in ALIASES[column]:
        header = [alias if c == column else c for c in others.values()]
        text = ";".join(header) + "\n" + ";".join(ROW) + "\n"
        assert learners(text) == [LEO], alias


def test_a_french_schools_header():
    text = "Courriel;Prénom;Nom;Classe\n" + ";".join(ROW) + "\n"

    assert learners(text) == [LEO]


@pytest.mark.parametrize("header", [
    "Adresse électronique,Prénom,Nom de famille,Groupe,Identifiant",
    "ADRESSE ELECTRONIQUE,prenom,NOM DE FAMILLE,groupe,identifiant",
    "E-mail,First name,Last name,Class,External id",
    " e_mail , FIRST-NAME , last name , Cohort , ID ",
])
def test_aliases_ignore_case_accents_and_spacing(header):
    text = header + "\n" + ",".join(ROW) + ",A-17\n"

    assert learners(text) == [{**LEO, "external_id": "A-17"}]


def test_folded_names():
    assert folded("Adresse  Électronique") == folded("adresse_electronique")
    assert folded("E-mail") == "email"


def test_a_column_named_twice_says_which():
    twice = "email column twice: 'courriel' and 'e-mail'"
    with pytest.raises(RosterFormatError, match=twice):
        list(read_rows("Courriel;E-mail;Prénom;Nom;Classe\n"))


def test_a_missing_column_lists_what_it_accepts():
    with pytest.raises(RosterFormatError) as error:
        list(read_rows("Courriel;Prénom;Nom\n"))

    message = str(error.value)
    assert "missing column(s): cohort" in message
    assert "Classe" in message and "Groupe" in message and "Cohorte" in message


def test_oneroster_is_still_recognised():
    text = ("sourcedId,status,role,givenName,familyName,email,grades\n"
            "s1,active,student,Léo,Durand,leo@lycee.fr,2nde A\n")

    assert learners(text) == [{**LEO, "external_id": "s1"}]


@pytest.mark.parametrize(("line", "delimiter"), [
    ("a\tb\tc", "\t"), ("a;b;c", ";"), ("a,b,c", ","), ("a", ","),
    ("Nom, Prénom\tClasse\tCourriel\tID", "\t"),
])
def test_the_delimiter_is_the_header_lines(line, delimiter):
    assert sniff_delimiter(line) == delimiter


def test_tab_separated_file_with_a_bad_row_and_its_line():
    text = ("Courriel\tPrénom\tNom\tClasse\n"
            + "\t".join(ROW) + "\n"
            + "\n"
            + "not-an-address\tAna\tLopez\t2nde A\n"
            + "ana@lycee.fr\tAna, Maria\tLopez\t2nde A\n")

    assert learners(text)[0] == LEO
    assert learners(text)[1]["first_name"] == "Ana, Maria"  # a comma inside a field
    assert [(line, column) for line, column, _ in rejected(text)] == [(4, "email")]


def workbook(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_first_sheet_becomes_csv_with_the_same_aliases():
    data = workbook(("Courriel", "Prénom", "Nom", "Classe", "Identifiant"),
                    (*ROW, 12345))

    text = xlsx_text(data, 100, 10_000)

    assert learners(text) == [{**LEO, "external_id": "12345"}]


def test_xlsx_cells_become_text_sensibly():
    data = workbook(("email", "first_name", "last_name", "cohort", "external_id"),
                    ("a@b.fr", "Ana\nMaria", "Lopez", dt.date(2026, 9, 1), 7.5),
                    ("c@b.fr", "Chloé", "Roux", 2026, None))

    rows = learners(xlsx_text(data, 100, 10_000))

    assert rows[0]["first_name"] == "Ana Maria"  # the cell's line break is layout
    assert rows[0]["cohort"] == "2026-09-01"
    assert rows[0]["external_id"] == "7.5"
    assert rows[1]["cohort"] == "2026"
    assert rows[1]["external_id"] is None


def test_xlsx_bad_rows_keep_their_row_numbers():
    data = workbook(("Courriel", "Prénom", "Nom", "Classe"),
                    ROW,
                    (None, None, None, None),
                    ("not-an-address", "Ana", "Lopez", "2nde A"),
                    ("x@b.fr", "", "Roux", "2nde A"),
                    ("y@b.fr", "Yann", "Roux", "2nde A", "extra"),
                    ("z@b.fr", "Zoé", "x" * 121, "2nde A"))

    problems = rejected(xlsx_text(data, 100, 10_000))

    assert [(line, column) for line, column, _ in problems] == [
        (4, "email"), (5, "first_name"), (6, None), (7, "last_name")]
    assert problems[2][2] == "expected 4 fields, found 5"
    assert "longer than 120" in problems[3][2]


def test_xlsx_reading_stops_past_the_limits():
    data = workbook(("email", "first_name", "last_name", "cohort"),
                    *[(f"l{n}@b.fr", "Léo", "Durand", "A") for n in range(50)])

    assert xlsx_text(data, 10, 10**6).count("\n") == 12  # the header, 11 rows
    assert len(xlsx_text(data, 1000, 100)) < 200


def test_a_file_that_is_not_a_workbook():
    with pytest.raises(RosterFormatError, match="not an Excel workbook"):
        xlsx_text(b"PK\x03\x04 not really a zip", 10, 100)


def test_a_job_counts_its_rows_when_it_starts(sessions, active_institution, roster,
                                              new_job, run_job):
    institution_id, _ = active_institution()
    job_id = new_job(institution_id, roster(2500))

    with sessions() as session:
        job = roster_jobs.get_roster_job(session, institution_id, job_id)
        assert job.rows_total == 2500
    run_job(job_id)
    with sessions() as session:
        job = roster_jobs.get_roster_job(session, institution_id, job_id)
        assert (job.rows_read, job.rows_total) == (2500, 2500)
        assert ROSTER_JOB_VIEW.dump(job)["rows_total"] == 2500


def test_a_file_in_parts_reports_the_whole_files_rows(
    sessions, active_institution, roster, monkeypatch,
):
    monkeypatch.setattr(roster_jobs, "PART_ROWS", 1200)
    institution_id, _ = active_institution()
    with sessions.begin() as session:
        job, _ = roster_jobs.start_roster_job(
            session, institution_id, roster(3000), "big.csv", timedelta(minutes=1),
            now=utcnow())
        job_id = job.id
    with sessions() as session:
        assert len(roster_jobs.parts_of(session, job_id)) == 2
        view = ROSTER_JOB_VIEW.dump(roster_jobs.get_roster_job(session, institution_id,
                                                               job_id))
    assert (view["rows_read"], view["rows_total"]) == (0, 3000)


def test_a_workbook_upload_is_a_csv_job(sessions, active_institution):
    institution_id, _ = active_institution()
    content = roster_jobs.workbook_text(workbook(
        ("Courriel", "Prénom", "Nom", "Classe"), ROW, ("bad", "A", "B", "C")))
    with sessions.begin() as session:
        started = roster_jobs.start_roster_import(
            session, institution_id, content, "classe.xlsx", timedelta(minutes=1),
            now=utcnow())
        view = ROSTER_JOB_VIEW.dump(started.job)
    assert (view["status"], view["imported"], view["rejected"], view["rows_total"]) == (
        "done", 1, 1, 2)
    assert view["errors"][0]["line"] == 3


def test_an_unreadable_workbook_is_invalid():
    with pytest.raises(Invalid) as error:
        roster_jobs.workbook_text(b"PK\x03\x04 broken")
    assert "not an Excel workbook" in error.value.errors["file"][0]
