"""Licences, for operators: read one, extend it, grant seats, revoke it.

Each change takes an ``Idempotency-Key`` and leaves an audit record of the licence's
state before and after it."""

from __future__ import annotations

from services.licensing.contracts import rpc as licensing

from ..audit import LICENCE_STATE, state
from .base import RouteBase, api, json_body, json_response

LICENCE = {200: licensing.LicenceView}


NOT_RUNNING = {409: "The licence is not running (expired or revoked), or the first "
                    "request with this Idempotency-Key still runs"}


class LicensingRoutes(RouteBase):
    def operator_of(self, principal) -> str:
        return principal.email or principal.subject

    def change_licence(self, request, principal, licence_id, action: str, method):
        return json_response(self.licence_change(request, principal, licence_id,
                                                 action, method, json_body(request)))

    def licence_change(self, request, principal, licence_id: str, action: str, method,
                       body: dict) -> dict:
        """One operator action on a licence, audited with its state before and
        after: the API's and the operators' page alike."""
        before = self.call(self.licensing_rpc.get_licence_by_id, licence_id)
        after = self.call(method, licence_id, body, self.operator_of(principal))
        self.audited(request, principal, action, ("licence", licence_id),
                     after.get("institution_id"), state(before, LICENCE_STATE),
                     state(after, LICENCE_STATE))
        return after

    @api("GET", "/api/v1/licences/<licence_id>", roles={"operator"},
         summary="A licence: plan, status, seats used and waiting, days left",
         responses=LICENCE, tags=("licences",))
    def show_licence(self, request, principal, licence_id):
        return json_response(
            self.call(self.licensing_rpc.get_licence_by_id, licence_id)
        )

    @api("POST", "/api/v1/licences/<licence_id>/extension", roles={"operator"},
         summary="Extend a running licence by 1 to 365 days (licence.extended.v1)",
         body=licensing.ExtendLicenceRequest, responses=LICENCE, tags=("licences",),
         idempotent=True, errors=NOT_RUNNING)
    def extend_licence(self, request, principal, licence_id):
        return self.change_licence(request, principal, licence_id, "licence.extended",
                                   self.licensing_rpc.extend_licence)

    @api("POST", "/api/v1/licences/<licence_id>/seats", roles={"operator"},
         summary="Grant a running licence more seats, up to its plan's maximum; "
                 "waiting learners are seated first come, first served "
                 "(seats.added.v1, seats.assigned.v1)",
         body=licensing.AddSeatsRequest, responses=LICENCE, tags=("licences",),
         idempotent=True, errors=NOT_RUNNING)
    def add_licence_seats(self, request, principal, licence_id):
        return self.change_licence(request, principal, licence_id,
                                   "licence.seats_added", self.licensing_rpc.add_seats)

    @api("POST", "/api/v1/licences/<licence_id>/revocation", roles={"operator"},
         summary="Revoke a running licence now, for a reason (licence.revoked.v1)",
         body=licensing.RevokeLicenceRequest, responses=LICENCE, tags=("licences",),
         idempotent=True, errors=NOT_RUNNING)
    def revoke_licence(self, request, principal, licence_id):
        return self.change_licence(request, principal, licence_id, "licence.revoked",
                                   self.licensing_rpc.revoke_licence)
