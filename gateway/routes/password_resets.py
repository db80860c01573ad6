"""Forgotten passwords and the account's language, for the API and the web app."""

from __future__ import annotations

import time

import eventlet
from marshmallow import RAISE, Schema, fields, validate
from werkzeug.wrappers import Response

from services.common.db import utcnow
from services.common.fields import Email

from .. import auth, password_resets
from ..models import Account
from ..schemas import Token
from .accounts import AcceptInvitation
from .base import ApiError, RouteBase, api, json_body, json_response, load

# every request for a link answers after this long at least, known address or not,
# so the time of the answer does not tell whether an account exists
ANSWER_FLOOR_SECONDS = 0.25
ASKED = {"status": "requested",
         "detail": "if an account has this address, an e-mail with a link to choose a "
                   "new password is on its way; the link works once, for one hour"}


class PasswordResetRequest(Schema):
    class Meta:
        unknown = RAISE

    email = Email(required=True)


class PasswordResetAsked(Schema):
    status = fields.String(required=True)
    detail = fields.String(required=True)


class PasswordResetSet(AcceptInvitation):
    """The new password: the invitations' rule."""


class MeChange(Schema):
    class Meta:
        unknown = RAISE

    language = fields.String(required=True, validate=validate.OneOf(
        password_resets.LANGUAGES))


def ask_password_reset(routes, email: str, language: str) -> None:
    """Mail a new link to the account at ``email``, if there is one, within the
    per-address limit; an address over it, or without an account, gets no mail and
    the same answer at the same time."""
    started = time.monotonic()
    if not routes.rate_limits.retry_after("password_reset_email", email.lower()):
        with routes.db.begin() as session:
            requested = password_resets.request_reset(session, email, now=utcnow(),
                                                      language=language)
            if requested is not None:
                mail = password_resets.reset_mail(requested,
                                                  routes.config["PUBLIC_URL"])
                routes.outbox.add_mail(session, mail["to"], mail["subject"],
                                       mail["text"], mail["language"])
    eventlet.sleep(max(0.0, ANSWER_FLOOR_SECONDS - (time.monotonic() - started)))


def reset_password(routes, token: str, password: str) -> auth.Principal:
    """Set the password this link is for (ResetUnusable when it is not usable), then
    end what was signed in with the old one."""
    now = utcnow()
    with routes.db.begin() as session:
        account = password_resets.reset_password(session, token, password, now=now)
        who = auth.Principal(account.id, account.role, account.institution_id,
                             account.email)
        # every token and browser session from before the reset ends with it
        auth.revoke_account(session, account.id, now)
    return who


def gone(exc: password_resets.ResetUnusable) -> ApiError:
    what = {"used": "this link has been used already (or a newer one replaced it)",
            "expired": "this link has expired (links work for one hour)"}
    if exc.why == "unknown":
        return ApiError(404, "not-found", "no such password reset link; ask for a new "
                        "one: POST /api/v1/password-resets")
    return ApiError(410, "password-reset-gone", f"{what[exc.why]}; ask for a new one: "
                    "POST /api/v1/password-resets")


class PasswordResetRoutes(RouteBase):
    @api("POST", "/api/v1/password-resets", tags=("accounts",),
         body=PasswordResetRequest, rate_limit="password_reset",
         responses={202: PasswordResetAsked},
         summary="Forgot your password: an e-mail with a link (once, for one hour) to "
         "choose a new one. The same 202, at the same time, whether or not an account "
         "has this address; a new request voids the earlier links")
    def ask_password_reset(self, request, principal):
        body = load(PasswordResetRequest(), json_body(request))
        ask_password_reset(self, body["email"], "en")
        return json_response(ASKED, status=202)

    @api("POST", "/api/v1/password-resets/<token>", tags=("accounts",),
         body=PasswordResetSet, rate_limit="invitation",
         responses={200: Token}, errors={410: "The link is used, replaced or expired"},
         summary="Choose a new password from the e-mailed link: a bearer token, and "
         "the account's other tokens and sessions end. 410 when the link is used, "
         "replaced or expired: ask for a new one")
    def reset_password(self, request, principal, token):
        body = load(PasswordResetSet(), json_body(request))
        try:
            who = reset_password(self, token, body["password"])
        except password_resets.ResetUnusable as exc:
            raise gone(exc) from None
        return self.token_response(who)

    @api("PATCH", "/api/v1/me", roles={"learner", "institution_admin", "operator"},
         tags=("accounts",), body=MeChange,
         responses={204: "Changed"},
         summary="Change your account: its language (fr, en), the web app's and the "
         "e-mails' from then on")
    def change_me(self, request, principal):
        body = load(MeChange(), json_body(request))
        with self.db.begin() as session:
            account = session.get(Account, principal.subject)
            if account is None:
                raise ApiError(404, "not-found", "no such account")
            account.language = body["language"]
        return Response(status=204)
