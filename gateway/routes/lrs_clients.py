"""The xAPI LRS's client credentials: operators issue, list and revoke them."""

from __future__ import annotations

from werkzeug.wrappers import Response

from .. import lrs_clients
from ..audit import state
from ..schemas import LrsClientList, LrsClientListed, LrsClientOut, LrsClientRequest
from .base import ApiError, RouteBase, api, json_body, json_response, load

TAGS = ("lrs",)
# what a client's audit record keeps of it (never its secret)
CLIENT_STATE = ("institution_id", "name", "key", "scopes", "revoked_at")


class LrsClientsRoutes(RouteBase):
    @api("POST", "/api/v1/lrs/clients", roles={"operator"}, tags=TAGS,
         body=LrsClientRequest, responses={201: LrsClientOut},
         summary="Issue an xAPI client's credentials for one institution (the secret "
                 "is shown once, stored hashed)", idempotent=True)
    def issue_lrs_client(self, request, principal):
        body = load(LrsClientRequest(), json_body(request))
        return json_response(self.new_lrs_client(request, principal, body), status=201)

    def new_lrs_client(self, request, principal, body: dict) -> dict:
        """A client and its secret (in the answer only), audited: the API's and the
        operators' page alike."""
        # an institution that does not exist is 404 (onboarding says so)
        self.call(self.onboarding_rpc.get_institution, body["institution_id"])
        with self.db.begin() as session:
            issued = lrs_clients.issue(session, now=self.clock(), **body)
            out = LrsClientOut().dump(issued.client)
            self.audited(request, principal, "lrs_client.issued",
                         ("lrs_client", out["id"]), out["institution_id"], None,
                         state(out, CLIENT_STATE), session)
        return {**out, "secret": issued.secret}

    @api("GET", "/api/v1/lrs/clients", roles={"operator"}, tags=TAGS,
         responses={200: LrsClientList},
         summary="The xAPI clients, of one institution with ?institution_id=")
    def list_lrs_clients(self, request, principal):
        with self.db.begin() as session:
            found = lrs_clients.clients_of(session, request.args.get("institution_id"))
            return json_response({"items": LrsClientListed(many=True).dump(found)})

    @api("DELETE", "/api/v1/lrs/clients/<client_id>", roles={"operator"}, tags=TAGS,
         responses={204: "Revoked: its credentials stop working within seconds"},
         summary="Revoke an xAPI client's credentials", idempotent=True)
    def revoke_lrs_client(self, request, principal, client_id):
        self.end_lrs_client(request, principal, client_id)
        return Response(status=204)

    def end_lrs_client(self, request, principal, client_id: str) -> dict:
        """Revoke a client, audited: the API's and the operators' page alike; the
        client as it is now."""
        with self.db.begin() as session:
            client = session.get(lrs_clients.LrsClient, client_id)
            if client is None:
                raise ApiError(404, "not-found", "no such LRS client")
            before = state(LrsClientOut().dump(client), CLIENT_STATE)
            lrs_clients.revoke(session, client_id, self.clock())
            out = LrsClientOut().dump(client)
            self.audited(request, principal, "lrs_client.revoked",
                         ("lrs_client", client_id), client.institution_id, before,
                         state(out, CLIENT_STATE), session)
        return out
