"""What a client sends that is not text or not JSON gets a 4xx naming the field, from
the gateway itself: never a 5xx, never a hang, never a failure of someone else's
request sent to a service along with it. (An id in the path that is not text names
no resource: 404.)"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.db import drop_databases
from tests.support.journey import PROBLEM, application, onboard, operator, problem
from tests.support.platform import start_platform, stop_platform

pytestmark = pytest.mark.e2e

COURSE = "gestion-de-projet-initiez-vous-aux-fondamentaux"
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def world(tmp_path_factory, vhost_pipeline):
    # PostgreSQL (it refuses NUL); one lane, so that concurrent records share a call;
    # a short RPC deadline, so that a request that would hang fails the test quickly
    base = f"ct_{uuid.uuid4().hex[:10]}"
    with vhost_pipeline.get() as vhost:
        p = start_platform(
            tmp_path_factory.mktemp("input"), f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
            f"postgresql+psycopg2://postgres@127.0.0.1:5432/{base}",
            extra_env={"GATEWAY_BATCH_LANES": "1", "RPC_TIMEOUT": "5"})
        try:
            yield p, onboard(p, "entrees-client.fr", learners=3), operator(p)
        finally:
            assert stop_platform(p) == 0
            drop_databases(base)


def chapter(p) -> str:
    return p.api("GET", f"/api/v1/courses/{COURSE}").json()["chapters"][0]["id"]


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity", b"1e999"])
def test_a_number_json_does_not_have_is_refused_at_once(world, number):
    p, institution, _ = world
    learner = next(iter(institution.learners.values()))
    body = b'{"course_id": "%s", "kind": "quiz_submitted", "score": %s}' % (
        COURSE.encode(), number)

    refused = problem(p.api("POST", "/api/v1/progress", learner, data=body,
                            headers=JSON), 400)

    assert refused["type"].endswith("/malformed-json")
    assert "not valid JSON" in refused["detail"]


def test_one_bad_record_fails_alone_and_not_the_records_sent_with_it(world):
    p, institution, _ = world
    learners, chapter_id = list(institution.learners.values()), chapter(p)
    bad = {7: b'{"course_id": "%s", "kind": "quiz_submitted", "score": NaN}'
              % COURSE.encode(),
           15: b'{"course_id": "%s", "kind": "chapter_completed", "chapter_id": '
               b'"\\u0000"}' % COURSE.encode()}

    def record(n: int):
        if n in bad:
            return p.api("POST", "/api/v1/progress", learners[0], data=bad[n],
                         headers=JSON)
        return p.api("POST", "/api/v1/progress", learners[n % 3], json={
            "id": f"batch-{n}", "course_id": COURSE, "kind": "chapter_completed",
            "chapter_id": chapter_id})

    with ThreadPoolExecutor(30) as pool:
        answers = list(pool.map(record, range(30)))

    assert answers[7].status_code == 400, answers[7].text
    assert problem(answers[15], 422)["errors"] == [
        {"field": "chapter_id", "reason": "must not contain NUL (U+0000)"}]
    assert [a.status_code for n, a in enumerate(answers) if n not in bad] == [201] * 28


@pytest.mark.parametrize("body, field, reason", [
    (b'{"course_id": "a\\u0000b", "kind": "course_completed"}', "course_id", "NUL"),
    (b'{"course_id": "a\\u0007b", "kind": "course_completed"}', "course_id", "U+0007"),
    (b'{"course_id": "\\ud800", "kind": "course_completed"}', None, "surrogate"),
    (b'{"course_id": "\xed\xa0\x80", "kind": "course_completed"}', None, "UTF-8"),
    (b'{"course\\u0000": "x", "kind": "course_completed"}', "course\\u0000", "NUL"),
])
def test_nul_controls_and_lone_surrogates_in_a_body_are_refused(world, body, field,
                                                               reason):
    p, institution, _ = world
    learner = next(iter(institution.learners.values()))

    answer = p.api("POST", "/api/v1/progress", learner, data=body, headers=JSON)

    assert answer.status_code in (400, 422), answer.text
    assert answer.headers["Content-Type"] == PROBLEM
    [error] = answer.json()["errors"]
    assert error["field"] == field and reason in error["reason"]


def test_an_application_with_nul_or_surrogates_is_refused_before_onboarding_sees_it(
        world):
    p, _, _ = world
    app = application("nul-test.fr")
    app["contact"]["name"] = "Anne\u0000Martin"
    answer = p.api("POST", "/api/v1/applications", json=app)
    assert problem(answer, 422)["errors"] == [
        {"field": "contact.name", "reason": "must not contain NUL (U+0000)"}]

    raw = answer.request.body.replace(b"\\u0000", b"\\udc00")
    assert problem(p.api("POST", "/api/v1/applications", data=raw, headers=JSON),
                   400)["type"].endswith("/malformed-json")
    keyed = p.api("POST", "/api/v1/applications", json=application("nul-test.fr"),
                  headers={"Idempotency-Key": "key\x01"})
    assert problem(keyed, 422)["errors"][0]["field"] == "Idempotency-Key"


def test_a_document_nested_30000_deep_is_refused(world):
    p, institution, _ = world
    learner = next(iter(institution.learners.values()))
    deep = b"[" * 30_000 + b"]" * 30_000

    refused = problem(p.api("POST", "/api/v1/progress", learner, data=deep,
                            headers=JSON), 400)

    assert "nested deeper than" in refused["detail"]
    shallow = b'{"a": ' * 40 + b"1" + b"}" * 40
    assert "nested deeper than" in problem(
        p.api("POST", "/api/v1/auth/token", data=shallow, headers=JSON), 400)["detail"]


@pytest.mark.parametrize("path, status, field", [
    ("/api/v1/institutions/{id}%00", 404, "institution_id"),  # an id naming nothing
    ("/api/v1/institutions/{id}%01/licence", 404, "institution_id"),
    ("/api/v1/applications/%00?token=x", 404, "application_id"),
    ("/api/v1/courses/a%00b", 404, "course_id"),
    ("/api/v1/applications/x?token=%00", 422, "token"),
    ("/api/v1/applications?status=%00", 422, "status"),
    ("/api/v1/applications?cursor=a%00", 422, "cursor"),
    ("/api/v1/applications?cursor=%ED%A0%80", 422, "cursor"),
    ("/api/v1/courses?q=%ED%A0%80", 422, "q"),
    ("/api/v1/courses?q=%C3", 422, "q"),
    ("/api/v1/institutions/%ED%A0%80/licence", 400, "path"),
])
def test_nul_and_bad_bytes_in_a_path_or_query_are_refused_with_the_field(
        world, path, status, field):
    p, institution, op = world

    answer = p.api("GET", path.format(id=institution.id), op)

    assert problem(answer, status)["errors"][0]["field"] == field


def test_a_roster_with_odd_addresses_rejects_their_rows_and_imports_the_rest(world):
    p, institution, _ = world
    roster = ("email,first_name,last_name,cohort\n"
              "ines@entrees-client.fr,Inès,Roy,A\n"
              "x@r2.test.,Xavier,Trailing,A\n"  # line 3: the domain ends with a dot
              "paul@entrees-client.fr,Paul,Roy,A\n"
              'a"b@x.test,Quote,In,A\n'  # line 5: a quote is not in a dot-atom
              'a"b@x,Quote,Short,A\n'  # line 6
              "nora@entrees-client.fr,Nora\x01,Roy,A\n")  # line 7: a control character
    base = f"/api/v1/institutions/{institution.id}"

    upload = p.api("POST", f"{base}/rosters", institution.admin, data=roster.encode(),
                   headers={"Content-Type": "text/csv"})

    assert upload.status_code == 202, upload.text
    job = p.api("GET", upload.json()["url"], institution.admin).json()
    assert (job["status"], job["imported"], job["rejected"]) == ("done", 2, 4), job
    assert [(e["line"], e["column"]) for e in job["errors"]] == [
        (3, "email"), (5, "email"), (6, "email"), (7, "first_name")]
    assert "the domain ends with a dot" in job["errors"][0]["reason"]
    # the batch's learners.enrolled.v1 was valid: licensing seated both new learners
    from tests.support.journey import wait_for

    wait_for(lambda: (lic := p.api("GET", f"{base}/licence", institution.admin).json())
             ["seats_used"] + lic["seats_waiting"] == 5)


def test_rosters_as_schools_export_them_french_csv_and_xlsx(world):
    import io

    from openpyxl import Workbook

    p, institution, _ = world
    base = f"/api/v1/institutions/{institution.id}"
    french = ("Courriel;Prénom;Nom;Classe\n"
              "zoe.f@entrees-client.fr;Zoé;Faure;2nde B\n"
              "pas-une-adresse;Luc;Faure;2nde B\n")  # line 3
    book = Workbook()
    for row in (("Adresse électronique", "Prénom", "Nom de famille", "Groupe"),
                ("yan.x@entrees-client.fr", "Yan", "Morel", "1re C"),
                ("bad", "Eva", "Morel", "1re C")):  # row 3
        book.active.append(row)
    workbook = io.BytesIO()
    book.save(workbook)

    uploads = [
        p.api("POST", f"{base}/rosters", institution.admin, data=french.encode(),
              headers={"Content-Type": "text/csv"}),
        p.api("POST", f"{base}/rosters", institution.admin,
              files={"file": ("classe.xlsx", workbook.getvalue())}),
    ]

    for upload in uploads:
        assert upload.status_code == 202, upload.text
        assert upload.json()["rows_total"] == 2
        job = p.api("GET", upload.json()["url"], institution.admin).json()
        assert (job["status"], job["imported"], job["rejected"], job["rows_total"]) == (
            "done", 1, 1, 2), job
        assert [(e["line"], e["column"]) for e in job["errors"]] == [(3, "email")]
    not_a_workbook = p.api("POST", f"{base}/rosters", institution.admin,
                           files={"file": ("classe.xlsx", b"email\n")})
    assert problem(not_a_workbook, 422)["errors"][0]["field"] == "file"
    unknown = p.api("POST", f"{base}/rosters", institution.admin, data=b"{}",
                    headers={"Content-Type": "application/pdf"})
    assert unknown.status_code == 415
