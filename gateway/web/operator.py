"""The operators' pages: the review queue, institutions and their list, webinars,
partners and the surge (``/ops/…``); each institution's page is in
``operator_institution.py``.

They call what the API routes call (``decide``, ``find_institutions``,
``licence_change``, ``new_partner``…), so a decision or a licence change made here
is the API's, audited alike. Every form that changes something carries an
``idempotency_key`` made when the page was drawn: a double click or a form sent again
does the action once, and the repeat is answered like the first (``once``). Anyone
but an operator gets the 404 page, as the API's routes answer 404 to other roles.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from urllib.parse import quote

import eventlet
from werkzeug.wrappers import Response

from services.common.db import utcnow

from .. import idempotency
from ..errors import ApiError, problem_for
from ..partners import keys
from ..routes.base import load
from ..schemas import PartnerListed, PartnerRequest
from .forms import field_errors
from .messages import _
from .page import page

OPERATOR = "operator"
QUEUE = "needs_review"
# the reason an approval from the queue is recorded with: the rules' reasons are the
# ones the operator read on the card
APPROVED_FROM_QUEUE = "approved from the review queue"
INSTITUTION_STATES = ("approved", "active")
PLANS = ("spark",)
PARTNER_TYPES = "licence.*.v1 institution.*.v1"


def new_key() -> str:
    """An Idempotency-Key for a form drawn now."""
    return str(uuid.uuid4())


def url_quote(value: str) -> str:
    return quote(value, safe="")


def form_print(request) -> str:
    """What a form said (its fields but the tokens): a repeat must say the same."""
    fields = sorted((name, value) for name, value in request.form.items(multi=True)
                    if name not in ("csrf_token", "idempotency_key"))
    return idempotency.fingerprint("POST", request.path,
                                   json.dumps(fields, ensure_ascii=False).encode())


class OperatorBase:
    """What every operator page shares: who may see it, and forms that act once."""

    def operator_only(self, visit):
        """The signed-in operator; a visitor is sent to sign in, anyone else 404."""
        who = visit.principal
        if who is None:
            return None, visit.redirect(f"/sign-in?next={visit.request.path}")
        if who.role != OPERATOR:
            raise ApiError(404, "not-found", "no such page")
        return who, None

    def once(self, request, visit, action, repeat_to: str | None = None) -> Response:
        """Do ``action`` (which answers a redirect, or a page) once per form: the
        form's ``idempotency_key`` is claimed first (``gateway/idempotency.py``, the
        API's store); a repeat waits for the first to end, then is sent where the
        first was sent (or to ``repeat_to``). A failed action forgets the claim, so
        the corrected form goes."""
        key = request.form.get("idempotency_key", "")
        if not 1 <= len(key) <= idempotency.MAX_KEY:
            raise ApiError(422, "validation-error", "the form has no idempotency key",
                           errors={"idempotency_key": ["must be 1-200 characters"]})
        owner = f"{OPERATOR}:{visit.principal.subject}"
        ttl = timedelta(hours=float(self.config.get("IDEMPOTENCY_KEY_HOURS", 24)))
        abandoned = timedelta(seconds=2 * (self.config.get("RPC_TIMEOUT", 30) + 5))
        print_ = form_print(request)
        for _attempt in range(150):  # a twin still running: wait for its answer
            try:
                first = idempotency.claim(self.db, owner, key, print_, utcnow(), ttl,
                                          abandoned)
                break
            except idempotency.InProgress:
                eventlet.sleep(0.2)
            except idempotency.KeyReused:
                raise ApiError(409, "conflict", "this form was sent already with "
                               "other values: reload the page") from None
        else:
            raise ApiError(409, "in-progress", "the first sending of this form is "
                           "still running; reload the page in a moment")
        if first is not None:
            return visit.redirect(first.headers.get("Location") or request.path)
        try:
            response = action()
        except BaseException:
            idempotency.settle(self.db, owner, key, idempotency.Answer(500, "", {}))
            raise
        location = repeat_to or response.headers.get("Location") or request.path
        idempotency.settle(self.db, owner, key,
                           idempotency.Answer(303, "", {"Location": location}))
        return response


def form_error(exc: BaseException) -> dict[str, list[str]]:
    """A refusal to show next to the form's fields; an error that no field explains
    (4xx) is said for the form as a whole; a 5xx or a 404 is a page of its own."""
    body = problem_for(exc)
    if body["status"] >= 500 or body["status"] == 404:
        raise exc
    return field_errors(exc)


class OperatorPages(OperatorBase):
    @page("GET", "/ops")
    def ops_home(self, request, visit):
        who, away = self.operator_only(visit)
        return away or visit.redirect("/ops/review")

    # -- the review queue ------------------------------------------------------------
    def review_page(self, visit, status: int = 200, errors: dict | None = None,
                    failed: str | None = None, form: dict | None = None) -> Response:
        cursor = visit.request.args.get("cursor")
        items = self.call(self.onboarding_rpc.list_applications, QUEUE, 50, cursor)
        surge = self.call(self.onboarding_rpc.surge_summary)
        return visit.render(
            "ops_review.html", status=status, items=items, new_key=new_key,
            waiting=surge["applications_by_status"].get(QUEUE, 0),
            next_cursor=items[-1]["id"] if len(items) == 50 else None,
            errors=errors or {}, failed=failed, form=form or {},
            decided=visit.request.args.get("decided"),
            decided_name=visit.request.args.get("name", ""))

    @page("GET", "/ops/review")
    def review_queue(self, request, visit):
        who, away = self.operator_only(visit)
        return away or self.review_page(visit)

    @page("POST", "/ops/review/<application_id>")
    def review_decision(self, request, visit, application_id):
        who, away = self.operator_only(visit)
        if away:
            return away
        decision = request.form.get("decision")
        reason = (request.form.get("reason") or "").strip()
        if decision == "approve":
            reason = APPROVED_FROM_QUEUE
        elif decision != "reject":
            raise ApiError(422, "validation-error", "approve or reject")
        elif len(reason) < 3:  # said next to the field, before anything is claimed
            return self.review_page(
                visit, status=422, failed=application_id, form={"reason": reason},
                errors={"reason": [_("Say why the application is rejected (at "
                                     "least 3 characters).")]})

        def decide():
            decided = self.decide(request, who, application_id,
                                  {"decision": decision, "reason": reason})
            return visit.redirect(f"/ops/review?decided={decided['status']}"
                                  f"&name={url_quote(decided['name'])}")
        try:
            return self.once(request, visit, decide)
        except Exception as exc:  # noqa: BLE001 - said on the card it concerns
            return self.review_page(visit, status=problem_for(exc)["status"],
                                    failed=application_id, errors=form_error(exc),
                                    form={"reason": reason})

    # -- institutions ----------------------------------------------------------------
    @page("GET", "/ops/institutions")
    def institutions_list(self, request, visit):
        who, away = self.operator_only(visit)
        if away:
            return away
        chosen = {name: request.args.get(name, "").strip()
                  for name in ("q", "country", "status", "plan", "cursor")}
        errors, found = {}, {"items": [], "next_cursor": None}
        try:
            found = self.find_institutions({k: v for k, v in chosen.items() if v})
        except Exception as exc:  # noqa: BLE001 - a bad filter is said next to it
            errors = form_error(exc)
        query = "&".join(f"{k}={url_quote(v)}" for k, v in chosen.items()
                         if v and k != "cursor")
        return visit.render("ops_institutions.html", status=422 if errors else 200,
                            found=found, chosen=chosen, errors=errors, query=query,
                            states=INSTITUTION_STATES, plans=PLANS)

    # -- webinars --------------------------------------------------------------------
    @page("GET", "/ops/webinars")
    def webinars_page(self, request, visit):
        who, away = self.operator_only(visit)
        if away:
            return away
        items = self.call(self.onboarding_rpc.list_webinars)
        return visit.render("ops_webinars.html", webinars=items)

    # -- partners --------------------------------------------------------------------
    def partners_page(self, visit, status: int = 200, errors: dict | None = None,
                      form: dict | None = None, created: dict | None = None):
        with self.db.begin() as session:
            partners = PartnerListed(many=True).dump(
                keys.list_partners(session))
        return visit.render("ops_partners.html", status=status, partners=partners,
                            errors=errors or {}, new_key=new_key, created=created,
                            form=form or {"event_types": PARTNER_TYPES},
                            revoked=visit.request.args.get("revoked"))

    @page("GET", "/ops/partners")
    def partners_list(self, request, visit):
        who, away = self.operator_only(visit)
        return away or self.partners_page(visit)

    @page("POST", "/ops/partners")
    def partner_creation(self, request, visit):
        who, away = self.operator_only(visit)
        if away:
            return away
        form = {name: request.form.get(name, "").strip()
                for name in ("name", "contact_email", "event_types")}
        body = {"name": form["name"], "contact_email": form["contact_email"],
                "event_types": form["event_types"].split(), "institution_ids": None}

        def create():
            created = self.new_partner(request, who, load(PartnerRequest(), body))
            return self.partners_page(visit, created=created)
        try:  # the key is on this answer only; a repeat of the form goes to the list
            return self.once(request, visit, create, repeat_to="/ops/partners")
        except Exception as exc:  # noqa: BLE001 - said next to its field
            return self.partners_page(visit, status=problem_for(exc)["status"],
                                      errors=form_error(exc), form=form)

    @page("POST", "/ops/partners/<partner_id>/revocation")
    def partner_revocation(self, request, visit, partner_id):
        who, away = self.operator_only(visit)
        if away:
            return away
        if request.form.get("confirm") != "yes":
            confirm = _("Tick the box to confirm the revocation.")
            return self.partners_page(visit, status=422,
                                      errors={f"confirm-{partner_id}": [confirm]})

        def revoke():
            self.end_partner(request, who, partner_id)
            return visit.redirect(f"/ops/partners?revoked={partner_id}")
        return self.once(request, visit, revoke)

    # -- the surge -------------------------------------------------------------------
    @page("GET", "/ops/surge")
    def surge_page(self, request, visit):
        who, away = self.operator_only(visit)
        if away:
            return away
        surge = self.call(self.onboarding_rpc.surge_summary)
        hours = surge.get("activated_per_hour") or []
        return visit.render("ops_surge.html", surge=surge, hours=hours,
                            last_hour=hours[-1]["activated"] if hours else 0,
                            peak=max([h["activated"] for h in hours] or [0]) or 1)
