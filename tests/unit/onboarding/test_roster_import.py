"""Roster import jobs: batches, counts, errors, duplicates, resuming after a crash."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from services.common.db import utcnow
from services.onboarding import members, roster_jobs
from services.onboarding.contracts.errors import Conflict, NotFound
from services.onboarding.invitations import redeem_invitation
from services.onboarding.models import Member, RosterJob
from services.onboarding.roster import RosterFormatError

LEASE = timedelta(seconds=30)


def job_state(sessions, job_id) -> RosterJob:
    with sessions() as session:
        return session.get(RosterJob, job_id)


def invitations(session) -> int:
    return session.scalar(select(func.count()).select_from(Member).where(
        Member.invitation_hash.is_not(None)))


def learners_of(sessions, institution_id) -> list[Member]:
    with sessions() as session:
        return members.list_members(session, institution_id, "learner")


def test_a_roster_for_an_institution_not_yet_active_is_refused(
    sessions,
    approved_institution,
    roster,
):
    institution_id = approved_institution()

    with pytest.raises(Conflict), sessions.begin() as session:
        roster_jobs.create_roster_job(session, institution_id, roster(3), "r.csv",
                                      now=utcnow())


def test_a_roster_for_an_unknown_institution_is_not_found(sessions, roster):
    with pytest.raises(NotFound), sessions.begin() as session:
        roster_jobs.create_roster_job(
            session, "no-such-institution", roster(3), "r.csv", now=utcnow())


def test_a_file_with_a_wrong_header_is_refused_at_once(sessions, active_institution):
    institution_id, _ = active_institution()

    with pytest.raises(RosterFormatError, match="cohort"), sessions.begin() as session:
        roster_jobs.create_roster_job(
            session,
            institution_id,
            "\ufeffemail;first_name;last_name\r\na@b.fr;A;B\r\n",
            "r.csv", now=utcnow()
        )
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(RosterJob)) == 0


def test_a_new_job_is_queued_with_zero_counts(
    sessions, active_institution, roster, new_job
):
    institution_id, _ = active_institution()

    job = job_state(sessions, new_job(institution_id, roster(3)))

    assert (job.status, job.rows_read, job.imported, job.duplicates, job.rejected) == (
        "queued",
        0,
        0,
        0,
        0,
    )
    assert job.errors == []


def test_a_2500_row_file_is_imported_in_3_batches_in_file_order(
    sessions,
    active_institution,
    roster,
    new_job,
    run_job,
):
    institution_id, _ = active_institution()
    job_id = new_job(institution_id, roster(2500))

    batches = run_job(job_id)

    assert [len(b.learners) for b in batches] == [1000, 1000, 500]
    assert [b.done for b in batches] == [False, False, True]
    emails = [learner["email"] for b in batches for learner in b.learners]
    assert emails == [f"learner{i:06d}@school.fr" for i in range(2500)]
    assert [len(b.invites) for b in batches] == [1000, 1000, 500]
    job = job_state(sessions, job_id)
    assert (job.status, job.rows_read, job.imported, job.duplicates, job.rejected) == (
        "done",
        2500,
        2500,
        0,
        0,
    )
    assert job.finished_at is not None
    assert len(learners_of(sessions, institution_id)) == 2500


def test_counts_cover_imported_duplicate_and_rejected_rows(
    sessions,
    active_institution,
    new_job,
    run_job,
):
    institution_id, _ = active_institution()
    content = (
        "\ufeffemail;first_name;last_name;cohort\r\n"
        "leo.durand@lycee.fr;Léo;Durand;2nde A\r\n"  # line 2
        "emma.petit@lycee.fr;Emma;Petit;2nde B\r\n"  # line 3
        "pas-une-adresse;Paul;Martin;2nde A\r\n"  # line 4
        "\r\n"  # line 5
        "zoe.roux@lycee.fr;Zoé;Roux;\r\n"  # line 6
        "LEO.DURAND@lycee.fr;Léo;Durand;2nde A\r\n"  # line 7
        "hugo.blanc@lycee.fr;Hugo;Blanc;2nde B\r\n"  # line 8
    )
    job_id = new_job(institution_id, content)

    [batch] = run_job(job_id)

    job = job_state(sessions, job_id)
    assert (job.rows_read, job.imported, job.duplicates, job.rejected) == (6, 3, 1, 2)
    assert job.errors == [
        {
            "line": 4,
            "column": "email",
            "reason": "not an e-mail address: 'pas-une-adresse': no @",
        },
        {"line": 6, "column": "cohort", "reason": "cohort is empty"},
    ]
    assert [learner["email"] for learner in batch.learners] == [
        "leo.durand@lycee.fr",
        "emma.petit@lycee.fr",
        "hugo.blanc@lycee.fr",
    ]
    by_email = {m.email: m for m in learners_of(sessions, institution_id)}
    assert set(by_email) == {
        "leo.durand@lycee.fr",
        "emma.petit@lycee.fr",
        "hugo.blanc@lycee.fr",
    }
    assert (
        by_email["emma.petit@lycee.fr"].first_name,
        by_email["emma.petit@lycee.fr"].cohort,
    ) == ("Emma", "2nde B")


def test_errors_are_capped_at_100_but_every_bad_row_is_counted(
    sessions,
    active_institution,
    new_job,
    run_job,
):
    institution_id, _ = active_institution()
    lines = ["email,first_name,last_name,cohort"]
    lines += [f"bad-{i},First,Last,A" for i in range(1500)]
    lines += ["good@school.fr,Good,Learner,A"]
    job_id = new_job(institution_id, "\n".join(lines) + "\n")

    run_job(job_id)

    job = job_state(sessions, job_id)
    assert (job.rows_read, job.imported, job.rejected) == (1501, 1, 1500)
    assert len(job.errors) == 100
    assert [e["line"] for e in job.errors] == list(range(2, 102))
    assert all(e["column"] == "email" for e in job.errors)


def test_importing_the_same_file_again_adds_no_one(
    sessions,
    active_institution,
    roster,
    new_job,
    run_job,
):
    institution_id, _ = active_institution()
    first = run_job(new_job(institution_id, roster(40)))
    with sessions() as session:
        invited = invitations(session)

    second = new_job(institution_id, roster(40))
    batches = run_job(second)

    assert [b.learners for b in batches] == [[]]
    assert [b.invites for b in batches] == [[]]
    job = job_state(sessions, second)
    assert (job.status, job.rows_read, job.imported, job.duplicates) == (
        "done",
        40,
        0,
        40,
    )
    assert len(learners_of(sessions, institution_id)) == 40
    with sessions() as session:
        assert invitations(session) == invited
    # the invitations mailed the first time still open the learners' accounts
    invite = first[0].invites[-1]
    with sessions.begin() as session:
        assert redeem_invitation(session, invite.token,
                                 now=utcnow()).email == invite.email


def test_an_overlapping_file_imports_only_the_new_learners(
    sessions,
    active_institution,
    roster,
    new_job,
    run_job,
):
    institution_id, _ = active_institution()
    run_job(new_job(institution_id, roster(30)))

    batches = run_job(new_job(institution_id, roster(30, start=20)))

    assert [lr["email"] for lr in batches[0].learners] == [
        f"learner{i:06d}@school.fr" for i in range(30, 50)
    ]
    assert len(learners_of(sessions, institution_id)) == 50


def test_the_same_learner_in_two_institutions_is_two_members(
    sessions,
    active_institution,
    roster,
    new_job,
    run_job,
):
    first, _ = active_institution()
    second, _ = active_institution()

    run_job(new_job(first, roster(5)))
    run_job(new_job(second, roster(5)))

    assert len(learners_of(sessions, first)) == 5
    assert len(learners_of(sessions, second)) == 5


def test_claiming_takes_a_queued_job_and_respects_a_live_lease(
    sessions,
    active_institution,
    roster,
    new_job,
):
    institution_id, _ = active_institution()
    job_id = new_job(institution_id, roster(3))

    with sessions.begin() as session:
        claimed = roster_jobs.claim_roster_job(session, LEASE, now=utcnow())
        assert claimed.id == job_id
    assert job_state(sessions, job_id).status == "running"

    with sessions.begin() as session:
        assert roster_jobs.claim_roster_job(session, LEASE, now=utcnow()) is None


def test_a_finished_job_is_not_claimed_again(
    sessions,
    active_institution,
    roster,
    new_job,
    run_job,
):
    institution_id, _ = active_institution()
    job_id = new_job(institution_id, roster(3))
    with sessions.begin() as session:
        roster_jobs.claim_roster_job(session, LEASE, now=utcnow())
    run_job(job_id)
    with sessions.begin() as session:
        session.execute(
            update(RosterJob).values(lease_until=utcnow() - timedelta(hours=1))
        )

    with sessions.begin() as session:
        assert roster_jobs.claim_roster_job(session, LEASE, now=utcnow()) is None


def test_a_job_resumed_after_a_crash_imports_every_learner_exactly_once(
    sessions,
    active_institution,
    roster,
    new_job,
    run_job,
):
    institution_id, _ = active_institution()
    job_id = new_job(institution_id, roster(2500))

    # worker 1 claims the job and commits the first batch ...
    with sessions.begin() as session:
        assert roster_jobs.claim_roster_job(session, LEASE, now=utcnow()).id == job_id
    with sessions.begin() as session:
        first = roster_jobs.import_next_batch(session, job_id, LEASE, now=utcnow())
    # ... then dies in the middle of the second batch: nothing of it commits
    session = sessions()
    session.begin()
    roster_jobs.import_next_batch(session, job_id, LEASE, now=utcnow())
    session.rollback()
    session.close()
    # its lease runs out
    with sessions.begin() as session:
        session.execute(
            update(RosterJob)
            .where(RosterJob.id == job_id)
            .values(lease_until=utcnow() - timedelta(seconds=1))
        )

    # worker 2 claims the abandoned job and finishes it
    with sessions.begin() as session:
        again = roster_jobs.claim_roster_job(session, LEASE, now=utcnow())
        assert again.id == job_id
    rest = run_job(job_id)

    emails = [lr["email"] for b in [first, *rest] for lr in b.learners]
    assert emails == [f"learner{i:06d}@school.fr" for i in range(2500)]
    job = job_state(sessions, job_id)
    assert (job.status, job.rows_read, job.imported, job.duplicates) == (
        "done",
        2500,
        2500,
        0,
    )
    members = learners_of(sessions, institution_id)
    assert len(members) == len({m.email for m in members}) == 2500
    with sessions() as session:
        assert invitations(session) == 2500 + 1


def test_a_class_sized_roster_is_imported_with_its_upload(sessions, active_institution):
    """A roster of one batch at most is done when the upload is answered: counts,
    errors with their line, learners and invitations, in the upload's transaction."""
    institution_id, _ = active_institution()
    lines = ["email;first_name;last_name;cohort"]
    lines += [f"l{n}@etu.fr;P{n};N{n};G1" for n in range(30)]
    lines += ["l3@etu.fr;Twin;N3;G1",  # line 32: a duplicate
              "not-an-email;P;N;G1",  # line 33
              "long@etu.fr;" + "x" * 200_000 + ";N;G1"]  # line 34: beyond csv's limit
    with sessions.begin() as session:
        job, batch = roster_jobs.start_roster_job(
            session, institution_id, "\ufeff" + "\r\n".join(lines), "r.csv", LEASE,
                now=utcnow())
        job_id = job.id
    assert batch.done and len(batch.learners) == len(batch.invites) == 30
    state = job_state(sessions, job_id)
    assert (state.status, state.rows_read, state.imported, state.duplicates,
            state.rejected) == ("done", 33, 30, 1, 2)
    assert [(e["line"], e["column"]) for e in state.errors] == [
        (33, "email"), (34, "first_name")]
    assert len(learners_of(sessions, institution_id)) == 30
    with sessions() as session:
        assert invitations(session) == 31
        assert session.get(RosterJob, job_id).content == ""  # the file is not kept


@pytest.mark.parametrize("rows, inline", [(999, True), (1000, False), (1001, False)])
def test_a_roster_of_a_batch_or_more_is_queued(
    sessions, active_institution, roster, rows, inline
):
    """Only a file the first batch finishes is imported inline: a job left running
    with its lease and no work message would wait for the lease to run out."""
    institution_id, _ = active_institution()
    with sessions.begin() as session:
        job, batch = roster_jobs.start_roster_job(
            session, institution_id, roster(rows), "r.csv", LEASE, now=utcnow())
        job_id = job.id
    state = job_state(sessions, job_id)
    if inline:
        assert batch.done and (state.status, state.imported) == ("done", rows)
    else:
        assert batch is None and (state.status, state.lease_until) == ("queued", None)
        assert learners_of(sessions, institution_id) == []


def test_a_file_with_nul_characters_is_refused_at_once(sessions, active_institution):
    """UTF-16 or a spreadsheet's binary format: no row of it could be stored."""
    institution_id, _ = active_institution()
    content = "email,first_name,last_name,cohort\r\na\x00@b.fr,A,B,C\r\n"
    with pytest.raises(RosterFormatError, match="NUL"), sessions.begin() as session:
        roster_jobs.start_roster_job(session, institution_id, content, "r.csv", LEASE,
                                     now=utcnow())
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(RosterJob)) == 0


def test_an_over_long_external_id_refuses_its_row_only(sessions, active_institution):
    """A OneRoster sourcedId longer than the column would have failed the batch."""
    institution_id, _ = active_institution()
    content = "\r\n".join([
        "sourcedId,role,givenName,familyName,email,grades",
        "s-1,student,Ana,Lopez,ana@etu.fr,3A",
        "s-" + "9" * 200 + ",student,Bo,Li,bo@etu.fr,3A",
        "s-3,student,Cy,Ma,cy@etu.fr,3A"])
    with sessions.begin() as session:
        job, _ = roster_jobs.start_roster_job(
            session, institution_id, content, "u.csv", LEASE, now=utcnow())
        job_id = job.id
    state = job_state(sessions, job_id)
    assert (state.status, state.imported, state.rejected) == ("done", 2, 1)
    assert state.errors[0]["line"] == 3 and state.errors[0]["column"] == "external_id"


def test_a_big_file_is_imported_in_parts_side_by_side_as_one_job(
    sessions, active_institution, monkeypatch,
):
    """Past PART_ROWS rows a file is cut into parts any worker may import beside the
    others; its uploader still sees one job, with the file's line numbers."""
    monkeypatch.setattr(roster_jobs, "PART_ROWS", 1200)
    institution_id, _ = active_institution()
    lines = ["email;first_name;last_name;cohort"]
    for n in range(3000):
        if n == 1199:  # a quoted field over two lines, astride the first cut
            lines.append(f'l{n}@school.fr;"Anne\nMarie";N{n};G1')
        elif n in (5, 1500, 2999):
            lines.append(f"not-an-address-{n};P{n};N{n};G1")
        elif n == 2600:
            lines.append("l10@school.fr;Twin;N;G1")  # the same learner as row 10
        else:
            lines.append(f"l{n}@school.fr;P{n};N{n};G1")
    content = "\ufeff" + "\r\n".join(lines) + "\r\n"
    with sessions.begin() as session:
        job, batch = roster_jobs.start_roster_job(
            session, institution_id, content, "big.csv", LEASE, now=utcnow())
        job_id = job.id
    assert batch is None
    with sessions() as session:
        parts = [p.id for p in roster_jobs.parts_of(session, job_id)]
    assert len(parts) == 2

    def state():
        with sessions() as session:
            return roster_jobs.get_roster_job(session, institution_id, job_id)

    # the last part first, then the file's own: any order gives the same result
    announced = set()
    for part in (parts[1], job_id):
        with sessions.begin() as session:
            assert roster_jobs.claim_roster_job(session, LEASE, part,
                                                now=utcnow()).id == part
        while True:
            with sessions.begin() as session:
                batch = roster_jobs.import_next_batch(
                    session, part, LEASE, now=utcnow())
            announced.add(batch.job_id)
            if batch.done:
                break
    assert announced == {job_id}  # learners of every part are the file's
    halfway = state()
    assert halfway.status == "running"
    assert halfway.rows_read == 3000 - 1200
    with sessions.begin() as session:
        roster_jobs.claim_roster_job(session, LEASE, parts[0], now=utcnow())
    while True:
        with sessions.begin() as session:
            if roster_jobs.import_next_batch(
                    session, parts[0], LEASE, now=utcnow()).done:
                break

    done = state()
    assert (done.status, done.rows_read, done.imported, done.duplicates,
            done.rejected) == ("done", 3000, 2996, 1, 3)
    # the file's own line numbers (header on line 1, the two-line field pushes one)
    assert [(e["line"], e["column"]) for e in done.errors] == [
        (7, "email"), (1503, "email"), (3002, "email")]
    assert done.finished_at is not None
    members = learners_of(sessions, institution_id)
    assert len(members) == len({m.email for m in members}) == 2996
    assert {m.import_job_id for m in members} == {job_id}
    assert {m.first_name for m in members if m.email == "l1199@school.fr"} == {
        "Anne\nMarie"}
    with sessions() as session:
        assert invitations(session) == 2996 + 1


def test_a_big_unquoted_file_is_cut_at_its_lines_and_keeps_their_numbers(
    sessions, active_institution, monkeypatch,
):
    """A file with no quoted field is cut by its lines (blank ones are no rows): each
    learner imported once, each error at the line the uploader sees in the file."""
    monkeypatch.setattr(roster_jobs, "PART_ROWS", 1000)
    institution_id, _ = active_institution()
    lines = ["email,first_name,last_name,cohort"]
    for n in range(2500):
        if n in (999, 1000, 1001):
            lines.append(" , ,")  # blank rows around the first cut
        if n in (0, 1000, 2499):
            lines.append(f"not-an-address-{n},P{n},N{n},G1")
        else:
            lines.append(f"l{n}@school.fr,P{n},N{n},G1")
    with sessions.begin() as session:
        job, _ = roster_jobs.start_roster_job(
            session, institution_id, "\n".join(lines), "big.csv", LEASE, now=utcnow())
        job_id = job.id
    with sessions() as session:
        parts = [job_id, *(p.id for p in roster_jobs.parts_of(session, job_id))]
    assert len(parts) == 3
    for part in parts:
        with sessions.begin() as session:
            roster_jobs.claim_roster_job(session, LEASE, part, now=utcnow())
        while True:
            with sessions.begin() as session:
                if roster_jobs.import_next_batch(
                        session, part, LEASE, now=utcnow()).done:
                    break

    with sessions() as session:
        done = roster_jobs.get_roster_job(session, institution_id, job_id)
    assert (done.status, done.rows_read, done.imported, done.rejected) == (
        "done", 2500, 2497, 3)
    assert [e["line"] for e in done.errors] == [2, 1004, 2504]
    members = learners_of(sessions, institution_id)
    assert len(members) == len({m.email for m in members}) == 2497
