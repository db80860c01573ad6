"""Reading roster files: plain CSV and OneRoster 1.1, line numbers, every bad row."""

from __future__ import annotations

import pytest

from services.onboarding.roster import RosterFormatError, read_rows

HEADER = "email,first_name,last_name,cohort\n"


def learners(text: str, skip: int = 0) -> list[dict]:
    return [row.learner for row in read_rows(text, skip) if row.learner]


def rejected(text: str) -> list[tuple[int, str | None, str]]:
    return [(r.line, r.column, r.reason) for r in read_rows(text) if r.learner is None]


def test_plain_csv_with_commas():
    rows = list(read_rows(HEADER + "Leo.Durand@Lycee.fr, Léo ,Durand,2nde A\n"))

    assert len(rows) == 1
    assert rows[0].line == 2
    assert rows[0].learner == {
        "email": "leo.durand@lycee.fr",
        "first_name": "Léo",
        "last_name": "Durand",
        "cohort": "2nde A",
        "external_id": None,
    }


def test_semicolons_bom_and_crlf_from_a_french_spreadsheet():
    text = (
        "\ufeffemail;first_name;last_name;cohort;external_id\r\n"
        "leo@lycee.fr;Léo;Durand;2nde A;S-001\r\n"
        "emma@lycee.fr;Emma;Petit;2nde B;\r\n"
    )

    rows = list(read_rows(text))

    assert [r.line for r in rows] == [2, 3]
    assert [r.learner for r in rows] == [
        {
            "email": "leo@lycee.fr",
            "first_name": "Léo",
            "last_name": "Durand",
            "cohort": "2nde A",
            "external_id": "S-001",
        },
        {
            "email": "emma@lycee.fr",
            "first_name": "Emma",
            "last_name": "Petit",
            "cohort": "2nde B",
            "external_id": None,
        },
    ]


def test_header_names_are_case_and_space_insensitive():
    text = " Email ; First_Name ;LAST_NAME; Cohort\nleo@lycee.fr;Léo;Durand;A\n"
    assert learners(text)[0]["email"] == "leo@lycee.fr"


def test_quoted_fields_may_contain_the_delimiter():
    text = HEADER + 'leo@lycee.fr,"Léo, Jr",Durand,"2nde A, groupe 1"\n'

    [learner] = learners(text)

    assert learner["first_name"] == "Léo, Jr"
    assert learner["cohort"] == "2nde A, groupe 1"


def test_a_record_after_a_multiline_quoted_field_keeps_its_physical_line():
    text = (
        HEADER  # line 1
        + 'leo@lycee.fr,Léo,"Durand\nde la Tour",2nde A\n'  # lines 2-3
        + "not-an-email,Emma,Petit,2nde B\n"  # line 4
    )

    rows = list(read_rows(text))

    assert rows[0].learner["last_name"] == "Durand\nde la Tour"
    assert (rows[1].line, rows[1].column) == (4, "email")


def test_a_bad_multiline_record_is_reported_at_the_line_where_it_starts():
    # The user opens the file at the reported line: it must show the bad e-mail,
    # not the continuation of the quoted last name.
    text = (
        HEADER  # line 1
        + 'not-an-email,Léo,"Durand\nde la Tour",2nde A\n'  # lines 2-3
        + "emma@lycee.fr,Emma,Petit,2nde B\n"  # line 4
    )

    rows = list(read_rows(text))

    assert (rows[0].line, rows[0].column) == (2, "email")
    assert rows[1].line == 4


def test_blank_lines_are_skipped_and_do_not_shift_line_numbers():
    text = (
        HEADER + "\n" + "leo@lycee.fr,Léo,Durand,A\n" + ",,,\n\n" + "bad,Emma,Petit,B\n"
    )

    rows = list(read_rows(text))

    assert len(rows) == 2
    assert rows[0].line == 3
    assert (rows[1].line, rows[1].column) == (6, "email")


def test_missing_columns_are_named():
    with pytest.raises(RosterFormatError) as raised:
        list(read_rows("email,name\nleo@lycee.fr,Léo\n"))

    message = str(raised.value)
    assert "first_name" in message
    assert "last_name" in message
    assert "cohort" in message
    assert "missing column(s): first_name, last_name, cohort" in message


def test_an_empty_file_is_refused():
    with pytest.raises(RosterFormatError):
        list(read_rows(""))


@pytest.mark.parametrize(
    "row, column",
    [
        ("pas-une-adresse,Paul,Martin,A", "email"),
        ("paul@,Paul,Martin,A", "email"),
        ("paul@lycee,Paul,Martin,A", "email"),
        (",Paul,Martin,A", "email"),
        ("paul@lycee.fr,,Martin,A", "first_name"),
        ("paul@lycee.fr,Paul,  ,A", "last_name"),
        ("paul@lycee.fr,Paul,Martin,", "cohort"),
        ("paul@lycee.fr," + "P" * 121 + ",Martin,A", "first_name"),
        ("x@r2.test.,Paul,Martin,A", "email"),  # refused by learners.enrolled.v1
        ('"a""b@x.test",Paul,Martin,A', "email"),
        ("paul@lycee.fr,Pa\x01ul,Martin,A", "first_name"),
        ("paul@lycee.fr,Paul,Martin,A\x1b", "cohort"),
    ],
)
def test_a_bad_row_is_rejected_with_its_line_column_and_reason(row, column):
    [(line, got_column, reason)] = rejected(
        HEADER + "leo@lycee.fr,Léo,Durand,A\n" + row + "\n"
    )

    assert (line, got_column) == (3, column)
    assert reason


def test_rejection_reasons_say_what_is_wrong():
    text = HEADER + "pas-une-adresse,Paul,Martin,A\npaul@lycee.fr,Paul,Martin,\n"

    assert rejected(text) == [
        (2, "email", "not an e-mail address: 'pas-une-adresse': no @"),
        (3, "cohort", "cohort is empty"),
    ]


def test_too_many_and_too_few_fields_are_rejected_and_reading_goes_on():
    text = (
        HEADER
        + "leo@lycee.fr,Léo,Durand,A,extra\n"
        + "emma@lycee.fr,Emma\n"
        + "zoe@lycee.fr,Zoé,Roux,B\n"
    )

    rows = list(read_rows(text))

    assert [(r.line, r.reason) for r in rows[:2]] == [
        (2, "expected 4 fields, found 5"),
        (3, "expected 4 fields, found 2"),
    ]
    assert rows[2].learner["email"] == "zoe@lycee.fr"


def test_skip_resumes_after_n_data_rows_counting_bad_and_not_blank_rows():
    text = (
        HEADER
        + "a@lycee.fr,A,A,1\n"  # data row 1
        + "\n"
        + "bad,B,B,1\n"  # data row 2 (rejected)
        + "c@lycee.fr,C,C,1\n"  # data row 3
        + "d@lycee.fr,D,D,1\n"  # data row 4
    )

    rows = list(read_rows(text, skip=2))

    assert [(r.line, r.learner["email"]) for r in rows] == [
        (5, "c@lycee.fr"),
        (6, "d@lycee.fr"),
    ]
    assert list(read_rows(text, skip=4)) == []


ONEROSTER_HEADER = (
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,"
    "userIds,givenName,familyName,middleName,identifier,email,sms,phone,"
    "agentSourcedIds,grades,password\n"
)


def oneroster(*rows: str) -> str:
    return ONEROSTER_HEADER + "".join(r + "\n" for r in rows)


def test_oneroster_students_become_learners():
    text = oneroster(
        'u-1,active,2024-09-01T00:00:00Z,true,"org-1,org-2",student,leo,,Léo,Durand,'
        ",,Leo@Lycee.fr,,,,09,",
        "u-2,,,true,org-1,student,emma,,Emma,Petit,,,emma@lycee.fr,,,,,",
    )

    assert learners(text) == [
        {
            "email": "leo@lycee.fr",
            "first_name": "Léo",
            "last_name": "Durand",
            "cohort": "09",
            "external_id": "u-1",
        },
        {
            "email": "emma@lycee.fr",
            "first_name": "Emma",
            "last_name": "Petit",
            "cohort": "org-1",
            "external_id": "u-2",
        },
    ]


def test_oneroster_teachers_and_deleted_users_are_rejected_with_a_reason():
    text = oneroster(
        "t-1,active,,true,org-1,teacher,anne,,Anne,Martin,,,anne@lycee.fr,,,,,",
        "u-3,tobedeleted,,true,org-1,student,zoe,,Zoé,Roux,,,zoe@lycee.fr,,,,09,",
        "u-4,active,,true,org-1,student,hugo,,Hugo,Blanc,,,hugo@lycee.fr,,,,09,",
    )

    rows = list(read_rows(text))

    assert [(r.line, r.column) for r in rows[:2]] == [(2, "role"), (3, "status")]
    assert "teacher" in rows[0].reason and "student" in rows[0].reason
    assert "tobedeleted" in rows[1].reason
    assert rows[2].learner["email"] == "hugo@lycee.fr"


def test_an_unquoted_file_is_cut_where_its_records_are_read():
    """``split`` finds an unquoted file's parts without the csv reader; its cuts are
    the reader's every n-th record, also around lines that hold only white space
    (a non-breaking space, a tab) or delimiters, which the reader skips."""
    from services.onboarding.roster import RosterCursor, split

    lines = ["email;first_name;last_name;cohort"]
    for n in range(40):
        lines.append(f"l{n}@x.fr;P;N;G")
        if n % 3 == 0:
            lines.append(["\u00a0", " ;\t; ;", "", "\u2003;;"][n % 4])
    text = "\r\n".join(lines) + "\r\n"
    by_reader = [(offset, start - 1)
                 for n, (offset, start, _) in enumerate(RosterCursor(text)._records())
                 if n and n % 7 == 0]
    assert split(text, 7) == by_reader
    assert len(by_reader) == 5
