"""The page where a signed-in person changes their password.

The change itself is the API's (``routes.accounts.change_password``): every other
session and token of the account ends, and this browser gets a new session."""

from __future__ import annotations

from marshmallow import ValidationError

from ..errors import ApiError
from ..http import client_address
from ..routes.accounts import PasswordChange, change_password
from .page import page


class PasswordPages:
    @page("GET", "/account/password")
    def password_page(self, request, visit):
        if visit.principal is None:
            return visit.redirect("/sign-in?next=/account/password")
        return visit.render("password.html", errors={}, done=False)

    @page("POST", "/account/password", rate_limit="login")
    def password_submit(self, request, visit):
        if visit.principal is None:
            return visit.redirect("/sign-in?next=/account/password")
        current = request.form.get("current_password", "")
        new = request.form.get("new_password", "")
        errors: dict[str, list[str]] = {}
        try:
            PasswordChange().load({"current_password": current, "new_password": new})
        except ValidationError as exc:
            if "new_password" in exc.messages:
                errors["new_password"] = ["short"]
            if "current_password" in exc.messages:
                errors["current_password"] = ["wrong"]
        if new != request.form.get("new_password_again", ""):
            errors.setdefault("new_password_again", []).append("mismatch")
        if not errors:
            try:
                who = change_password(self, visit.principal, current, new,
                                      client_address(request))
            except ApiError as exc:
                if exc.status != 403:
                    raise
                errors["current_password"] = ["wrong"]
        if errors:
            return visit.render("password.html", status=422, errors=errors, done=False)
        self.start_session(visit, who)  # this browser stays signed in, anew
        return visit.render("password.html", errors={}, done=True)
