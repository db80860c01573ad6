"""The document resources of xAPI 1.0.3 (Communication 2.3-2.6): State, Activity
Profile and Agent Profile documents, stored as their clients sent them, with the
ETag concurrency the specification asks for and JSON merging on POST.

Plain functions on a Session, with ``now`` passed in; no nameko here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.common import jsoncodec
from services.common.bulk import bulk_insert

from .contracts.errors import Conflict, Invalid, NotFound, PreconditionFailed
from .keys import agent_key, digest
from .models import Document

KINDS = ("state", "activity-profile", "agent-profile")
JSON = "application/json"
TABLE = Document.__table__
WRITTEN = ("doc_id", "content", "content_type", "etag", "updated")


@dataclass(frozen=True)
class Found:
    content: bytes
    content_type: str
    etag: str
    updated: datetime


def scope_key(kind: str, activity_id: str | None, agent: dict | None,
              registration: str | None) -> str:
    """What a document belongs to: its activity, agent and registration."""
    return digest(kind, "\x1f".join((activity_id or "", agent_key(agent) or "",
                                     (registration or "").lower())))


def _where(institution_id: str, kind: str, scope: str):
    return (Document.institution_id == institution_id, Document.kind == kind,
            Document.scope_key == scope)


def _tags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}


def _check_preconditions(existing: Document | None, if_match: str | None,
                         if_none_match: str | None, required: bool) -> None:
    if if_match is not None and (existing is None or (
            if_match.strip() != "*" and existing.etag not in _tags(if_match))):
        raise PreconditionFailed([{"path": "If-Match", "rule": "document.if-match",
                                   "detail": "the document is not at that ETag"}])
    if if_none_match is not None and existing is not None and (
            if_none_match.strip() == "*" or existing.etag in _tags(if_none_match)):
        raise PreconditionFailed([{"path": "If-None-Match",
                                   "rule": "document.if-none-match",
                                   "detail": "the document exists"}])
    if required and existing is not None and if_match is None and if_none_match is None:
        raise Conflict([{"path": "If-Match", "rule": "document.precondition-required",
                         "detail": "the document exists: send If-Match with its ETag "
                                   "(or If-None-Match: * to create only)"}])


def _json_object(content: bytes, path: str) -> dict:
    try:
        value = jsoncodec.loads(content)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise Invalid([{"path": path, "rule": "document.merge-json-objects",
                        "detail": "a POST merges JSON objects only"}])
    return value


def write(session: Session, *, institution_id: str, kind: str, scope: str,
          doc_id: str, content: bytes, content_type: str, merge: bool,
          if_match: str | None, if_none_match: str | None, required: bool,
          now: datetime) -> str:
    """PUT (replace) or POST (``merge``: JSON objects' top-level keys); its ETag."""
    doc_key = digest("doc", doc_id)
    existing = session.scalars(select(Document).where(
        *_where(institution_id, kind, scope), Document.doc_key == doc_key)
        .with_for_update()).first()
    _check_preconditions(existing, if_match, if_none_match, required)
    if merge:
        mine = _json_object(content, "body")
        if existing is not None:
            theirs = _json_object(existing.content, "document")
            content = jsoncodec.dumps({**theirs, **mine}).encode()
            content_type = JSON
    etag = hashlib.sha1(content).hexdigest()
    bulk_insert(session.connection(), TABLE, [{
        "institution_id": institution_id, "kind": kind, "scope_key": scope,
        "doc_key": doc_key, "doc_id": doc_id, "content": content,
        "content_type": content_type, "etag": etag, "updated": now}], update=WRITTEN)
    return etag


def read(session: Session, institution_id: str, kind: str, scope: str,
         doc_id: str) -> Found:
    found = session.scalars(select(Document).where(
        *_where(institution_id, kind, scope),
        Document.doc_key == digest("doc", doc_id))).first()
    if found is None:
        raise NotFound([{"path": "id", "rule": "document.not-found",
                         "detail": f"no document {doc_id!r} here"}])
    return Found(found.content, found.content_type, found.etag, found.updated)


def ids(session: Session, institution_id: str, kind: str, scope: str,
        since: datetime | None) -> list[str]:
    query = select(Document.doc_id).where(*_where(institution_id, kind, scope))
    if since is not None:
        query = query.where(Document.updated > since)
    return list(session.scalars(query.order_by(Document.updated, Document.doc_key)))


def remove(session: Session, institution_id: str, kind: str, scope: str,
           doc_id: str | None, if_match: str | None) -> None:
    """One document, or (the State resource without a stateId) all of the scope."""
    where = _where(institution_id, kind, scope)
    if doc_id is not None:
        where = (*where, Document.doc_key == digest("doc", doc_id))
        if if_match is not None:
            existing = session.scalars(select(Document).where(*where)).first()
            _check_preconditions(existing, if_match, None, False)
    session.execute(delete(Document).where(*where))
