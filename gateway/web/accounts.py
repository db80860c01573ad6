"""Account pages: sign-in, sign-out, the signed-in landing page, invitations."""

from __future__ import annotations

from marshmallow import ValidationError
from sqlalchemy import select

from services.common.db import utcnow

from ..auth import EmailTaken, Unauthenticated
from ..errors import ApiError, problem_for
from ..http import client_address
from ..models import Account
from ..routes.accounts import AcceptInvitation, accept_invitation, sign_in
from . import sessions
from .page import page, safe_next

# what an unusable invitation's message says, to tell the person what happened
USED, EXPIRED = "already been used", "expired"


class AccountPages:
    def start_session(self, visit, principal) -> None:
        with self.db.begin() as session:
            token = sessions.open_session(session, principal, now=utcnow())
        visit.sign_in(token)

    @page("GET", "/sign-in")
    def sign_in_page(self, request, visit):
        if visit.principal is not None:
            return visit.redirect("/account")
        return visit.render("sign_in.html", email="", error=None,
                            next=safe_next(request.args.get("next"), "/account"))

    @page("POST", "/sign-in", rate_limit="login")
    def sign_in_submit(self, request, visit):
        email = request.form.get("email", "").strip()
        target = safe_next(request.form.get("next"), "/account")
        try:
            who = sign_in(self, email, request.form.get("password", ""),
                          client_address(request))
        except Unauthenticated:
            return visit.render("sign_in.html", status=401, email=email,
                                error="wrong", next=target)
        except ApiError as exc:
            if exc.status != 429:
                raise
            return visit.render("sign_in.html", status=429, email=email,
                                error="throttled", next=target,
                                retry_after=exc.headers.get("Retry-After"))
        self.start_session(visit, who)
        return visit.redirect(target)

    @page("POST", "/sign-out")
    def sign_out(self, request, visit):
        if visit.session_token:
            with self.db.begin() as session:
                sessions.end_session(session, visit.session_token, now=utcnow())
        visit.sign_out()
        return visit.redirect("/")

    @page("GET", "/account")
    def account_page(self, request, visit):
        if visit.principal is None:
            return visit.redirect("/sign-in?next=/account")
        return visit.render("account.html", who=visit.principal)

    # -- invitations -----------------------------------------------------------------
    def invitation_state(self, token: str):
        """(member, None) for a usable invitation, else (None, why)."""
        try:
            member = self.call(self.onboarding_rpc.get_invitation, token)
        except Exception as exc:
            if problem_for(exc)["status"] not in (404, 410):
                raise
            message = str(exc)
            return None, ("used" if USED in message else
                          "expired" if EXPIRED in message else "unknown")
        with self.db.begin() as session:
            taken = session.scalars(select(Account.id).where(
                Account.email == member["email"].lower(),
                Account.id != member["id"])).first()
        return member, ("taken" if taken else None)

    @page("GET", "/invitations/<token>")
    def invitation_page(self, request, visit, token):
        member, why = self.invitation_state(token)
        status = 200 if why is None else 409 if why == "taken" else 410
        return visit.render("invitation.html", status=status, member=member, why=why,
                            errors={})

    @page("POST", "/invitations/<token>", rate_limit="invitation")
    def invitation_submit(self, request, visit, token):
        password = request.form.get("password", "")
        errors = {}
        try:
            AcceptInvitation().load({"password": password})
        except ValidationError:
            errors["password"] = ["short"]
        if password != request.form.get("password_again", ""):
            errors.setdefault("password_again", []).append("mismatch")
        if errors:
            member, why = self.invitation_state(token)
            return visit.render("invitation.html", status=422, member=member, why=why,
                                errors=errors)
        try:
            who = accept_invitation(self, token, password)
        except EmailTaken:
            return visit.render("invitation.html", status=409, member=None,
                                why="taken", errors={})
        except Exception as exc:
            if problem_for(exc)["status"] not in (404, 410):
                raise
            _, why = self.invitation_state(token)
            return visit.render("invitation.html", status=410, member=None,
                                why=why or "used", errors={})
        self.start_session(visit, who)
        return visit.redirect("/account")
