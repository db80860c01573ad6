"""The audit trail of operator actions, for operators."""

from __future__ import annotations

from datetime import datetime

from .. import audit
from ..schemas import AuditPage, AuditQuery, AuditRecordOut
from .base import ApiError, RouteBase, api, int_arg, json_response


def since_arg(request) -> datetime | None:
    raw = request.args.get("since")
    if raw is None:
        return None
    try:
        since = datetime.fromisoformat(raw)
    except ValueError:
        since = None
    if since is None or since.tzinfo is None:
        raise ApiError(422, "validation-error", "since must be a time with its offset",
                       errors={"since": ["must be an ISO 8601 time with an offset"]})
    return since


def cursor_arg(request) -> int | None:
    raw = request.args.get("cursor")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ApiError(422, "validation-error", "cursor is not one this route gave",
                       errors={"cursor": ["is not one this route gave"]})
    return int(raw)


class AuditRoutes(RouteBase):
    @api("GET", "/api/v1/audit", roles={"operator"}, tags=("audit",),
         summary="Operator actions, newest first: who did what to which "
                 "licence, application or partner, the state before and after, "
                 "the request id",
         query=AuditQuery, responses={200: AuditPage})
    def list_audit(self, request, principal):
        limit = int_arg(request, "limit", 50, 1, 200)
        with self.db.begin() as session:
            items = audit.records(
                session, institution_id=request.args.get("institution_id"),
                action=request.args.get("action"), since=since_arg(request),
                limit=limit, before_id=cursor_arg(request))
            return json_response({
                "items": AuditRecordOut(many=True).dump(items),
                "next_cursor": str(items[-1].id) if len(items) == limit else None})
