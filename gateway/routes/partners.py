"""Partners: API keys (operators create them), webhooks (partners manage their own)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from services.common.contracts import all_event_types

from ..audit import state
from ..models import Partner
from ..partners import bindings, deliveries, destinations, endpoints, fanout, keys
from ..partners.errors import Invalid, NotFound
from ..schemas import (
    DeliveryOut,
    DeliveryPage,
    PageQuery,
    PartnerListed,
    PartnerOut,
    PartnerPage,
    PartnerRequest,
    ReplayOut,
    ReplayRequest,
    WebhookOut,
    WebhookPage,
    WebhookRequest,
)
from .base import ApiError, RouteBase, api, int_arg, json_body, json_response, load

# what a partner's audit record keeps of it (never its key)
PARTNER_STATE = ("name", "contact_email", "event_types", "institution_ids",
                 "revoked_at")


def webhook_errors(call):
    try:
        return call()
    except Invalid as exc:
        raise ApiError(422, "validation-error", "some fields are invalid: see errors",
                       errors=exc.errors) from None
    except NotFound as exc:
        raise ApiError(404, "not-found", str(exc)) from None


class PartnersRoutes(RouteBase):
    """Each route parses, calls the partner context (gateway/partners) and answers."""

    @api("POST", "/api/v1/partners", roles={"operator"}, tags=("partners",),
         body=PartnerRequest, responses={201: PartnerOut},
         summary="Create a partner and its API key (shown once, stored hashed)",
         idempotent=True)
    def create_partner(self, request, principal):
        body = load(PartnerRequest(), json_body(request))
        return json_response(self.new_partner(request, principal, body), status=201)

    def new_partner(self, request, principal, body: dict) -> dict:
        """A partner and its key (in the answer only), audited: the API's and the
        operators' page alike."""
        with self.db.begin() as session:
            created = keys.create_partner(session, now=self.clock(), **body)
            out = PartnerOut().dump(created.partner)
            self.audited(request, principal, "partner.created",
                         ("partner", out["id"]), None, None, state(out, PARTNER_STATE),
                         session)
            # its events start reaching the webhooks worker before the key exists
            bindings.sync(self.config["AMQP_URI"], created.partner.event_types)
        return {**out, "api_key": created.api_key}

    @api("GET", "/api/v1/partners", roles={"operator"}, tags=("partners",),
         responses={200: PartnerPage},
         summary="Partners, newest first, revoked ones too (never their keys)")
    def list_partners(self, request, principal):
        with self.db.begin() as session:
            items = keys.list_partners(session)
            return json_response({"items": PartnerListed(many=True)
                                  .dump(items), "next_cursor": None})

    @api("DELETE", "/api/v1/partners/<partner_id>", roles={"operator"}, tags=("partners",),
         responses={204: "Revoked: the key stops working, its webhooks are disabled"},
         summary="Revoke a partner's API key", idempotent=True)
    def revoke_partner(self, request, principal, partner_id):
        self.end_partner(request, principal, partner_id)
        return Response(status=204)

    def end_partner(self, request, principal, partner_id: str) -> None:
        """Revoke a partner's key, audited: the API's and the operators' page alike."""
        with self.db.begin() as session:
            before = webhook_errors(lambda: keys.partner_of(session, partner_id))
            before = state(PartnerOut().dump(before), PARTNER_STATE)
            revoked = webhook_errors(
                lambda: keys.revoke(session, partner_id, self.clock()))
            after = state(PartnerOut().dump(session.get(Partner, partner_id)),
                          PARTNER_STATE)
            self.audited(request, principal, "partner.revoked",
                         ("partner", partner_id), None, before, after, session)
        bindings.unbind_revoked(self.config["AMQP_URI"], revoked)  # once committed

    @api("POST", "/api/v1/webhooks", roles={"partner"}, tags=("webhooks",),
         body=WebhookRequest, responses={201: WebhookOut},
         summary="Register an endpoint for event types (Standard Webhooks signatures)")
    def create_webhook(self, request, principal):
        body = load(WebhookRequest(), json_body(request))
        allowed = destinations.parse_networks(self.config["WEBHOOK_ALLOWED_NETWORKS"])
        with self.db.begin() as session:
            webhook = webhook_errors(lambda: endpoints.register_webhook(
                session, principal.subject, body["url"], body["event_types"],
                set(all_event_types()), self.clock(), allowed))
            return json_response(WebhookOut().dump(webhook), status=201)

    @api("GET", "/api/v1/webhooks", roles={"partner"}, tags=("webhooks",),
         responses={200: WebhookPage}, summary="Your endpoints")
    def list_webhooks(self, request, principal):
        with self.db.begin() as session:
            items = endpoints.list_webhooks(session, principal.subject)
            return json_response({"items": WebhookOut(many=True, exclude=("secret",))
                                  .dump(items), "next_cursor": None})

    @api("DELETE", "/api/v1/webhooks/<webhook_id>", roles={"partner"}, tags=("webhooks",),
         responses={204: "Deleted"}, summary="Stop deliveries to an endpoint")
    def delete_webhook(self, request, principal, webhook_id):
        with self.db.begin() as session:
            webhook_errors(lambda: endpoints.delete_webhook(
                session, principal.subject, webhook_id, self.clock()))
        return Response(status=204)

    @api("POST", "/api/v1/webhooks/<webhook_id>/secret", roles={"partner"},
         tags=("webhooks",), responses={200: WebhookOut},
         summary="Rotate the signing secret (the old one also signs for 24 h)")
    def rotate_secret(self, request, principal, webhook_id):
        with self.db.begin() as session:
            webhook = webhook_errors(lambda: endpoints.rotate_webhook_secret(
                session, principal.subject, webhook_id, self.clock()))
            return json_response(WebhookOut().dump(webhook))

    @api("POST", "/api/v1/webhooks/<webhook_id>/enable", roles={"partner"},
         tags=("webhooks",), responses={200: WebhookOut},
         summary="Re-enable an endpoint disabled after 24 hours of failures")
    def enable_webhook(self, request, principal, webhook_id):
        with self.db.begin() as session:
            webhook = webhook_errors(lambda: endpoints.enable_webhook(
                session, principal.subject, webhook_id))
            return json_response(WebhookOut(exclude=("secret",)).dump(webhook))

    @api("GET", "/api/v1/webhooks/<webhook_id>/deliveries", roles={"partner"},
         tags=("webhooks",), query=PageQuery, responses={200: DeliveryPage},
         summary="Deliveries to an endpoint, newest first, with their outcomes")
    def list_deliveries(self, request, principal, webhook_id):
        limit = int_arg(request, "limit", 50, 1, 200)
        with self.db.begin() as session:
            items = webhook_errors(lambda: deliveries.own_deliveries(
                session, principal.subject, webhook_id, limit,
                request.args.get("cursor")))
            return json_response({
                "items": DeliveryOut(many=True).dump(items),
                "next_cursor": items[-1].id if len(items) == limit else None})

    @api("POST", "/api/v1/webhooks/<webhook_id>/replay", roles={"partner"},
         tags=("webhooks",), body=ReplayRequest, responses={202: ReplayOut},
         summary="Deliver again every event of the endpoint's types since a time")
    def replay(self, request, principal, webhook_id):
        with self.db.begin() as session:  # ownership first: nothing about others leaks
            webhook = webhook_errors(
                lambda: endpoints.own_webhook(session, principal.subject, webhook_id))
            body = load(ReplayRequest(), json_body(request))
            queued = fanout.replay(session, webhook, body["since"], self.clock())
        return json_response({"queued": queued}, status=202)
