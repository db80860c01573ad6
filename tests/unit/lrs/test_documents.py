"""xAPI's document resources through the lrs's RPCs, on SQLite and PostgreSQL:
ETag concurrency, JSON merge on POST, id lists with since, deletes."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from services.common.db import utcnow
from services.lrs.contracts.errors import (
    Conflict,
    Invalid,
    NotFound,
    PreconditionFailed,
)
from services.lrs.models import Base, outbox_table
from services.lrs.service import LrsService
from tests.support.outbox import table_outbox

AGENT = {"mbox": "mailto:jo@example.org"}
ACTIVITY = "https://courses.example.org/c/1"
WHERE = ("kind", "doc_id", "registration", "institution_id")


class Clock:
    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def lrs(make_sessions):
    return worker_factory(LrsService, db=make_sessions(Base.metadata), clock=Clock(),
                          outbox=table_outbox(outbox_table))


def address(kind="state", doc_id="bookmark", **more) -> dict:
    base = {"institution_id": "inst-1", "kind": kind, "doc_id": doc_id}
    if kind in ("state", "activity-profile"):
        base["activity_id"] = ACTIVITY
    if kind in ("state", "agent-profile"):
        base["agent"] = AGENT
    return {**base, **more}


def write(lrs, content, content_type="application/json", **more) -> str:
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    where = {k: v for k, v in more.items() if k in WHERE}
    how = {k: v for k, v in more.items() if k not in WHERE}
    return lrs.write_document({**address(**where), **how,
                               "content": base64.b64encode(raw).decode(),
                               "content_type": content_type})["etag"]


def read(lrs, **more):
    found = lrs.get_document(address(**more))
    return base64.b64decode(found["content"]), found


def test_document_put_then_get_with_its_etag(lrs):
    etag = write(lrs, {"page": 3})
    content, found = read(lrs)
    assert json.loads(content) == {"page": 3} and found["etag"] == etag
    assert found["content_type"] == "application/json"


def test_document_binary_content_kept_as_sent(lrs):
    write(lrs, b"\x00\x01binary", content_type="application/octet-stream")
    assert read(lrs)[0] == b"\x00\x01binary"


def test_document_post_merges_json_objects(lrs):
    write(lrs, {"page": 3, "score": 1})
    write(lrs, {"score": 2, "seen": True}, merge=True)
    assert json.loads(read(lrs)[0]) == {"page": 3, "score": 2, "seen": True}


def test_document_merge_json_objects_only(lrs):
    write(lrs, b"plain", content_type="text/plain")
    with pytest.raises(Invalid) as refused:
        write(lrs, {"a": 1}, merge=True)
    assert refused.value.violations[0]["rule"] == "document.merge-json-objects"


def test_document_if_match(lrs):
    etag = write(lrs, {"v": 1})
    write(lrs, {"v": 2}, if_match=f'"{etag}"')
    with pytest.raises(PreconditionFailed) as refused:
        write(lrs, {"v": 3}, if_match=f'"{etag}"')
    assert refused.value.violations[0]["rule"] == "document.if-match"
    assert json.loads(read(lrs)[0]) == {"v": 2}


def test_document_if_none_match_star_creates_only(lrs):
    write(lrs, {"v": 1}, if_none_match="*")
    with pytest.raises(PreconditionFailed):
        write(lrs, {"v": 2}, if_none_match="*")


def test_document_precondition_required_for_profiles(lrs):
    write(lrs, {"v": 1}, kind="agent-profile", precondition_required=True)
    with pytest.raises(Conflict) as refused:
        write(lrs, {"v": 2}, kind="agent-profile", precondition_required=True)
    assert refused.value.violations[0]["rule"] == "document.precondition-required"


def test_document_scoped_by_registration_and_institution(lrs):
    write(lrs, {"v": "plain"})
    write(lrs, {"v": "registered"}, registration="6A1D3B8E-0000-4000-8000-000000000001")
    assert json.loads(read(lrs)[0]) == {"v": "plain"}
    registered = read(lrs, registration="6a1d3b8e-0000-4000-8000-000000000001")[0]
    assert json.loads(registered) == {"v": "registered"}
    with pytest.raises(NotFound):
        read(lrs, institution_id="inst-2")


def test_document_ids_listed_since(lrs):
    write(lrs, {"v": 1}, doc_id="a")
    _, first = read(lrs, doc_id="a")
    write(lrs, {"v": 1}, doc_id="b")
    assert lrs.list_documents(address(doc_id=None)) == ["a", "b"]
    assert lrs.list_documents(address(doc_id=None, since=first["updated"])) == ["b"]


def test_document_delete_one_or_all_states(lrs):
    write(lrs, {"v": 1}, doc_id="a")
    write(lrs, {"v": 1}, doc_id="b")
    lrs.delete_documents(address(doc_id="a"))
    assert lrs.list_documents(address(doc_id=None)) == ["b"]
    lrs.delete_documents(address(doc_id=None))
    assert lrs.list_documents(address(doc_id=None)) == []
