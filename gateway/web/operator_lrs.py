"""The LRS's clients as operators see them (``/ops/lrs-clients``): all of them, or one
institution's (``?institution_id=``), issue one with its scopes, revoke one
(confirmed). The secret is on the answer to the issue only, with what the tool needs
to use it: the ``/xapi/`` address and HTTP Basic (decision 0052). Each action is the
API's (``new_lrs_client``, ``end_lrs_client``), audited alike, done once per form."""

from __future__ import annotations

from urllib.parse import urlencode

from werkzeug.wrappers import Response

from .. import lrs_clients
from ..errors import problem_for
from ..routes.base import load
from ..schemas import LrsClientListed, LrsClientRequest
from .messages import _
from .operator import OperatorBase, form_error, new_key
from .operator_institution import or_none
from .page import page

# what a new client's form ticks at first: a course player stores statements and
# reads back its own; reading the whole institution's is chosen deliberately
FIRST_SCOPES = (lrs_clients.WRITE, lrs_clients.READ_MINE)
NAMES_PER_CALL = 200  # onboarding's list_institutions answers at most this many


class OperatorLrsPages(OperatorBase):
    def institution_names(self, ids: set[str]) -> dict[str, str]:
        """Each institution's name, a call per 200 institutions."""
        names, ids = {}, sorted(ids)
        for start in range(0, len(ids), NAMES_PER_CALL):
            chunk = ids[start:start + NAMES_PER_CALL]
            for found in self.call(self.onboarding_rpc.list_institutions,
                                   {"ids": chunk, "limit": len(chunk)}):
                names[found["id"]] = found["name"]
        return names

    def lrs_clients_page(self, visit, institution_id: str | None, status: int = 200,
                         errors: dict | None = None, form: dict | None = None,
                         created: dict | None = None) -> Response:
        institution = None
        if institution_id:  # no such institution: the 404 page
            institution = self.call(self.onboarding_rpc.get_institution,
                                    institution_id)
        with self.db.begin() as session:
            clients = LrsClientListed(many=True).dump(
                lrs_clients.clients_of(session, institution_id))
        clients.reverse()  # newest first
        names = ({institution_id: institution["name"]} if institution else
                 self.institution_names({c["institution_id"] for c in clients}))
        return visit.render(
            "ops_lrs_clients.html", status=status, clients=clients, names=names,
            institution=institution, errors=errors or {}, new_key=new_key,
            form=form or {"scopes": list(FIRST_SCOPES),
                          "institution_id": institution_id or ""},
            created=created, scopes=lrs_clients.SCOPES,
            xapi_url=f"{self.config['PUBLIC_URL']}/xapi/",
            revoked=visit.request.args.get("revoked"))

    @page("GET", "/ops/lrs-clients")
    def lrs_clients_list(self, request, visit):
        who, away = self.operator_only(visit)
        return away or self.lrs_clients_page(
            visit, request.args.get("institution_id", "").strip() or None)

    @page("POST", "/ops/lrs-clients")
    def lrs_client_issue(self, request, visit):
        who, away = self.operator_only(visit)
        if away:
            return away
        # the page it was sent from: one institution's, or all
        shown = request.form.get("shown", "").strip() or None
        form = {"institution_id": request.form.get("institution_id", "").strip(),
                "name": request.form.get("name", "").strip(),
                "scopes": request.form.getlist("scopes")}
        errors = {}
        if not form["scopes"]:  # said next to the boxes, before anything is claimed
            errors["scopes"] = [_("Tick at least one scope.")]
        if not form["institution_id"]:
            errors["institution_id"] = [_("Give the institution's id: it is on the "
                                          "institution's page.")]
        elif or_none(lambda: self.call(
                self.onboarding_rpc.get_institution, form["institution_id"])) is None:
            errors["institution_id"] = [_("No institution has this id: copy it "
                                          "from the institution's page.")]
        if errors:
            return self.lrs_clients_page(visit, shown, status=422, errors=errors,
                                         form=form)

        def issue():
            created = self.new_lrs_client(request, who, load(LrsClientRequest(), form))
            return self.lrs_clients_page(visit, shown, created=created)
        back = "/ops/lrs-clients" + (f"?{urlencode({'institution_id': shown})}"
                                     if shown else "")
        try:  # the secret is on this answer only; a repeat of the form goes back
            return self.once(request, visit, issue, repeat_to=back)
        except Exception as exc:  # noqa: BLE001 - said next to its field
            return self.lrs_clients_page(
                visit, shown, status=problem_for(exc)["status"], errors=form_error(exc),
                form=form)

    @page("POST", "/ops/lrs-clients/<client_id>/revocation")
    def lrs_client_revocation(self, request, visit, client_id):
        who, away = self.operator_only(visit)
        if away:
            return away
        shown = request.form.get("shown", "").strip() or None
        if request.form.get("confirm") != "yes":
            confirm = _("Tick the box to confirm the revocation.")
            return self.lrs_clients_page(visit, shown, status=422,
                                         errors={f"confirm-{client_id}": [confirm]})

        def revoke():
            self.end_lrs_client(request, who, client_id)
            query = {"revoked": client_id}
            if shown:
                query["institution_id"] = shown
            return visit.redirect(f"/ops/lrs-clients?{urlencode(query)}")
        return self.once(request, visit, revoke)  # no such client: the 404 page
