"""The xAPI LRS over HTTP, through the gateway and the lrs service (PostgreSQL):
the version header, the credentials and their scopes, one institution's statements
never seen by another's clients, idempotent writes, voiding, paging by ``more``,
and garbage of many kinds answered 4xx with the broken rule, never 5xx."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support.db import drop_databases
from tests.support.journey import onboard, operator
from tests.support.platform import start_platform, stop_platform
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

VERSION = {"X-Experience-API-Version": "1.0.3"}
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
ALL = ["statements/write", "statements/read"]


@pytest.fixture(scope="module")
def world(tmp_path_factory, vhost_pipeline):
    base = f"ct_{uuid.uuid4().hex[:10]}"
    with vhost_pipeline.get() as vhost:
        p = start_platform(tmp_path_factory.mktemp("xapi"),
                           f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
                           f"postgresql+psycopg2://postgres@127.0.0.1:5432/{base}",
                           extra_env={"REVOCATION_REFRESH_SECONDS": "0.3"})
        try:
            a = onboard(p, "lycee-nord.fr", learners=2)
            b = onboard(p, "lycee-sud.fr", learners=1)
            yield p, a, b, operator(p)
        finally:
            assert stop_platform(p) == 0, p.log()[-3000:]
            drop_databases(base)


def client(p, op, institution, scopes=ALL) -> dict:
    answer = p.api("POST", "/api/v1/lrs/clients", op, json={
        "institution_id": institution.id, "name": "Course player", "scopes": scopes})
    assert answer.status_code == 201, answer.text
    issued = answer.json()
    raw = f"{issued['key']}:{issued['secret']}".encode()
    basic = "Basic " + base64.b64encode(raw).decode()
    return {**issued, "auth": {"Authorization": basic}}


def xapi(p, method, path, credentials, headers=None, **kwargs):
    return p.http.request(method, p.url + path,
                          headers={**VERSION, **credentials, **(headers or {})},
                          timeout=30, **kwargs)


def statement(n: int = 0, who: str = "jo", **extra) -> dict:
    return {"id": str(uuid.uuid4()), "actor": {"mbox": f"mailto:{who}@example.org"},
            "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
            "object": {"id": f"https://courses.example.org/c/{n}"}, **extra}


def rules(answer) -> list[str]:
    return [error["rule"] for error in answer.json()["errors"]]


def test_about_needs_no_credentials_and_says_the_version(world):
    p, *_ = world
    answer = p.http.get(p.url + "/xapi/about", timeout=10)
    assert answer.status_code == 200
    assert answer.json()["version"] == ["1.0.3"]
    assert answer.headers["X-Experience-API-Version"] == "1.0.3"


def test_version_header_required_and_credentials_required(world):
    p, a, _, op = world
    writer = client(p, op, a)
    missing = p.http.get(p.url + "/xapi/statements", headers=writer["auth"], timeout=10)
    assert missing.status_code == 400 and rules(missing) == ["request.version-header"]
    old = xapi(p, "GET", "/xapi/statements", writer["auth"],
               headers={"X-Experience-API-Version": "0.95"})
    assert old.status_code == 400 and rules(old) == ["request.version-header"]
    anonymous = xapi(p, "GET", "/xapi/statements", {})
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Basic")
    wrong = xapi(p, "GET", "/xapi/statements", {"Authorization": "Basic " +
                 base64.b64encode(f"{writer['key']}:nope".encode()).decode()})
    assert wrong.status_code == 401


def test_statements_stored_read_back_and_resent(world):
    p, a, _, op = world
    c = client(p, op, a)
    batch = [statement(n) for n in range(3)]
    posted = xapi(p, "POST", "/xapi/statements", c["auth"], json=batch)
    assert posted.status_code == 200, posted.text
    assert posted.json() == [s["id"] for s in batch]
    assert posted.headers["X-Experience-API-Consistent-Through"]

    got = xapi(p, "GET", f"/xapi/statements?statementId={batch[1]['id']}", c["auth"])
    head = xapi(p, "HEAD", f"/xapi/statements?statementId={batch[1]['id']}",
                c["auth"])
    assert head.status_code == 200 and head.content == b""
    assert got.status_code == 200 and got.json()["object"] == batch[1]["object"]
    assert got.json()["authority"]["account"]["name"] == f"lrs-client:{c['id']}"
    assert got.json()["stored"] and got.headers["Last-Modified"]

    assert xapi(p, "POST", "/xapi/statements", c["auth"], json=batch).status_code == 200
    put = statement(9)
    path = f"/xapi/statements?statementId={put['id']}"
    assert xapi(p, "PUT", path, c["auth"], json=put).status_code == 204
    assert xapi(p, "PUT", path, c["auth"], json=put).status_code == 204
    clash = xapi(p, "PUT", path, c["auth"], json={**put, "verb": {"id": VOIDED + "x"}})
    assert clash.status_code == 409 and rules(clash) == ["statement.id-immutable"]


def test_a_broken_rule_names_its_place_in_the_request_as_sent(world):
    """One statement (PUT, or POST of an object) hears of its rules without an
    index; a batch's name the statement: the lrs checks both, as a batch."""
    p, a, _, op = world
    c = client(p, op, a)
    broken = {**statement(1), "actor": {"mbox": "jo@example.org"}}  # no mailto:
    put = xapi(p, "PUT", f"/xapi/statements?statementId={broken['id']}", c["auth"],
               json=broken)
    posted = xapi(p, "POST", "/xapi/statements", c["auth"], json=broken)
    batch = xapi(p, "POST", "/xapi/statements", c["auth"],
                 json=[statement(2), {**broken, "id": str(uuid.uuid4())}])
    for answer in (put, posted, batch):
        assert answer.status_code == 400, answer.text
    assert [e["field"] for e in put.json()["errors"]] == ["actor.mbox"]
    assert [e["field"] for e in posted.json()["errors"]] == ["actor.mbox"]
    assert [e["field"] for e in batch.json()["errors"]] == ["[1].actor.mbox"]
    assert xapi(p, "GET", f"/xapi/statements?statementId={broken['id']}",
                c["auth"]).status_code == 404  # nothing of it stored


def test_voided_statement_reachable_only_by_voided_statement_id(world):
    p, a, _, op = world
    c = client(p, op, a)
    target = statement(1)
    xapi(p, "POST", "/xapi/statements", c["auth"], json=target)
    voiding = statement(who="teacher", verb={"id": VOIDED},
                        object={"objectType": "StatementRef", "id": target["id"]})
    assert xapi(p, "POST", "/xapi/statements", c["auth"], json=voiding).ok
    gone = xapi(p, "GET", f"/xapi/statements?statementId={target['id']}", c["auth"])
    assert gone.status_code == 404
    found = xapi(p, "GET", f"/xapi/statements?voidedStatementId={target['id']}",
                 c["auth"])
    assert found.status_code == 200 and found.json()["id"] == target["id"]
    again = statement(verb={"id": VOIDED},
                      object={"objectType": "StatementRef", "id": voiding["id"]})
    refused = xapi(p, "POST", "/xapi/statements", c["auth"], json=again)
    assert refused.status_code == 400
    assert rules(refused) == ["voiding.target-not-voiding"]


def test_query_pages_by_more_with_filters(world):
    p, a, _, op = world
    c = client(p, op, a)
    registration = str(uuid.uuid4())
    mine = [statement(7, context={"registration": registration}) for _ in range(5)]
    xapi(p, "POST", "/xapi/statements", c["auth"], json=mine + [statement(7)])
    seen, path = [], f"/xapi/statements?registration={registration}&limit=2"
    while path:
        page = xapi(p, "GET", path, c["auth"])
        assert page.status_code == 200, page.text
        seen += [s["id"] for s in page.json()["statements"]]
        path = page.json()["more"]
    assert seen == [s["id"] for s in reversed(mine)]
    by_verb = xapi(p, "GET", "/xapi/statements", c["auth"], params={
        "verb": COMPLETED, "activity": "https://courses.example.org/c/7",
        "agent": '{"mbox": "mailto:jo@example.org"}', "ascending": "true"})
    assert [s["id"] for s in by_verb.json()["statements"]][:5] == [
        s["id"] for s in mine]


def test_one_institution_never_sees_another_s_statements(world):
    p, a, b, op = world
    ours, theirs = client(p, op, a), client(p, op, b)
    secret = statement(who="secret")
    xapi(p, "POST", "/xapi/statements", ours["auth"], json=secret)
    other = xapi(p, "GET", f"/xapi/statements?statementId={secret['id']}",
                 theirs["auth"])
    assert other.status_code == 404
    listed = xapi(p, "GET", "/xapi/statements", theirs["auth"],
                  params={"agent": '{"mbox": "mailto:secret@example.org"}'})
    assert listed.status_code == 200 and listed.json()["statements"] == []


def test_scopes_read_mine_write_only_and_learners(world):
    p, a, _, op = world
    everyone = client(p, op, a)
    mine_only = client(p, op, a, ["statements/write", "statements/read/mine"])
    write_only = client(p, op, a, ["statements/write"])
    theirs, own = statement(), statement()
    xapi(p, "POST", "/xapi/statements", everyone["auth"], json=theirs)
    xapi(p, "POST", "/xapi/statements", mine_only["auth"], json=own)
    listed = xapi(p, "GET", "/xapi/statements", mine_only["auth"]).json()
    assert [s["id"] for s in listed["statements"]] == [own["id"]]
    denied = xapi(p, "GET", "/xapi/statements", write_only["auth"])
    assert denied.status_code == 403 and rules(denied) == ["auth.scope"]

    learner = {"Authorization": f"Bearer {a.learners[a.learner_ids[0]]}"}
    said = statement(who="learner")
    assert xapi(p, "POST", "/xapi/statements", learner, json=said).status_code == 200
    read = xapi(p, "GET", "/xapi/statements", learner).json()["statements"]
    assert [s["id"] for s in read] == [said["id"]]
    admin = xapi(p, "GET", "/xapi/statements", {"Authorization": f"Bearer {a.admin}"})
    assert admin.status_code == 403


def test_revoked_client_stops_working(world):
    p, a, _, op = world
    c = client(p, op, a)
    assert xapi(p, "GET", "/xapi/statements", c["auth"]).status_code == 200
    listed = p.api("GET", f"/api/v1/lrs/clients?institution_id={a.id}", op).json()
    assert c["id"] in [item["id"] for item in listed["items"]]
    assert "secret" not in listed["items"][0]
    assert p.api("DELETE", f"/api/v1/lrs/clients/{c['id']}", op).status_code == 204
    deadline = time.monotonic() + 5
    while xapi(p, "GET", "/xapi/statements", c["auth"]).status_code != 401:
        assert time.monotonic() < deadline, "revoked credentials still work"
        time.sleep(0.1)


GARBAGE = [
    b"", b"null", b"{", b"[]", b"42", b'"text"', b"[1, 2]", b'{"actor": null}',
    b'{"actor": {}, "verb": {}, "object": {}}', b"\xff\xfe", b'{"a": "\\u0000"}',
    b"[" + b"[" * 100 + b"]" * 101, b'{"id": {"$gt": ""}}',
    b'[{"actor": {"mbox": "mailto:a@b.org"}, "verb": {"id": "urn:x"}, '
    b'"object": {"id": "urn:x"}}, 5]',
    b'{"actor": {"mbox": "mailto:a@b.org"}, "verb": {"id": "urn:x"}, '
    b'"object": {"objectType": "SubStatement", "actor": 1}}',
]
BAD_QUERIES = [
    "statementId=nope", "voidedStatementId=1", "statementId=" + "a" * 5000,
    "agent=nope", "agent=%7B%7D", "agent=%5B%5D", "verb=not%20an%20iri",
    "activity=", "registration=x", "since=yesterday", "until=2026-13-01",
    "limit=-1", "limit=99999999999999", "format=pretty", "ascending=maybe",
    "colour=red", "more=%%%", "more=eyJmIjogMX0", "statementId=%00",
    "related_agents=maybe", "attachments=yes",
]


def test_garbage_of_many_kinds_is_4xx_naming_the_rule_never_5xx(world):
    p, a, _, op = world
    c = client(p, op, a)
    json_type = {"Content-Type": "application/json"}
    for body in GARBAGE:
        for method, path in (("POST", "/xapi/statements"),
                             ("PUT", f"/xapi/statements?statementId={uuid.uuid4()}")):
            answer = xapi(p, method, path, c["auth"], headers=json_type, data=body)
            assert 400 <= answer.status_code < 500, (method, body, answer.text)
            assert answer.json()["errors"][0]["rule"], (body, answer.text)
    for query in BAD_QUERIES:
        answer = xapi(p, "GET", "/xapi/statements?" + query, c["auth"])
        assert 400 <= answer.status_code < 500, (query, answer.text)
    state = {"activityId": "urn:x:a", "agent": '{"mbox": "mailto:a@b.org"}'}
    for method, params, body in (
            ("PUT", {**state}, b"x"), ("POST", {**state, "stateId": "s"}, b"[1]"),
            ("GET", {**state, "agent": "{"}, b""),
            ("GET", {**state, "registration": "r"}, b""),
            ("GET", {**state, "since": "soon"}, b""),
            ("DELETE", {"activityId": "not an iri", "agent": state["agent"]}, b""),
            ("GET", {**state, "stateId": "s", "since": "2026-01-01T00:00:00Z"}, b""),
            ("PUT", {"agent": state["agent"], "profileId": "p", "colour": "red"}, b"")):
        answer = xapi(p, method, "/xapi/activities/state"
                      if "profileId" not in params else "/xapi/agents/profile",
                      c["auth"], params=params, data=body, headers=json_type)
        assert 400 <= answer.status_code < 500, (method, params, answer.text)
        assert answer.json()["errors"][0]["rule"], answer.text
    wrong_type = xapi(p, "POST", "/xapi/statements", c["auth"], data=b"{}",
                      headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 400 and rules(wrong_type) == [
        "request.content-type"]


# -- attachments (decision 0060) ------------------------------------------------------
PDF = b"%PDF-1.7\r\n--looks-like-a-delimiter\r\n\x00\xff a certificate"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


def attachment_of(content: bytes, **changes) -> dict:
    return {"usageType": "http://id.tincanapi.com/attachment/certificate-of-completion",
            "display": {"en-US": "Certificate"}, "contentType": "application/pdf",
            "length": len(content), "sha2": hashlib.sha256(content).hexdigest(),
            **changes}


def mixed(statements, *parts: bytes, hashes=None) -> tuple[bytes, dict]:
    """A multipart/mixed request: the statements, then a part per content."""
    boundary = uuid.uuid4().hex
    chunks = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
              json.dumps(statements).encode()]
    for n, content in enumerate(parts):
        sha2 = hashes[n] if hashes else hashlib.sha256(content).hexdigest()
        chunks += [f"\r\n--{boundary}\r\nContent-Type: application/pdf\r\n"
                   "Content-Transfer-Encoding: binary\r\n"
                   f"X-Experience-API-Hash: {sha2}\r\n\r\n".encode(), content]
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), {
        "Content-Type": f'multipart/mixed; boundary="{boundary}"'}


def parts_of(answer) -> list[tuple[dict, bytes]]:
    """The parts of a multipart/mixed answer: (headers in lower case, content)."""
    boundary = answer.headers["Content-Type"].split('boundary="')[1].rstrip('"')
    found = []
    for raw in answer.content.split(f"--{boundary}".encode())[1:-1]:
        head, _, content = raw[2:-2].partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        found.append(({k.lower(): v for k, v in headers.items()}, content))
    return found


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_statements_with_attachments_stored_once_and_read_back_in_multipart(world):
    p, a, _, op = world
    c = client(p, op, a)
    first = statement(1, attachments=[attachment_of(PDF)])
    second = statement(2, attachments=[attachment_of(PDF)])
    body, headers = mixed([first, second], PDF)
    posted = xapi(p, "POST", "/xapi/statements", c["auth"], headers=headers,
                  data=body)
    assert posted.status_code == 200, posted.text
    assert posted.json() == [first["id"], second["id"]]
    third = statement(3, attachments=[attachment_of(PDF)])
    body, headers = mixed(third, PDF)
    put = xapi(p, "PUT", f"/xapi/statements?statementId={third['id']}", c["auth"],
               headers=headers, data=body)
    assert put.status_code == 204, put.text

    one = xapi(p, "GET", f"/xapi/statements?statementId={first['id']}"
               "&attachments=true", c["auth"])
    assert one.status_code == 200, one.text
    assert one.headers["Content-Type"].startswith("multipart/mixed")
    assert one.headers["X-Experience-API-Consistent-Through"]
    assert one.headers["Last-Modified"]
    (json_headers, statement_json), (pdf_headers, pdf) = parts_of(one)
    assert json_headers["content-type"] == "application/json"
    assert json.loads(statement_json)["id"] == first["id"]
    assert pdf == PDF and pdf_headers["content-type"] == "application/pdf"
    assert pdf_headers["x-experience-api-hash"] == hashlib.sha256(PDF).hexdigest()
    assert pdf_headers["content-transfer-encoding"] == "binary"

    page = xapi(p, "GET", "/xapi/statements?attachments=true&limit=2&"
                "verb=" + COMPLETED, c["auth"])
    (_, result), *attachments = parts_of(page)
    assert [s["id"] for s in json.loads(result)["statements"]] == [
        third["id"], second["id"]]
    assert [content for _, content in attachments] == [PDF]  # once, by its hash
    assert json.loads(result)["more"].endswith("&attachments=true")
    plain = xapi(p, "GET", f"/xapi/statements?statementId={first['id']}", c["auth"])
    assert plain.headers["Content-Type"].startswith("application/json")
    assert plain.json()["attachments"] == first["attachments"]

    # another institution naming the same hash (its data elsewhere) never gets it
    other = client(p, op, world[2])
    guess = statement(7, attachments=[attachment_of(
        PDF, fileUrl="https://files.example.org/certificate.pdf")])
    assert xapi(p, "POST", "/xapi/statements", other["auth"], json=guess).ok
    theirs = xapi(p, "GET", f"/xapi/statements?statementId={guess['id']}"
                  "&attachments=true", other["auth"])
    assert [json.loads(content)["id"] for _, content in parts_of(theirs)] == [
        guess["id"]]


def test_attachments_refused_naming_the_rule(world):
    p, a, _, op = world
    c = client(p, op, a)
    with_pdf = statement(4, attachments=[attachment_of(PDF)])
    good, good_headers = mixed(with_pdf, PDF)
    cases = [
        (mixed(with_pdf), "attachment.part-required"),
        (mixed(with_pdf, PDF, b"stray"), "attachment.part-unreferenced"),
        (mixed(with_pdf, b"other bytes", hashes=[hashlib.sha256(PDF).hexdigest()]),
         "attachment.part-hash"),
        ((json.dumps(with_pdf).encode(), {"Content-Type": "application/json"}),
         "attachment.part-required"),
        ((b"--b\r\nContent-Type: application/json\r\n\r\n{}",
          {"Content-Type": "multipart/mixed; boundary=b"}), "multipart.malformed"),
        ((b"--b\r\nContent-Type: text/plain\r\n\r\n{}\r\n--b--",
          {"Content-Type": "multipart/mixed; boundary=b"}),
         "multipart.statements-first"),
        ((good.replace(b"Content-Transfer-Encoding: binary",
                       b"Content-Transfer-Encoding: base64"), good_headers),
         "multipart.transfer-encoding-binary"),
    ]
    for (body, headers), rule in cases:
        answer = xapi(p, "POST", "/xapi/statements", c["auth"], headers=headers,
                      data=body)
        assert answer.status_code == 400, (rule, answer.text)
        assert rule in rules(answer), (rule, answer.text)
    assert xapi(p, "GET", f"/xapi/statements?statementId={with_pdf['id']}",
                c["auth"]).status_code == 404
    largest = b"x" * (10 * 1024 * 1024 - 4096)  # the limit, the statement aside
    body, headers = mixed(statement(6, attachments=[attachment_of(largest)]), largest)
    taken = xapi(p, "POST", "/xapi/statements", c["auth"], headers=headers, data=body)
    assert taken.status_code == 200, taken.text
    body, headers = mixed(with_pdf, largest + b"x" * 8192)
    too_big = xapi(p, "POST", "/xapi/statements", c["auth"], headers=headers,
                   data=body)
    assert too_big.status_code == 413 and "10485760 bytes" in too_big.text


def test_signed_statements_need_a_well_formed_signature_of_themselves(world):
    p, a, _, op = world
    c = client(p, op, a)
    original = statement(5)
    header = b64url(json.dumps({"alg": "RS256"}).encode())
    token = ".".join([header, b64url(json.dumps(original).encode()),
                      b64url(b"\x01" * 256)]).encode()
    sig = attachment_of(token, usageType=SIGNATURE,
                        contentType="application/octet-stream")
    body, headers = mixed({**original, "attachments": [sig]}, token)
    signed = xapi(p, "POST", "/xapi/statements", c["auth"], headers=headers,
                  data=body)
    assert signed.status_code == 200, signed.text
    forged = {**original, "id": str(uuid.uuid4()), "verb": {"id": VOIDED + "x"},
              "attachments": [sig]}
    body, headers = mixed(forged, token)
    refused = xapi(p, "POST", "/xapi/statements", c["auth"], headers=headers,
                   data=body)
    assert refused.status_code == 400
    assert rules(refused) == ["signature.matches-statement"]

    # signed with openssl by the key of the certificate its header names (x5c)
    vector = json.loads((Path(__file__).parents[1] / "unit" / "lrs" /
                         "signed_statement.json").read_text())
    token = vector["RS256"].encode()
    sig = attachment_of(token, usageType=SIGNATURE,
                        contentType="application/octet-stream")
    certified = {**vector["statement"], "attachments": [sig]}
    body, headers = mixed(certified, token)
    assert xapi(p, "POST", "/xapi/statements", c["auth"], headers=headers,
                data=body).status_code == 200
    header, payload, _ = vector["RS512"].split(".")
    forged = f"{header}.{payload}.{vector['RS256'].split('.')[2]}".encode()
    body, headers = mixed({**vector["statement"], "attachments": [attachment_of(
        forged, usageType=SIGNATURE, contentType="application/octet-stream")]}, forged)
    refused = xapi(p, "POST", "/xapi/statements", c["auth"], headers=headers,
                   data=body)
    assert refused.status_code == 400 and rules(refused) == ["signature.verifies"]


def test_state_documents_with_etags_merge_and_lists(world):
    p, a, b, op = world
    c, elsewhere = client(p, op, a), client(p, op, b)
    where = {"activityId": "https://courses.example.org/c/1",
             "agent": '{"mbox": "mailto:jo@example.org"}'}
    path = "/xapi/activities/state"
    put = xapi(p, "PUT", path, c["auth"], params={**where, "stateId": "bookmark"},
               json={"page": 3})
    assert put.status_code == 204, put.text
    merged = xapi(p, "POST", path, c["auth"], params={**where, "stateId": "bookmark"},
                  json={"seen": True})
    assert merged.status_code == 204
    got = xapi(p, "GET", path, c["auth"], params={**where, "stateId": "bookmark"})
    assert got.json() == {"page": 3, "seen": True}
    assert got.headers["ETag"] == merged.headers["ETag"]
    listed = xapi(p, "GET", path, c["auth"], params=where)
    assert listed.json() == ["bookmark"]
    head = xapi(p, "HEAD", path, c["auth"], params={**where, "stateId": "bookmark"})
    assert head.status_code == 200 and head.headers["ETag"] == got.headers["ETag"]
    assert head.content == b""
    hidden = xapi(p, "GET", path, elsewhere["auth"],
                  params={**where, "stateId": "bookmark"})
    assert hidden.status_code == 404
    assert xapi(p, "DELETE", path, c["auth"], params=where).status_code == 204
    assert xapi(p, "GET", path, c["auth"], params=where).json() == []
    missing = xapi(p, "GET", path, c["auth"], params={"stateId": "x"})
    assert missing.status_code == 400
    assert rules(missing) == ["document.activity-id-required"]


def test_profiles_need_a_precondition_once_they_exist(world):
    p, a, _, op = world
    c = client(p, op, a)
    path = "/xapi/agents/profile"
    where = {"agent": '{"mbox": "mailto:jo@example.org"}', "profileId": "prefs"}
    first = xapi(p, "PUT", path, c["auth"], params=where, json={"lang": "fr"})
    assert first.status_code == 204
    blind = xapi(p, "PUT", path, c["auth"], params=where, json={"lang": "en"})
    assert blind.status_code == 409
    assert rules(blind) == ["document.precondition-required"]
    stale = xapi(p, "PUT", path, c["auth"], params=where, json={"lang": "en"},
                 headers={"If-Match": '"0000"'})
    assert stale.status_code == 412 and rules(stale) == ["document.if-match"]
    fresh = xapi(p, "PUT", path, c["auth"], params=where, json={"lang": "en"},
                 headers={"If-Match": first.headers["ETag"]})
    assert fresh.status_code == 204
    assert xapi(p, "GET", path, c["auth"], params=where).json() == {"lang": "en"}


def test_learners_reach_their_own_agent_s_state_only(world):
    p, a, _, _ = world
    learner_id = a.learner_ids[0]
    token = {"Authorization": f"Bearer {a.learners[learner_id]}"}
    me = json.dumps({"account": {"homePage": p.url, "name": learner_id}})
    where = {"activityId": "https://courses.example.org/c/1", "stateId": "s"}
    mine = xapi(p, "PUT", "/xapi/activities/state", token,
                params={**where, "agent": me}, json={"ok": 1})
    assert mine.status_code == 204, mine.text
    other = xapi(p, "GET", "/xapi/activities/state", token,
                 params={**where, "agent": '{"mbox": "mailto:jo@example.org"}'})
    assert other.status_code == 403 and rules(other) == ["auth.own-documents"]


def test_activities_and_agents_resources(world):
    p, a, _, op = world
    c = client(p, op, a)
    defined = statement(77)
    defined["object"]["definition"] = {"name": {"fr-FR": "Éthique"}}
    xapi(p, "POST", "/xapi/statements", c["auth"], json=defined)
    known = xapi(p, "GET", "/xapi/activities", c["auth"],
                 params={"activityId": defined["object"]["id"]})
    assert known.status_code == 200
    assert known.json()["definition"] == {"name": {"fr-FR": "Éthique"}}
    unknown = xapi(p, "GET", "/xapi/activities", c["auth"],
                   params={"activityId": "urn:x:never"})
    assert unknown.json() == {"objectType": "Activity", "id": "urn:x:never"}
    person = xapi(p, "GET", "/xapi/agents", c["auth"],
                  params={"agent": '{"name": "Jo", "mbox": "mailto:jo@example.org"}'})
    assert person.json() == {"objectType": "Person", "name": ["Jo"],
                             "mbox": ["mailto:jo@example.org"]}
    assert xapi(p, "GET", "/xapi/agents", c["auth"]).status_code == 400


def test_a_large_batch_and_singles_sent_at_once_are_all_stored(world):
    p, a, _, op = world
    c = client(p, op, a)
    large = [statement(n) for n in range(150)]
    singles = [statement(n) for n in range(12)]

    def put(one):
        return xapi(p, "PUT", f"/xapi/statements?statementId={one['id']}", c["auth"],
                    json=one).status_code

    with ThreadPoolExecutor(8) as pool:
        posted = pool.submit(xapi, p, "POST", "/xapi/statements", c["auth"],
                             json=large)
        statuses = list(pool.map(put, singles))
    assert posted.result().status_code == 200 and statuses == [204] * 12
    for one in (large[0], large[-1], *singles):
        got = xapi(p, "GET", f"/xapi/statements?statementId={one['id']}", c["auth"])
        assert got.status_code == 200, got.text


# -- statements as progress (decision 0059) -------------------------------------------
ADL = "http://adlnet.gov/expapi/verbs/"
MAPPED = re.compile(r'^continuity_statements_mapped_total\{outcome="(\w+)",'
                    r'reason="(\w*)"\} ([0-9.e+]+)$', re.MULTILINE)


def mapped(p) -> dict[tuple[str, str], float]:
    """What tracking did with the statements so far, from its ops port's metrics."""
    port = int(p.url.rsplit(":", 1)[1]) + 4  # tracking's ops port (test_startup.py)
    text = p.http.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    return {(o, r): float(n) for o, r, n in MAPPED.findall(text)}


def grew(p, before: dict, **wanted: int):
    """Wait until tracking has mapped ``wanted`` more statements by outcome_reason
    (``ignored_verb=1``): what it does with an event has happened, changes or not."""
    def reached():
        now = mapped(p)
        return all(now.get(tuple(key.split("_", 1)), 0)
                   - before.get(tuple(key.split("_", 1)), 0) >= n
                   for key, n in wanted.items()) and now
    return wait_for(reached, timeout=60)


def chapters_done(p, token: str, course_id: str) -> int:
    items = p.api("GET", "/api/v1/me/progress", token).json()["items"]
    return next((c["chapters_done"] for c in items if c["course_id"] == course_id), 0)


def test_statements_about_the_catalogue_are_progress_once_whichever_door(world):
    p, a, b, op = world
    learner_id = a.learner_ids[1]
    token = a.learners[learner_id]
    email = "eleve1@lycee-nord.fr"
    listed = p.api("GET", "/api/v1/courses", params={"limit": 100}).json()["items"]
    course = p.api("GET", f"/api/v1/courses/{listed[0]['id']}").json()
    first, second = (c["id"] for c in course["chapters"][:2])
    course_iri = f"{p.url}/catalogue/courses/{course['id']}"
    board = f"/api/v1/institutions/{a.id}/dashboard"
    started = p.api("GET", board, a.admin).json()["totals"]["courses_started"]

    def says(verb: str, iri: str, actor: dict) -> dict:
        return {"id": str(uuid.uuid4()), "actor": actor, "verb": {"id": ADL + verb},
                "object": {"id": iri}}

    # the chapter's IRI is its place on the course's page
    found = p.http.get(f"{course_iri}/chapters/{first}", timeout=10,
                       allow_redirects=False)
    assert found.status_code == 303
    assert found.headers["Location"].endswith(
        f"/catalogue/courses/{course['id']}#chapter-{first}")
    page = p.http.get(f"{course_iri}/chapters/{first}", timeout=10)
    assert page.status_code == 200 and f'id="chapter-{first}"' in page.text
    assert p.http.get(f"{course_iri}/chapters/nope", timeout=10).status_code == 404

    # the learner's own player, with the learner's token: the chapter is done
    own = {"Authorization": f"Bearer {token}"}
    me = {"account": {"homePage": p.url, "name": learner_id}}
    done = says("completed", f"{course_iri}/chapters/{first}", me)
    before = mapped(p)
    assert xapi(p, "POST", "/xapi/statements", own, json=done).status_code == 200
    wait_for(lambda: chapters_done(p, token, course["id"]) == 1, timeout=60)
    assert p.api("GET", board, a.admin).json()["totals"]["courses_started"] == (
        started + 1)

    # sent again, anew by the institution's player (by e-mail), and through the API
    player = client(p, op, a, ["statements/write"])
    assert xapi(p, "POST", "/xapi/statements", own, json=done).status_code == 200
    anew = says("experienced", f"{course_iri}/chapters/{first}",
                {"mbox": f"mailto:{email}"})
    assert xapi(p, "POST", "/xapi/statements", player["auth"], json=anew).ok
    api = p.api("POST", "/api/v1/progress", token, json={
        "course_id": course["id"], "kind": "chapter_completed", "chapter_id": first})
    assert api.status_code == 201, api.text
    # an unrelated statement, and another institution's player naming this learner
    unrelated = says("attempted", course_iri, me)
    assert xapi(p, "POST", "/xapi/statements", player["auth"], json=unrelated).ok
    theirs = client(p, op, b, ["statements/write"])
    for actor in (me, {"mbox": f"mailto:{email}"}):
        intrusion = says("completed", f"{course_iri}/chapters/{second}", actor)
        assert xapi(p, "POST", "/xapi/statements", theirs["auth"], json=intrusion).ok
    # voided, the statement stays a fact: progress is a record of what happened
    voiding = says("voided", course_iri, me)
    voiding["object"] = {"objectType": "StatementRef", "id": done["id"]}
    assert xapi(p, "POST", "/xapi/statements", player["auth"], json=voiding).ok
    grew(p, before, recorded_=2, ignored_verb=2, refused_unknown_learner=2)
    assert chapters_done(p, token, course["id"]) == 1
    totals = p.api("GET", board, a.admin).json()["totals"]
    assert totals["courses_started"] == started + 1

    # the player's statement about the next chapter, by e-mail, among chatter in one
    # request (one statements.stored.v1, decision 0064): the chapter done too
    nxt = says("completed", f"{course_iri}/chapters/{second}",
               {"mbox": f"mailto:{email.upper()}"})
    chatter = [says(verb, f"{course_iri}/chapters/{second}",
                    {"mbox": f"mailto:{email}"}) for verb in ("attempted", "answered")]
    before = mapped(p)
    assert xapi(p, "POST", "/xapi/statements", player["auth"],
                json=[chatter[0], nxt, chatter[1]]).ok
    wait_for(lambda: chapters_done(p, token, course["id"]) == 2, timeout=60)
    grew(p, before, recorded_=1, ignored_verb=2)
    other = b.learners[b.learner_ids[0]]
    assert p.api("GET", "/api/v1/me/progress", other).json()["items"] == []
