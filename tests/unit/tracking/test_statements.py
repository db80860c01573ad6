"""xAPI statements as progress (decision 0059): which statements are learning facts of
the catalogue, whose, and that each counts once, as the API's records do, whichever
door it came through and however often it arrives."""

from __future__ import annotations

import uuid

import pytest
from nameko.testing.services import worker_factory
from prometheus_client import REGISTRY
from sqlalchemy import func, select

from services.common.contracts import envelope, read_event, serialize
from services.common.db import utcnow
from services.common.ids import new_id
from services.lrs.contracts.events import STATEMENT_STORED_V1, STATEMENTS_STORED_V1
from services.tracking import monitoring, statements
from services.tracking.models import Progress, applied_events_table
from services.tracking.models import outbox_table as tracking_outbox
from services.tracking.service import TrackingService
from services.tracking.statements import (
    COMPLETED,
    EXPERIENCED,
    FAILED,
    PASSED,
    Claim,
    Skipped,
    chapter_iri,
    claim_of,
    course_iri,
)
from tests.support.db import count
from tests.support.outbox import table_outbox

from .conftest import INSTITUTION

SITE = "https://continuity.example.org"
ADL_ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
OTHER = "inst-2"


def said(verb: str, iri: str, actor: dict | None = None, **extra) -> dict:
    return {"id": str(uuid.uuid4()),
            "actor": actor or {"mbox": "mailto:leo@lycee.fr"},
            "verb": {"id": verb}, "object": {"id": iri},
            "authority": client_authority(), **extra}


def account(name: str, home: str = SITE) -> dict:
    return {"account": {"homePage": home, "name": name}}


def client_authority() -> dict:
    return {"objectType": "Agent", "name": "Course player",
            **account("lrs-client:7")}


def learner_authority(learner_id: str) -> dict:
    return {"objectType": "Agent", "name": "Continuity", **account(learner_id)}


def scaled(value: float) -> dict:
    return {"result": {"score": {"scaled": value}}}


# -- the mapping of one statement (no database) ---------------------------------------
@pytest.mark.parametrize("verb", [COMPLETED, PASSED, EXPERIENCED])
def test_completing_passing_or_experiencing_a_chapter_is_the_chapter_done(verb):
    claim = claim_of(said(verb, chapter_iri(SITE, "sql", "sql-ch1")), SITE)
    assert isinstance(claim, Claim)
    assert claim.actor == ("mbox", "leo@lycee.fr") and claim.sender == statements.CLIENT
    assert claim.request == {"course_id": "sql", "kind": "chapter_completed",
                             "chapter_id": "sql-ch1"}


def test_completing_a_course_and_passing_or_failing_its_quiz():
    done = claim_of(said(COMPLETED, course_iri(SITE, "sql")), SITE)
    assert done.request == {"course_id": "sql", "kind": "course_completed"}
    passed = claim_of(said(PASSED, course_iri(SITE, "sql"), **scaled(0.856)), SITE)
    assert passed.request == {"course_id": "sql", "kind": "quiz_submitted",
                              "score": 86}
    raw = {"result": {"score": {"raw": 14, "min": 0, "max": 20}}}
    failed = claim_of(said(FAILED, course_iri(SITE, "sql"), **raw), SITE)
    assert failed.request["score"] == 70
    negative = claim_of(said(FAILED, course_iri(SITE, "sql"), **scaled(-0.5)), SITE)
    assert negative.request["score"] == 0


@pytest.mark.parametrize("statement, reason", [
    (said("http://adlnet.gov/expapi/verbs/attempted", course_iri(SITE, "sql")), "verb"),
    (said(FAILED, chapter_iri(SITE, "sql", "sql-ch1")), "verb"),
    (said(EXPERIENCED, course_iri(SITE, "sql")), "verb"),
    (said(PASSED, course_iri(SITE, "sql")), "no_score"),
    (said(COMPLETED, "https://courses.example.org/sql"), "object"),
    (said(COMPLETED, course_iri("https://elsewhere.example.org", "sql")), "object"),
    (said(COMPLETED, course_iri(SITE, "sql") + "/"), "object"),
    (said(COMPLETED, course_iri(SITE, "sql") + "?x=1"), "object"),
    (said(COMPLETED, course_iri(SITE, "sql") + "/quiz"), "object"),
    ({**said(COMPLETED, course_iri(SITE, "sql")),
      "object": {"objectType": "StatementRef", "id": str(uuid.uuid4())}}, "object"),
    (said(COMPLETED, course_iri(SITE, "sql"), actor={
        "objectType": "Group", "member": [{"mbox": "mailto:leo@lycee.fr"}],
        "mbox": "mailto:class@lycee.fr"}), "actor"),
    (said(COMPLETED, course_iri(SITE, "sql"),
          actor=account("leo", "https://lms.example.org")), "actor"),
    (said(COMPLETED, course_iri(SITE, "sql"),
          actor={"mbox_sha1sum": "a" * 40}), "actor"),
])
def test_other_statements_claim_nothing(statement, reason):
    assert claim_of(statement, SITE) == Skipped(reason)


def test_the_learner_whose_token_stored_a_statement_is_its_sender():
    mine = said(COMPLETED, course_iri(SITE, "sql"), actor=account("leo"),
                authority=learner_authority("leo"))
    claim = claim_of(mine, SITE)
    assert claim.actor == ("account", "leo") and claim.sender == "leo"
    assert claim_of(said(COMPLETED, course_iri(SITE, "sql")), SITE).sender == (
        statements.CLIENT)


def test_the_progress_id_is_the_statement_s_within_its_institution():
    sid = str(uuid.uuid4())
    ours = statements.progress_id(INSTITUTION, sid.upper())
    assert ours.startswith(f"xapi:{sid}:") and len(ours) <= 64
    assert ours == statements.progress_id(INSTITUTION, sid)
    assert ours != statements.progress_id(OTHER, sid)


# -- a batch through the gate ---------------------------------------------------------
@pytest.fixture
def school(seated):
    """``leo`` seated at INSTITUTION; a course ``sql`` of two chapters, two skills
    and a final quiz (pass mark 60); ``ana`` seated at another institution."""
    seated.course("sql", chapters=2, skills=("sql-joins", "sql-indexes"),
                  pass_mark=60)
    seated.licence(OTHER)
    seated.learners("ana", institution_id=OTHER)
    return seated


def credit(tracking, *items, now=None):
    with tracking.sessions.begin() as session:
        return statements.credit(session, list(items), SITE, now or tracking.t0)


def course_state(tracking, learner_id="leo"):
    with tracking.sessions() as session:
        return monitoring.my_course(session, learner_id, "sql")


def test_a_chapter_done_by_statement_is_done_once_however_often_it_comes(school):
    chapter = said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch1"))
    first = credit(school, (INSTITUTION, chapter))
    assert first.counts() == {("recorded", ""): 1}
    assert first.announced.recorded[0]["chapter_id"] == "sql-ch1"
    again = credit(school, (INSTITUTION, chapter))  # the event delivered again
    assert again.counts() == {("duplicate", ""): 1} and again.announced.recorded == []

    # the same fact under a new statement id, and through the API's door
    anew = credit(school, (INSTITUTION, {**chapter, "id": str(uuid.uuid4())}))
    school.chapter("leo", "sql", 1, id="api-record-1")
    assert anew.counts() == {("recorded", ""): 1}
    assert course_state(school)["chapters_done"] == ["sql-ch1"]
    progress = school.progress("leo")["sql"]
    assert progress["chapters_done"] == 1 and progress["completed_at"] is None


def test_statements_complete_a_course_and_its_skills_once(school):
    school.chapter("leo", "sql", 1)  # through the API
    done = credit(school,
                  (INSTITUTION, said(EXPERIENCED, chapter_iri(SITE, "sql", "sql-ch2"))),
                  (INSTITUTION, said(PASSED, course_iri(SITE, "sql"), **scaled(0.75))))
    assert done.counts() == {("recorded", ""): 2}
    assert [c["course_id"] for c in done.announced.completed] == ["sql"]
    assert {s["skill_id"] for s in done.announced.skills} == {"sql-joins",
                                                               "sql-indexes"}
    # passing again, by either door, completes nothing more
    again = credit(school, (INSTITUTION, said(PASSED, course_iri(SITE, "sql"),
                                              **scaled(0.9))))
    school.quiz("leo", "sql", 95)
    assert again.announced.completed == [] and again.announced.skills == []
    assert sorted(s["skill_id"] for s in school.skills("leo")) == [
        "sql-indexes", "sql-joins"]
    board = school.dashboard()
    assert board["totals"]["courses_completed"] == 1
    assert board["totals"]["skills_acquired"] == 2


def test_a_failed_quiz_never_completes_the_course(school):
    for n in (1, 2):
        school.chapter("leo", "sql", n)
    low = credit(school, (INSTITUTION, said(FAILED, course_iri(SITE, "sql"),
                                            **scaled(0.4))))
    assert low.counts() == {("recorded", ""): 1}
    high = credit(school, (INSTITUTION, said(FAILED, course_iri(SITE, "sql"),
                                             **scaled(0.9))))
    assert high.counts() == {("refused", "failed_at_pass_mark"): 1}
    state = course_state(school)
    assert state["best_score"] == 40 and state["completed_at"] is None


def test_the_learner_is_found_within_the_statement_s_institution_only(school):
    by_account = said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch1"),
                      actor=account("leo"))
    by_mail = said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch2"),
                   actor={"mbox": "mailto:LEO@Lycee.fr"})
    # another institution's client names our learner: nobody there
    theirs = credit(school, (OTHER, by_account), (OTHER, by_mail))
    assert theirs.counts() == {("refused", "unknown_learner"): 2}
    assert count(school.sessions, Progress) == 0
    ours = credit(school, (INSTITUTION, by_account), (INSTITUTION, by_mail))
    assert ours.counts() == {("recorded", ""): 2}
    assert course_state(school)["chapters_done"] == ["sql-ch1", "sql-ch2"]


def test_a_learner_s_token_credits_that_learner_only(school):
    school.learners("mia")
    about_mia = said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch1"),
                     actor=account("mia"), authority=learner_authority("leo"))
    about_self = said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch1"),
                      actor={"mbox": "mailto:leo@lycee.fr"},
                      authority=learner_authority("leo"))
    # an authority the gateway never writes (another PUBLIC_URL, none): nobody's
    unknown = [said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch2"),
                    authority=authority)
               for authority in ({"objectType": "Agent", **account(
                   "lrs-client:7", "https://elsewhere.example.org")}, None)]
    done = credit(school, (INSTITUTION, about_mia), (INSTITUTION, about_self),
                  *((INSTITUTION, u) for u in unknown))
    assert done.counts() == {("refused", "not_the_sender"): 1, ("recorded", ""): 1,
                             ("refused", "unknown_authority"): 2}
    assert course_state(school, "mia")["chapters_done"] == []
    assert course_state(school, "leo")["chapters_done"] == ["sql-ch1"]


def test_refused_facts_record_nothing_and_say_why(school):
    school.learners("zoe", seated=False)
    school.course("draft", chapters=1, status="draft")
    done = credit(
        school,
        (INSTITUTION, said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch1"),
                           actor={"mbox": "mailto:zoe@lycee.fr"})),
        (INSTITUTION, said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch9"))),
        (INSTITUTION, said(COMPLETED, course_iri(SITE, "draft"))),
        (INSTITUTION, said(COMPLETED, course_iri(SITE, "x" * 200))),
        (INSTITUTION, said(COMPLETED, course_iri(SITE, "sql"),
                           actor={"mbox": "mailto:teacher@lycee.fr"})),
        (INSTITUTION, said("http://adlnet.gov/expapi/verbs/voided",
                           course_iri(SITE, "sql"))),
    )
    assert done.counts() == {
        ("refused", "no_seat"): 1, ("refused", "unknown_chapter"): 1,
        ("refused", "unknown_course"): 2, ("refused", "unknown_learner"): 1,
        ("ignored", "verb"): 1}
    assert count(school.sessions, Progress) == 0


def test_an_expired_licence_refuses_a_statement_like_a_record(tracking):
    tracking.licence(status="expired")
    tracking.course("sql")
    tracking.learners("leo")
    done = credit(tracking, (INSTITUTION, said(
        COMPLETED, chapter_iri(SITE, "sql", "sql-ch1"))))
    assert done.counts() == {("refused", "licence_expired"): 1}


# -- the consumer, with envelopes as the broker gives them ----------------------------
@pytest.fixture
def service(sessions):
    return worker_factory(
        TrackingService, db=sessions, clock=utcnow, config={"PUBLIC_URL": SITE},
        outbox=table_outbox(tracking_outbox))


def stored(statement: dict, institution_id: str = INSTITUTION, event_id=None):
    """A statement.stored.v1, as the lrs of the release before publishes it."""
    data = {"statement_id": statement["id"], "institution_id": institution_id,
            "stored": utcnow(), "statement": statement}
    body = envelope(STATEMENT_STORED_V1,
                    serialize(STATEMENT_STORED_V1, data), None, event_id or new_id())
    return read_event(STATEMENT_STORED_V1, body, "tracking.on_lrs_statement_stored")


def stored_together(*statements: dict, institution_id: str = INSTITUTION):
    """A statements.stored.v1: one store transaction's statements (decision 0064)."""
    data = {"institution_id": institution_id, "stored": utcnow(),
            "statements": list(statements)}
    body = envelope(STATEMENTS_STORED_V1,
                    serialize(STATEMENTS_STORED_V1, data), None, new_id())
    return read_event(STATEMENTS_STORED_V1, body, "tracking.on_lrs_statements_stored")


def rows(sessions, table) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(table))


def announced_types(sessions) -> list[str]:
    with sessions() as session:
        return session.scalars(select(tracking_outbox.c.topic)).all()


def mapped() -> dict[tuple[str, str], float]:
    """continuity_statements_mapped_total by (outcome, reason), as Grafana reads it."""
    return {(s.labels["outcome"], s.labels["reason"]): s.value
            for metric in REGISTRY.collect()
            if metric.name == "continuity_statements_mapped"
            for s in metric.samples if s.name.endswith("_total")}


def grown(before: dict, after: dict) -> dict[tuple[str, str], float]:
    return {key: n - before.get(key, 0) for key, n in after.items()
            if n != before.get(key, 0)}


def test_the_consumer_records_facts_once_and_leaves_no_trace_of_the_others(
        school, service, sessions):
    """The previous release's event, one statement each: still credited, kept for
    the lrs processes of that release during a rolling upgrade (decision 0064)."""
    fact = stored(said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch1")))
    chatter = [stored(said(ADL_ATTEMPTED, course_iri(SITE, "sql"))),
               stored(said(COMPLETED, "https://elsewhere.example.org/a"))]
    service.on_lrs_statement_stored([fact, *chatter])
    service.on_lrs_statement_stored([fact])  # delivered again
    assert course_state(school)["chapters_done"] == ["sql-ch1"]
    assert rows(sessions, Progress.__table__) == 1
    # one dedupe row, the fact's; one progress.recorded.v1
    assert rows(sessions, applied_events_table) == 1
    assert announced_types(sessions) == ["progress.recorded.v1"]
    service.on_lrs_statement_stored(chatter)  # nothing to do: no transaction at all
    assert rows(sessions, applied_events_table) == 1


def test_a_stored_batch_credits_each_fact_once_and_counts_the_chatter(
        school, service, sessions):
    school.chapter("leo", "sql", 1)  # through the API: the statement adds nothing
    facts = [said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch1")),
             said(EXPERIENCED, chapter_iri(SITE, "sql", "sql-ch2")),
             said(PASSED, course_iri(SITE, "sql"), **scaled(0.8))]
    chatter = [said(ADL_ATTEMPTED, course_iri(SITE, "sql")),
               said("http://adlnet.gov/expapi/verbs/answered",
                    chapter_iri(SITE, "sql", "sql-ch1")),
               said(COMPLETED, "https://elsewhere.example.org/a")]
    batch = stored_together(chatter[0], facts[0], chatter[1], facts[1], facts[2],
                            chatter[2])
    before = mapped()
    service.on_lrs_statements_stored([batch])
    assert grown(before, mapped()) == {("recorded", ""): 3, ("ignored", "verb"): 2,
                                       ("ignored", "object"): 1}
    state = course_state(school)
    assert state["chapters_done"] == ["sql-ch1", "sql-ch2"]
    assert state["best_score"] == 80
    assert state["completed_at"] is not None
    board = school.dashboard()["totals"]
    assert board["courses_completed"] == 1 and board["skills_acquired"] == 2
    assert rows(sessions, Progress.__table__) == 4  # the API's record and the three
    assert rows(sessions, applied_events_table) == 1  # the batch's, once
    assert sorted(announced_types(sessions)) == [
        "course.completed.v1", *["progress.recorded.v1"] * 3,
        *["skill.acquired.v1"] * 2]

    # the same event delivered again, alone and twice in one consumer batch
    before = mapped()
    service.on_lrs_statements_stored([batch])
    service.on_lrs_statements_stored([batch, batch])
    assert grown(before, mapped()) == {("ignored", "verb"): 6,
                                       ("ignored", "object"): 3}
    assert rows(sessions, Progress.__table__) == 4
    assert len(announced_types(sessions)) == 6
    assert school.dashboard()["totals"]["skills_acquired"] == 2


def test_a_statement_in_two_stored_batches_is_credited_once(school, service, sessions):
    """Resent by a client through the other door, or replayed from the lrs's outbox
    beside the previous release's event: its id is its progress record's."""
    first = said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch1"))
    second = said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch2"))
    one = stored_together(first, said(ADL_ATTEMPTED, course_iri(SITE, "sql")))
    other = stored_together(first, second)
    service.on_lrs_statements_stored([one])
    before = mapped()
    service.on_lrs_statements_stored([other])
    assert grown(before, mapped()) == {("duplicate", ""): 1, ("recorded", ""): 1}
    # two such events in one consumer batch, and the release before's event
    done = said(COMPLETED, course_iri(SITE, "sql"))
    service.on_lrs_statements_stored([stored_together(done), stored_together(done)])
    service.on_lrs_statement_stored([stored(done), stored(first)])
    assert course_state(school)["chapters_done"] == ["sql-ch1", "sql-ch2"]
    assert rows(sessions, Progress.__table__) == 3
    assert announced_types(sessions).count("progress.recorded.v1") == 3
    assert school.progress("leo")["sql"]["chapters_done"] == 2


def test_a_stored_batch_without_a_fact_of_the_catalogue_leaves_no_trace(
        school, service, sessions):
    chatter = stored_together(
        said(ADL_ATTEMPTED, course_iri(SITE, "sql")),
        said(COMPLETED, "https://elsewhere.example.org/a"),
        said(FAILED, chapter_iri(SITE, "sql", "sql-ch1")))
    service.on_lrs_statements_stored([chatter, chatter])
    assert rows(sessions, applied_events_table) == 0
    assert rows(sessions, Progress.__table__) == 0 and announced_types(sessions) == []


def test_a_stored_batch_refused_for_one_learner_credits_the_others(
        school, service, sessions):
    school.learners("zoe", seated=False)
    batch = stored_together(
        said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch1"),
             actor={"mbox": "mailto:zoe@lycee.fr"}),
        said(COMPLETED, chapter_iri(SITE, "sql", "sql-ch1")))
    before = mapped()
    service.on_lrs_statements_stored([batch])
    assert grown(before, mapped()) == {("refused", "no_seat"): 1, ("recorded", ""): 1}
    assert course_state(school)["chapters_done"] == ["sql-ch1"]
    assert course_state(school, "zoe")["chapters_done"] == []
