"""Login, invitations and who am I."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate
from werkzeug.wrappers import Response

from .. import auth
from .base import RouteBase, api, json_body, json_response, load


class LoginRequest(Schema):
    class Meta:
        unknown = RAISE

    email = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class AcceptInvitation(Schema):
    class Meta:
        unknown = RAISE

    password = fields.String(required=True, validate=validate.Length(min=10, max=1024))


class AccountsRoutes(RouteBase):
    # -- accounts -------------------------------------------------------------------
    def token_response(self, principal) -> Response:
        ttl = self.config["TOKEN_TTL_SECONDS"]
        token = auth.issue_token(self.config["TOKEN_SECRET"], principal, ttl)
        return json_response({
            "access_token": token, "token_type": "Bearer", "expires_in": ttl,
            "role": principal.role, "subject": principal.subject,
            "institution_id": principal.institution_id,
        })

    @api("POST", "/api/v1/auth/token")
    def login(self, request, principal):
        credentials = load(LoginRequest(), json_body(request))
        with self.db.begin() as session:
            who = auth.login(session, credentials["email"], credentials["password"])
        return self.token_response(who)

    @api("POST", "/api/v1/invitations/<token>/accept")
    def accept_invitation(self, request, principal, token):
        body = load(AcceptInvitation(), json_body(request))
        member = self.call(self.onboarding_rpc.redeem_invitation, token)
        with self.db.begin() as session:
            who = auth.create_account(
                session, account_id=member["id"], email=member["email"],
                password=body["password"], role=member["role"],
                institution_id=member["institution_id"],
            )
        return self.token_response(who)

    # -- learners -------------------------------------------------------------------
    @api("GET", "/api/v1/me", roles={"learner", "institution_admin", "operator"})
    def me(self, request, principal):
        return json_response({"id": principal.subject, "role": principal.role,
                              "email": principal.email,
                              "institution_id": principal.institution_id})
