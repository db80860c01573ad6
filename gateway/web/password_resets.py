"""Forgotten-password pages: ask for a link, then choose a new password from it."""

from __future__ import annotations

from marshmallow import ValidationError

from services.common.db import utcnow

from .. import password_resets
from ..routes.password_resets import (
    PasswordResetRequest,
    PasswordResetSet,
    ask_password_reset,
    reset_password,
)
from .page import page


class PasswordResetPages:
    @page("GET", "/password-reset")
    def password_reset_page(self, request, visit):
        return visit.render("password_reset.html", email="", errors={})

    @page("POST", "/password-reset", rate_limit="password_reset")
    def password_reset_submit(self, request, visit):
        email = request.form.get("email", "").strip()
        try:
            PasswordResetRequest().load({"email": email})
        except ValidationError:
            return visit.render("password_reset.html", status=422, email=email,
                                errors={"email": ["invalid"]})
        ask_password_reset(self, email, visit.language)
        return visit.render("password_reset_sent.html", email=email)

    def reset_state(self, token: str) -> str | None:
        """None for a usable link, else why not ("used", "expired", "unknown")."""
        with self.db.begin() as session:
            try:
                password_resets.check_reset(session, token, now=utcnow())
            except password_resets.ResetUnusable as exc:
                return exc.why
        return None

    @page("GET", "/password-reset/<token>")
    def password_reset_link(self, request, visit, token):
        why = self.reset_state(token)
        return visit.render("password_reset_link.html",
                            status=200 if why is None else 410, why=why, errors={})

    @page("POST", "/password-reset/<token>", rate_limit="invitation")
    def password_reset_link_submit(self, request, visit, token):
        password = request.form.get("password", "")
        errors = {}
        try:
            PasswordResetSet().load({"password": password})
        except ValidationError:
            errors["password"] = ["short"]
        if password != request.form.get("password_again", ""):
            errors.setdefault("password_again", []).append("mismatch")
        if errors:
            return visit.render("password_reset_link.html", status=422,
                                why=self.reset_state(token), errors=errors)
        try:
            who = reset_password(self, token, password)
        except password_resets.ResetUnusable as exc:
            return visit.render("password_reset_link.html", status=410, why=exc.why,
                                errors={})
        self.start_session(visit, who)
        return visit.redirect("/account")
