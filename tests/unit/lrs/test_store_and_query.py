"""The lrs service through its RPCs, on SQLite and PostgreSQL: storing batches
(idempotent on statement id), voiding, getting one, and queries paged by keyset."""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from services.common.contracts import read_event
from services.common.db import utcnow
from services.lrs import attachments
from services.lrs.contracts.errors import Conflict, Invalid, NotFound
from services.lrs.contracts.events import STATEMENTS_STORED_V1
from services.lrs.models import Attachment, Base, outbox_table
from services.lrs.service import LrsService
from tests.support.outbox import table_outbox

INSTITUTION = "inst-1"
AUTHORITY = {"objectType": "Agent",
             "account": {"homePage": "https://lrs.example.org", "name": "client-1"}}
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


class Clock:
    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        self.now += timedelta(milliseconds=5)
        return self.now


@pytest.fixture
def lrs(make_sessions):
    return worker_factory(LrsService, db=make_sessions(Base.metadata), clock=Clock(),
                          outbox=table_outbox(outbox_table))


def statement(n: int = 0, *, verb: str = COMPLETED, who: str = "jo", **extra) -> dict:
    return {"id": str(uuid.uuid4()), "actor": {"mbox": f"mailto:{who}@example.org"},
            "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
            "object": {"id": f"https://courses.example.org/c/{n}"}, **extra}


def void(target_id: str) -> dict:
    return statement(verb=VOIDED, object={"objectType": "StatementRef",
                                          "id": target_id})


def store(lrs, statements, institution=INSTITUTION, owner="client:1") -> list[str]:
    return lrs.store_statements({"institution_id": institution, "authority": AUTHORITY,
                                 "owner": owner, "statements": statements})["ids"]


def get(lrs, statement_id, voided=False, institution=INSTITUTION, **more) -> dict:
    return lrs.get_statement({"institution_id": institution,
                              "statement_id": statement_id, "voided": voided,
                              **more})["statement"]


def query(lrs, institution=INSTITUTION, **filters) -> dict:
    return lrs.query_statements({"institution_id": institution, **filters})


def events(lrs) -> list[dict]:
    """The data of the events the lrs wrote in its outbox, in order: every one a
    statements.stored.v1 (decision 0064)."""
    with lrs.db() as session:
        rows = session.execute(select(outbox_table.c.topic, outbox_table.c.body)
                               .order_by(outbox_table.c.seq)).all()
    assert {topic for topic, _ in rows} <= {"statements.stored.v1"}
    return [read_event(STATEMENTS_STORED_V1, body, "test").data for _, body in rows]


def announced(lrs) -> list[str]:
    return [s["id"] for event in events(lrs) for s in event["statements"]]


# -- storing --------------------------------------------------------------------------
def test_stored_statement_gets_stored_authority_version_and_timestamp(lrs):
    sent = statement()
    [ident] = store(lrs, [sent])
    got = get(lrs, ident)
    assert got["id"] == sent["id"] and got["authority"] == AUTHORITY
    assert got["version"] == "1.0.0" and got["timestamp"] == got["stored"]
    assert got["stored"].endswith("Z")
    assert announced(lrs) == [ident]


def test_a_stored_batch_is_announced_in_one_event_with_its_statements_as_stored(lrs):
    batch = [statement(n) for n in range(3)]
    store(lrs, batch)
    [event] = events(lrs)
    assert event["institution_id"] == INSTITUTION
    assert [s["id"] for s in event["statements"]] == [s["id"] for s in batch]
    assert event["statements"][0] == get(lrs, batch[0]["id"])
    assert {s["stored"] for s in event["statements"]} == {
        event["stored"].isoformat(timespec="milliseconds").replace("+00:00", "Z")}
    store(lrs, batch)  # resent: nothing new, no event
    assert len(events(lrs)) == 1


def test_statement_without_id_gets_a_uuid(lrs):
    sent = statement()
    del sent["id"]
    [ident] = store(lrs, [sent])
    assert uuid.UUID(ident) and get(lrs, ident)["verb"]["id"] == COMPLETED


def test_statement_id_resent_with_same_content_is_a_no_op(lrs):
    sent = statement(timestamp="2026-12-07T10:00:00+01:00")
    store(lrs, [sent])
    again = {**sent, "id": sent["id"].upper(), "timestamp": "2026-12-07T09:00:00Z"}
    assert store(lrs, [again, statement(1)])[0] == sent["id"]
    assert len(query(lrs)["statements"]) == 2
    assert len(announced(lrs)) == 2  # the resend announced nothing


def test_statement_id_immutable_other_content_is_a_conflict_storing_nothing(lrs):
    sent = statement()
    store(lrs, [sent])
    newcomer = statement(1)
    with pytest.raises(Conflict) as refused:
        store(lrs, [newcomer, {**sent, "object": {"id": "urn:x:other"}}])
    assert refused.value.violations == [{
        "path": "[1].id", "rule": "statement.id-immutable",
        "detail": f"statement {sent['id']} is stored already with other content"}]
    with pytest.raises(NotFound):
        get(lrs, newcomer["id"])


def test_invalid_statement_refused_naming_the_rule(lrs):
    with pytest.raises(Invalid) as refused:
        store(lrs, [statement(), statement(actor={"mbox": "jo@example.org"})])
    assert refused.value.violations[0]["rule"] == "agent.mbox-mailto"
    assert refused.value.violations[0]["path"] == "[1].actor.mbox"
    assert query(lrs)["statements"] == []


def test_statement_ids_are_per_institution(lrs):
    sent = statement()
    store(lrs, [sent])
    store(lrs, [{**sent, "object": {"id": "urn:x:elsewhere"}}], institution="inst-2")
    assert get(lrs, sent["id"])["object"]["id"].startswith("https://courses")
    with pytest.raises(NotFound):
        get(lrs, statement()["id"], institution="inst-2")
    assert len(query(lrs, institution="inst-2")["statements"]) == 1


# -- voiding --------------------------------------------------------------------------
def test_voided_statement_only_reachable_by_voided_statement_id(lrs):
    target = statement()
    store(lrs, [target, statement(1)])
    voiding = void(target["id"])
    store(lrs, [voiding])
    with pytest.raises(NotFound) as refused:
        get(lrs, target["id"])
    assert refused.value.violations[0]["rule"] == "statement.not-found"
    assert get(lrs, target["id"], voided=True)["id"] == target["id"]
    ids = [s["id"] for s in query(lrs)["statements"]]
    assert target["id"] not in ids and voiding["id"] in ids


def test_voided_statement_id_of_a_statement_not_voided_is_not_found(lrs):
    [ident] = store(lrs, [statement()])
    with pytest.raises(NotFound):
        get(lrs, ident, voided=True)


def test_voiding_target_not_voiding(lrs):
    first = void(str(uuid.uuid4()))
    store(lrs, [first])
    with pytest.raises(Invalid) as refused:
        store(lrs, [void(first["id"])])
    assert refused.value.violations[0]["rule"] == "voiding.target-not-voiding"
    assert get(lrs, first["id"])["id"] == first["id"]


def test_voiding_a_statement_that_arrives_later_voids_it_on_arrival(lrs):
    target = statement()
    store(lrs, [void(target["id"])])
    store(lrs, [target])
    assert get(lrs, target["id"], voided=True)["id"] == target["id"]


def test_a_batch_voids_on_arrival_those_an_earlier_statement_voided(lrs):
    # 60 statements: the ids go in by the plain insert of a large batch
    batch = [statement(n) for n in range(60)]
    voided_early = [batch[0], batch[59]]
    store(lrs, [void(s["id"]) for s in voided_early])
    store(lrs, batch)
    for target in voided_early:
        with pytest.raises(NotFound):
            get(lrs, target["id"])
        assert get(lrs, target["id"], voided=True)["id"] == target["id"]
    assert get(lrs, batch[1]["id"])["id"] == batch[1]["id"]
    assert len(query(lrs, limit=100)["statements"]) == 60  # 58 left, 2 voiding


# -- the bound on a store's time ------------------------------------------------------
def postgresql_only(lrs):
    if lrs.db.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite has no statement timeout")


def statement_timeout(lrs) -> str:
    with lrs.db.begin() as session:
        return session.connection().exec_driver_sql("SHOW statement_timeout").scalar()


def test_a_store_waits_no_longer_than_its_bound(lrs, monkeypatch):
    postgresql_only(lrs)
    monkeypatch.setattr("services.lrs.service.STATEMENT_TIMEOUT_MS", 300)
    sent = statement()
    # another transaction holds the same id, neither committed nor rolled back
    with lrs.db.begin() as other:
        other.connection().exec_driver_sql(
            "INSERT INTO statement_ids (institution_id, id, stored) "
            f"VALUES ('{INSTITUTION}', '{sent['id']}', now())")
        with pytest.raises(OperationalError, match="statement timeout"):
            store(lrs, [sent])
        other.rollback()
    assert statement_timeout(lrs) == "0"  # the next transaction is not bounded
    assert store(lrs, [sent]) == [sent["id"]]


def test_a_store_refused_before_it_wrote_leaves_the_next_transaction_unbounded(lrs):
    postgresql_only(lrs)
    lrs.db.kw["bind"].dispose()  # one connection in the pool: the store's
    with pytest.raises(Invalid):
        store(lrs, [{**statement(), "verb": {"id": "not an IRI"}}])
    assert statement_timeout(lrs) == "0"


# -- queries --------------------------------------------------------------------------
def test_query_filters_agent_verb_activity_registration(lrs):
    registration = str(uuid.uuid4())
    jo_done = statement(1, context={"registration": registration})
    al_done = statement(1, who="al")
    jo_seen = statement(2, verb="http://adlnet.gov/expapi/verbs/experienced")
    about_jo = statement(3, who="al", object={"objectType": "Agent",
                                             "mbox": "mailto:jo@example.org"})
    store(lrs, [jo_done, al_done, jo_seen, about_jo])

    def ids(**filters):
        return {s["id"] for s in query(lrs, **filters)["statements"]}

    assert ids(agent={"mbox": "mailto:jo@example.org"}) == {
        jo_done["id"], jo_seen["id"], about_jo["id"]}
    assert ids(verb=COMPLETED) == {jo_done["id"], al_done["id"], about_jo["id"]}
    assert ids(activity="https://courses.example.org/c/1") == {
        jo_done["id"], al_done["id"]}
    assert ids(registration=registration.upper()) == {jo_done["id"]}
    assert ids(agent={"mbox": "mailto:jo@example.org"}, verb=COMPLETED,
               activity="https://courses.example.org/c/1") == {jo_done["id"]}


def test_query_agent_matches_group_members_and_related_agents(lrs):
    jo = {"mbox": "mailto:jo@example.org"}
    by_group = statement(actor={"objectType": "Group", "member": [
        jo, {"mbox": "mailto:al@example.org"}]})
    taught = statement(who="al", context={"instructor": jo})
    inside = statement(who="al", object={
        "objectType": "SubStatement", "actor": jo, "verb": {"id": "urn:x:will"},
        "object": {"id": "urn:x:class"}})
    store(lrs, [by_group, taught, inside])

    def ids(**filters):
        return {s["id"] for s in query(lrs, agent=jo, **filters)["statements"]}

    assert ids() == {by_group["id"]}
    assert ids(related_agents=True) == {by_group["id"], taught["id"], inside["id"]}


def test_query_related_activities_in_context_and_sub_statements(lrs):
    course = "https://courses.example.org/c/9"
    direct = statement(9)
    chapter = statement(10, context={"contextActivities": {"parent": {"id": course}}})
    inside = statement(11, object={
        "objectType": "SubStatement", "actor": {"mbox": "mailto:jo@example.org"},
        "verb": {"id": "urn:x:will"}, "object": {"id": course}})
    store(lrs, [direct, chapter, inside])

    def ids(**filters):
        return {s["id"] for s in query(lrs, activity=course, **filters)["statements"]}

    assert ids() == {direct["id"]}
    assert ids(related_activities=True) == {direct["id"], chapter["id"], inside["id"]}


def test_query_agent_identified(lrs):
    with pytest.raises(Invalid) as refused:
        query(lrs, agent={"objectType": "Group", "member": []})
    assert refused.value.violations[0]["rule"] == "query.agent-identified"


def test_query_since_and_until_on_stored(lrs):
    [early] = store(lrs, [statement()])
    middle = get(lrs, early)["stored"]
    [late] = store(lrs, [statement()])
    assert [s["id"] for s in query(lrs, since=middle)["statements"]] == [late]
    assert [s["id"] for s in query(lrs, until=middle)["statements"]] == [early]


def test_query_newest_first_unless_ascending(lrs):
    ids = [store(lrs, [statement(n)])[0] for n in range(3)]
    assert [s["id"] for s in query(lrs)["statements"]] == ids[::-1]
    assert [s["id"] for s in query(lrs, ascending=True)["statements"]] == ids


@pytest.mark.parametrize("ascending", [False, True])
def test_more_pages_stable_while_statements_arrive(lrs, ascending):
    first = store(lrs, [statement(n) for n in range(7)])
    seen, page = [], query(lrs, limit=3, ascending=ascending)
    while True:
        seen += [s["id"] for s in page["statements"]]
        store(lrs, [statement(100)])  # arrives during the paging
        if page["more"] is None:
            break
        page = query(lrs, more=page["more"])
    assert seen == (first if ascending else first[::-1])


def test_more_token_not_given_by_this_lrs_refused(lrs):
    with pytest.raises(Invalid) as refused:
        query(lrs, more="bm90IGEgdG9rZW4")
    assert refused.value.violations[0]["rule"] == "query.more-token"


def test_query_owner_sees_only_its_own(lrs):
    [mine] = store(lrs, [statement()], owner="client:1")
    store(lrs, [statement()], owner="client:2")
    assert [s["id"] for s in query(lrs, owner="client:1")["statements"]] == [mine]
    with pytest.raises(NotFound):
        get(lrs, mine, owner="client:2")


def test_format_ids_and_canonical(lrs):
    sent = statement(actor={"name": "Jo", "mbox": "mailto:jo@example.org"},
                     object={"id": "urn:x:c", "definition": {
                         "name": {"en-US": "Ethics", "fr-FR": "Éthique"}}})
    store(lrs, [sent])
    [ids] = query(lrs, format="ids")["statements"]
    assert ids["actor"] == {"mbox": "mailto:jo@example.org"}
    assert ids["verb"] == {"id": COMPLETED} and ids["object"] == {"id": "urn:x:c"}
    canonical = get(lrs, sent["id"], format="canonical", languages=["fr-fr", "en"])
    assert canonical["object"]["definition"]["name"] == {"fr-FR": "Éthique"}


def test_requests_stored_together_each_get_their_own_outcome(lrs):
    taken = statement()
    store(lrs, [taken])
    good, other_institution, also = statement(), statement(), statement()
    answers = lrs.store_statements_each({"requests": [
        {"institution_id": INSTITUTION, "authority": AUTHORITY, "owner": "client:1",
         "statements": [good]},
        {"institution_id": INSTITUTION, "authority": AUTHORITY, "owner": "client:1",
         "statements": [{**taken, "object": {"id": "urn:x:changed"}}]},
        {"institution_id": INSTITUTION, "authority": AUTHORITY, "owner": "client:1",
         "statements": [{"actor": {}}]},
        {"institution_id": "inst-2", "authority": AUTHORITY, "owner": "client:9",
         "statements": [other_institution]},
        {"institution_id": INSTITUTION, "authority": AUTHORITY, "owner": "learner:1",
         "statements": [also]},
    ]})
    assert answers[0]["stored"]["ids"] == [good["id"]]
    assert answers[1]["error"]["exc_type"] == "Conflict"
    assert answers[2]["error"]["exc_type"] == "Invalid"
    assert answers[3]["stored"]["ids"] == [other_institution["id"]]
    assert answers[4]["stored"]["ids"] == [also["id"]]
    assert get(lrs, good["id"])["id"] == good["id"]
    assert get(lrs, other_institution["id"], institution="inst-2")
    # one event per transaction and institution: the callers' statements together,
    # the refused requests' in none
    assert [(e["institution_id"], [s["id"] for s in e["statements"]])
            for e in events(lrs)] == [
        (INSTITUTION, [taken["id"]]), (INSTITUTION, [good["id"], also["id"]]),
        ("inst-2", [other_institution["id"]])]


# -- attachments (decision 0060) ------------------------------------------------------
def with_attachment(content: bytes, **extra) -> dict:
    sha2 = hashlib.sha256(content).hexdigest()
    return statement(attachments=[{
        "usageType": "http://id.tincanapi.com/attachment/certificate-of-completion",
        "display": {"en-US": "Certificate"}, "contentType": "application/pdf",
        "length": len(content), "sha2": sha2}], **extra)


def data(content: bytes, content_type: str | None = "application/pdf") -> dict:
    return {"sha2": hashlib.sha256(content).hexdigest(), "content_type": content_type,
            "content": base64.b64encode(content).decode()}


def store_with(lrs, statements, attachments, institution=INSTITUTION) -> list[str]:
    return lrs.store_statements({
        "institution_id": institution, "authority": AUTHORITY, "owner": "client:1",
        "statements": statements, "attachments": attachments})["ids"]


def test_attachments_are_stored_once_per_institution_and_hash(lrs):
    pdf = b"%PDF-1.7 certificate"
    store_with(lrs, [with_attachment(pdf)], [data(pdf)])
    store_with(lrs, [with_attachment(pdf), with_attachment(pdf)], [data(pdf)])
    store_with(lrs, [with_attachment(pdf)], [data(pdf)], institution="inst-2")
    with lrs.db() as session:
        rows = session.execute(select(Attachment.institution_id, Attachment.sha2,
                                      Attachment.length)).all()
    sha2 = hashlib.sha256(pdf).hexdigest()
    assert sorted(rows) == [(INSTITUTION, sha2, len(pdf)), ("inst-2", sha2, len(pdf))]
    found = lrs.get_attachments({"institution_id": INSTITUTION,
                                 "sha2s": [sha2.upper(), "ab" * 32]})
    assert [(a["sha2"], a["content_type"], base64.b64decode(a["content"]))
            for a in found] == [(sha2, "application/pdf", pdf)]


def test_attachment_without_its_data_is_refused_and_nothing_stored(lrs):
    pdf = b"%PDF-1.7 certificate"
    ones = [statement(), with_attachment(pdf)]
    with pytest.raises(Invalid) as refused:
        store_with(lrs, ones, [])
    assert [v["rule"] for v in refused.value.violations] == [
        "attachment.part-required"]
    with pytest.raises(Invalid) as refused:
        store_with(lrs, ones, [{**data(pdf), "content": base64.b64encode(
            b"something else").decode()}])
    assert "attachment.part-hash" in [v["rule"] for v in refused.value.violations]
    assert query(lrs)["statements"] == []


def test_an_attachment_s_content_type_defaults_to_its_object_s(lrs):
    pdf = b"%PDF-1.7 certificate"
    store_with(lrs, [with_attachment(pdf)], [data(pdf, content_type=None)])
    found = lrs.get_attachments({"institution_id": INSTITUTION,
                                 "sha2s": [hashlib.sha256(pdf).hexdigest()]})
    assert found[0]["content_type"] == "application/pdf"


def test_attachments_read_more_than_one_answer_carries_are_refused(lrs, monkeypatch):
    first, second = b"%PDF-1.7 one", b"%PDF-1.7 two"
    store_with(lrs, [with_attachment(first), with_attachment(second)],
               [data(first), data(second)])
    hashes = [hashlib.sha256(first).hexdigest(), hashlib.sha256(second).hexdigest()]
    monkeypatch.setattr(attachments, "ATTACHMENTS_READ_MAX_BYTES", len(first) + 1)
    assert len(lrs.get_attachments({"institution_id": INSTITUTION,
                                    "sha2s": hashes[:1]})) == 1
    with pytest.raises(Invalid) as refused:
        lrs.get_attachments({"institution_id": INSTITUTION, "sha2s": hashes})
    assert [v["rule"] for v in refused.value.violations] == [
        "query.attachments-too-large"]
