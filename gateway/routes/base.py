"""What every route group shares: RPC with a deadline, tenant checks, input helpers."""

from __future__ import annotations

import eventlet
from marshmallow import Schema, ValidationError

from .. import audit
from ..errors import ApiError, RpcTimeout
from ..http import api, json_body, json_response
from ..openapi import Answer

__all__ = ["Answer", "ApiError", "RouteBase", "api", "int_arg", "json_body", "json_response", "load"]


def load(schema: Schema, body: dict) -> dict:
    try:
        return schema.load(body)
    except ValidationError as exc:
        raise ApiError(422, "validation-error", "some fields are invalid: see errors",
                       errors=exc.messages) from None


def int_arg(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ApiError(422, "validation-error", f"{name} must be between {low} and {high}",
                       errors={name: [f"must be an integer between {low} and {high}"]})
    return int(raw)


class RouteBase:
    """Helpers for route methods; the dependencies live on GatewayService."""

    def call(self, method, *args, **kwargs):
        """An RPC with a deadline: a service that is down gives 503, not a hang."""
        try:
            with eventlet.Timeout(self.config.get("RPC_TIMEOUT", 30)):
                return method(*args, **kwargs)
        except eventlet.Timeout:
            raise RpcTimeout("a service did not answer in time; try again") from None

    def call_all(self, *calls: tuple) -> list:
        """Several RPCs at once, each ``(method, *args)``: their answers in order,
        within one deadline. A page that needs three services waits for the slowest,
        not for the sum. An error is raised as ``call`` raises it."""
        try:
            with eventlet.Timeout(self.config.get("RPC_TIMEOUT", 30)):
                replies = [method.call_async(*args) for method, *args in calls]
                return [reply.result() for reply in replies]
        except eventlet.Timeout:
            raise RpcTimeout("a service did not answer in time; try again") from None

    def own_institution(self, principal, institution_id: str) -> None:
        """Admins reach only their institution: any other is 404, like a missing one."""
        if principal.role == "institution_admin" and principal.institution_id != institution_id:
            raise ApiError(404, "not-found", "no such institution")

    def audited(self, request, principal, action: str, target: tuple[str, str],
                institution_id: str | None, before: dict | None, after: dict | None,
                session=None) -> None:
        """Record an operator action that was done (``gateway/audit.py``), in the
        action's own transaction when it has one here."""
        actor = audit.Actor(principal.subject, principal.email,
                            getattr(request, "correlation_id", None))
        if session is not None:
            audit.record(session, actor, action, *target, institution_id, before,
                         after, self.clock())
            return
        with self.db.begin() as own:
            audit.record(own, actor, action, *target, institution_id, before,
                         after, self.clock())
