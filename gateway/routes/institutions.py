"""Institutions for operators: the list with its filters, and each one's admins
(invite another, remove one: that account's tokens and web sessions end at once)."""

from __future__ import annotations

from services.onboarding.contracts.rpc import InviteAdmin, MemberView

from .. import auth
from ..schemas import AdminPage, AdminRemovedOut, InstitutionPage, InstitutionsQuery
from .base import RouteBase, api, json_body, json_response

FILTERS = ("q", "country", "status", "limit", "cursor")
# what an admin's audit record keeps of them
ADMIN_STATE = ("email", "role")


class InstitutionsRoutes(RouteBase):
    def find_institutions(self, args) -> dict:
        """A page of institutions by the filters in ``args`` (a query string's
        values), with each one's plan: the API's list and the operators' page."""
        filters = {name: args[name] for name in FILTERS if args.get(name)}
        plan = args.get("plan")
        if plan:  # licensing knows who holds which plan
            filters["ids"] = list(self.call(self.licensing_rpc.list_plans, None, plan))
        items = self.call(self.onboarding_rpc.list_institutions, filters)
        plans = self.call(self.licensing_rpc.list_plans,
                          [item["id"] for item in items]) if items else {}
        limit = int(filters.get("limit", 50))
        return {"items": [{**item, "plan": plans.get(item["id"])} for item in items],
                "next_cursor": items[-1]["id"] if len(items) == limit else None}

    @api("GET", "/api/v1/institutions", roles={"operator"}, tags=("institutions",),
         summary="Institutions, newest first: `q` finds a part of the name or city; "
                 "filters `country`, `status`, `plan`; keyset-paged (`next_cursor`)",
         query=InstitutionsQuery, responses={200: InstitutionPage})
    def list_institutions(self, request, principal):
        return json_response(self.find_institutions(request.args))

    # -- admins ---------------------------------------------------------------------
    @api("GET", "/api/v1/institutions/<institution_id>/admins", roles={"operator"},
         tags=("institutions",), summary="The institution's admins",
         responses={200: AdminPage})
    def list_admins(self, request, principal, institution_id):
        items = self.call(self.onboarding_rpc.list_admins, institution_id)
        return json_response({"items": items, "next_cursor": None})

    def invite_admin(self, request, principal, institution_id: str, body: dict) -> dict:
        """Another admin, invited by e-mail to set a password; audited."""
        member = self.call(self.onboarding_rpc.invite_admin, institution_id, body)
        self.audited(request, principal, "admin.invited", ("member", member["id"]),
                     institution_id, None, {k: member.get(k) for k in ADMIN_STATE})
        return member

    @api("POST", "/api/v1/institutions/<institution_id>/admins", roles={"operator"},
         tags=("institutions",), body=InviteAdmin, responses={201: MemberView},
         idempotent=True,
         summary="Make someone another admin of an active institution: they are "
                 "e-mailed an invitation to set their password")
    def add_admin(self, request, principal, institution_id):
        member = self.invite_admin(request, principal, institution_id,
                                   json_body(request))
        return json_response(member, status=201)

    def remove_admin(self, request, principal, institution_id: str,
                     member_id: str) -> dict:
        """Take an admin off the institution (never its last: 409 ``last-admin``);
        their account's tokens and web sessions end at once and it signs in no
        more; audited. The account ends in a transaction that commits only once
        onboarding has removed the member: a refusal leaves the account as it was."""
        with self.db.begin() as session:
            had_account = auth.remove_account(session, member_id, self.clock())
            removed = self.call(self.onboarding_rpc.remove_admin, institution_id,
                                member_id)
            self.audited(request, principal, "admin.removed", ("member", member_id),
                         institution_id,
                         {"email": removed["email"], "role": "institution_admin"},
                         None, session)
        return {**removed, "account_ended": had_account}

    @api("DELETE", "/api/v1/institutions/<institution_id>/admins/<member_id>",
         roles={"operator"}, tags=("institutions",), idempotent=True,
         responses={200: AdminRemovedOut},
         summary="Remove an admin: their tokens and web sessions end at once and "
                 "they sign in no more. The last admin stays (409 `last-admin`): "
                 "invite another first")
    def delete_admin(self, request, principal, institution_id, member_id):
        return json_response(self.remove_admin(request, principal, institution_id,
                                               member_id))
