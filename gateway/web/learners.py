"""The admin's learners table: search, cohort and status filters, keyset pages; per
learner, send the invitation again or take them off the roster (after a confirmation).

Every action calls what the API calls (``routes/onboarding.py``): the same RPCs, the
same tenant rule (``admin_of``), the same errors, said on the page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy import select

from services.onboarding.contracts.errors import Conflict
from services.tracking.contracts.errors import Invalid

from ..models import Account
from .institution import for_admins
from .page import page

FILTERS = ("q", "cohort", "status")
STATUSES = ("seated", "waiting", "removed")
PAGE_SIZE = 50


def filters_of(args) -> dict:
    """The table's filters as the form sent them, blanks left out."""
    return {name: args.get(name, "").strip() for name in FILTERS
            if args.get(name, "").strip()}


class InstitutionLearnersPages:
    def signed_up(self, learner_ids: list[str]) -> set[str]:
        """Which of these learners have set their password (an account here)."""
        if not learner_ids:
            return set()
        with self.db.begin() as session:
            return set(session.scalars(
                select(Account.id).where(Account.id.in_(learner_ids))))

    @page("GET", "/institutions/<institution_id>/learners")
    @for_admins
    def learners_page(self, request, visit, institution_id):
        filters = filters_of(request.args)
        query = {**filters, "limit": PAGE_SIZE}
        if request.args.get("cursor"):
            query["cursor"] = request.args["cursor"]
        status, errors = 200, {}
        around = ((self.onboarding_rpc.get_institution, institution_id),
                  (self.tracking_rpc.get_dashboard, institution_id))  # its cohorts
        try:
            rows, institution, board = self.call_all(
                (self.tracking_rpc.list_learners, institution_id, query), *around)
        except Invalid as exc:  # a filter typed in the address: said next to it
            status, errors = 422, exc.errors
            rows = {"items": [], "next_cursor": None}
            institution, board = self.call_all(*around)
        next_url = None
        if rows["next_cursor"]:
            next_url = f"{request.path}?" + urlencode(
                {**filters, "cursor": rows["next_cursor"]})
        return visit.render(
            "learners.html", status=status, institution=institution,
            rows=rows["items"], filters=filters, errors=errors, statuses=STATUSES,
            cohorts=[c["cohort"] for c in board["cohorts"] if c["cohort"]],
            signed_up=self.signed_up([r["learner_id"] for r in rows["items"]]),
            next_url=next_url, first_url=f"{request.path}?" + urlencode(filters),
            paged="cursor" in query, timezone=institution.get("timezone"))

    @page("POST", "/institutions/<institution_id>/learners/<learner_id>/invitation",
          rate_limit="resend_invitation")
    @for_admins
    def resend_invitation_page(self, request, visit, institution_id, learner_id):
        try:
            resent = self.call(self.onboarding_rpc.resend_invitation, institution_id,
                               learner_id)
        except Conflict:  # set a password meanwhile: nothing to send
            learner = self.call(self.onboarding_rpc.get_learner, institution_id,
                                learner_id)
            return visit.render("learner_done.html", status=409, action="joined",
                                learner=learner, institution_id=institution_id)
        return visit.render("learner_done.html", action="resent", resent=resent,
                            institution_id=institution_id)

    @page("GET", "/institutions/<institution_id>/learners/<learner_id>/remove")
    @for_admins
    def remove_learner_confirm(self, request, visit, institution_id, learner_id):
        learner = self.call(self.onboarding_rpc.get_learner, institution_id, learner_id)
        return visit.render("learner_remove.html", learner=learner,
                            institution_id=institution_id)

    @page("POST", "/institutions/<institution_id>/learners/<learner_id>/remove")
    @for_admins
    def remove_learner_page(self, request, visit, institution_id, learner_id):
        learner = self.call(self.onboarding_rpc.get_learner, institution_id, learner_id)
        self.take_off_roster(institution_id, learner_id)
        return visit.render("learner_done.html", action="removed", learner=learner,
                            institution_id=institution_id)
