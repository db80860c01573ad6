"""Login, invitations and who am I."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate
from werkzeug.wrappers import Response

from services.common.db import utcnow
from services.common.fields import Email

from .. import auth
from ..http import client_address
from ..schemas import Me, Token
from .base import ApiError, RouteBase, api, json_body, json_response, load


class LoginRequest(Schema):
    class Meta:
        unknown = RAISE

    email = Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class AcceptInvitation(Schema):
    class Meta:
        unknown = RAISE

    password = fields.String(required=True, validate=validate.Length(min=10, max=1024))


class PasswordChange(Schema):
    class Meta:
        unknown = RAISE

    current_password = fields.String(required=True,
                                     validate=validate.Length(min=1, max=1024))
    # the rule of invitations (AcceptInvitation)
    new_password = fields.String(required=True,
                                 validate=validate.Length(min=10, max=1024))


def sign_in(routes, email: str, password: str, client: str) -> auth.Principal:
    """Who these credentials are, for the API's token and the web app's sign-in alike:
    one throttle per account and client address (429), 401 for wrong ones."""
    wait = routes.rate_limits.retry_after("login_account", email.lower())
    if wait:  # guesses spread over many addresses still meet here
        raise ApiError(429, "too-many-requests",
                       f"too many sign-in attempts for this account; retry in {wait} s",
                       headers={"Retry-After": str(wait)})
    try:
        with routes.db.begin() as session:
            who = auth.login(session, email, password, client, routes.clock())
    except auth.SlowDown as exc:
        raise ApiError(429, "too-many-failed-logins",
                       f"too many failed logins for this account from your "
                       f"address; retry in "
                       f"{exc.retry_after} s",
                       headers={"Retry-After": str(exc.retry_after)}) from None
    if who is None:
        raise auth.Unauthenticated("wrong e-mail or password")
    return who


def accept_invitation(routes, token: str, password: str) -> auth.Principal:
    """The invited person's account with this password, for the API and the web app.

    The account first, the invitation used last: an account refused (its address has
    one) leaves the invitation usable; an invitation used meanwhile (410) rolls the
    account back."""
    member = routes.call(routes.onboarding_rpc.get_invitation, token)
    with routes.db.begin() as session:
        who = auth.create_account(
            session, account_id=member["id"], email=member["email"],
            password=password, role=member["role"],
            institution_id=member["institution_id"],
        )
        routes.call(routes.onboarding_rpc.redeem_invitation, token)
    return who


def change_password(routes, principal: auth.Principal, current: str, new: str,
                    client: str) -> auth.Principal:
    """The API's and the web app's password change: the current password checked
    like a sign-in (same throttles; 403 when wrong), then every earlier token and
    session of the account revoked. The caller gives the person a new one."""
    try:
        who = sign_in(routes, principal.email or "", current, client)
    except auth.Unauthenticated:
        who = None
    if who is None or who.subject != principal.subject:
        raise ApiError(403, "wrong-password", "the current password is not right")
    with routes.db.begin() as session:
        auth.change_password(session, who.subject, new, utcnow())
    return who


class AccountsRoutes(RouteBase):
    # -- accounts -------------------------------------------------------------------
    def token_response(self, principal) -> Response:
        ttl = self.config["TOKEN_TTL_SECONDS"]
        keys = auth.TokenKeys.from_config(self.config)
        token = auth.issue_token(keys, principal, ttl)
        return json_response({
            "access_token": token, "token_type": "Bearer", "expires_in": ttl,
            "role": principal.role, "subject": principal.subject,
            "institution_id": principal.institution_id,
        })

    @api("POST", "/api/v1/auth/token", tags=("accounts",), body=LoginRequest,
         rate_limit="login",
         summary="Log in with e-mail and password: a short-lived bearer token",
         responses={200: Token}, errors={401: "Wrong e-mail or password"})
    def login(self, request, principal):
        credentials = load(LoginRequest(), json_body(request))
        return self.token_response(sign_in(self, credentials["email"],
                                           credentials["password"],
                                           client_address(request)))

    @api("POST", "/api/v1/invitations/<token>/accept", tags=("accounts",),
         rate_limit="invitation",
         body=AcceptInvitation, responses={200: Token},
         errors={409: "The address has an account already",
                 410: "The invitation is unknown, used or expired"},
         summary="Set your password from an invitation (once, within 7 days). One "
         "e-mail address is one account: 409 if it has one already (another "
         "institution's), and the invitation stays unused")
    def accept_invitation(self, request, principal, token):
        body = load(AcceptInvitation(), json_body(request))
        return self.token_response(accept_invitation(self, token, body["password"]))

    @api("POST", "/api/v1/me/password",
         roles={"learner", "institution_admin", "operator"}, tags=("accounts",),
         body=PasswordChange, rate_limit="login", responses={200: Token},
         errors={403: "The current password is not right"},
         summary="Change your password (at least 10 characters): every other token "
         "and web session of the account ends, and this answer carries a new token "
         "(the one sent stops working too). 403 if the current password is wrong")
    def change_password(self, request, principal):
        body = load(PasswordChange(), json_body(request))
        who = change_password(self, principal, body["current_password"],
                              body["new_password"], client_address(request))
        return self.token_response(who)

    # -- learners -------------------------------------------------------------------
    @api("GET", "/api/v1/me", roles={"learner", "institution_admin", "operator", "partner"},
         tags=("accounts",), summary="Who the token belongs to", responses={200: Me})
    def me(self, request, principal):
        return json_response({"id": principal.subject, "role": principal.role,
                              "email": principal.email,
                              "institution_id": principal.institution_id})
