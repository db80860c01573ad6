"""An institution as operators see it (``/ops/institutions/<id>``): its licence and
the actions on it (extend, add seats, revoke: confirmed), its admins (invite one,
remove one), its imports, its webinar and the audit records of this institution:
who did what, when, what it changed and the request it came with. Each action is
the API's (``licence_change``, ``invite_admin``, ``remove_admin``), done once per
form."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.wrappers import Response

from services.licensing.contracts.rpc import (
    AddSeatsRequest,
    ExtendLicenceRequest,
    RevokeLicenceRequest,
)

from .. import audit, lrs_clients
from ..errors import ApiError, problem_for
from ..routes.base import load
from ..schemas import AuditRecordOut
from .messages import _
from .operator import OperatorBase, form_error, new_key
from .page import page

# the page's licence forms: URL part -> (audit action, RPC name, body schema, field)
LICENCE_ACTIONS = {
    "extension": ("licence.extended", "extend_licence", ExtendLicenceRequest, "days"),
    "seats": ("licence.seats_added", "add_seats", AddSeatsRequest, "seats"),
    "revocation": ("licence.revoked", "revoke_licence", RevokeLicenceRequest,
                   "reason"),
}


# every audit record on the page is this institution's: its id there says nothing new
SAID_BY_THE_PAGE = ("institution_id",)
# what tells an institution's clients or admins apart: shown with what changed on one
NAMES_THE_TARGET = ("name", "email")


@dataclass(frozen=True)
class Change:
    """One field of an audit record as the page shows it; a side the record does not
    have (nothing before a creation, nothing after a removal) is None."""

    field: str
    before: object
    after: object


def changes(before: dict | None, after: dict | None) -> list[Change]:
    """What an operator action changed, in the record's order of fields: the fields
    whose value differs, with the name of what they belong to (the same on both
    sides), or every field with a value of what it created (no ``before``) or
    removed (no ``after``). An action a retry found done already changed nothing:
    no field."""
    old, new = before or {}, after or {}
    names = [*old, *(name for name in new if name not in old)]
    fields = [Change(name, old.get(name), new.get(name)) for name in names
              if name not in SAID_BY_THE_PAGE]
    if before is None or after is None:
        return [c for c in fields if c.before is not None or c.after is not None]
    if all(c.before == c.after for c in fields):
        return []
    return [c for c in fields if c.before != c.after
            or (c.field in NAMES_THE_TARGET and c.before is not None)]


def or_none(call):
    """What ``call`` answers, or None for what does not exist yet (no licence before
    approval, no webinar before activation)."""
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - only "not found" means "none yet"
        if problem_for(exc)["status"] == 404:
            return None
        raise


class OperatorInstitutionPages(OperatorBase):
    def ops_institution_page(self, visit, institution_id: str, status: int = 200,
                             errors: dict | None = None, form: dict | None = None,
                             failed: str | None = None) -> Response:
        institution = self.call(self.onboarding_rpc.get_institution, institution_id)
        licence = or_none(lambda: self.call(self.licensing_rpc.get_licence,
                                            institution_id))
        webinar = or_none(lambda: self.call(self.onboarding_rpc.get_webinar,
                                            institution_id))
        admins = self.call(self.onboarding_rpc.list_admins, institution_id)
        imports = self.call(self.onboarding_rpc.list_roster_jobs, institution_id)
        with self.db.begin() as session:
            records = [{**r, "changes": changes(r["before"], r["after"])}
                       for r in AuditRecordOut(many=True).dump(audit.records(
                           session, institution_id=institution_id, limit=50))]
            lrs_clients_active = sum(
                1 for c in lrs_clients.clients_of(session, institution_id)
                if c.revoked_at is None)
        return visit.render(
            "ops_institution.html", status=status, institution=institution,
            licence=licence, webinar=webinar, admins=admins, imports=imports,
            records=records, lrs_clients_active=lrs_clients_active,
            errors=errors or {}, form=form or {}, failed=failed,
            new_key=new_key, done=visit.request.args.get("done"))

    @page("GET", "/ops/institutions/<institution_id>")
    def ops_institution(self, request, visit, institution_id):
        who, away = self.operator_only(visit)
        return away or self.ops_institution_page(visit, institution_id)

    def act_on_institution(self, request, visit, institution_id: str, failed: str,
                           action) -> Response:
        """``action`` once; a refusal is said next to the form ``failed`` names."""
        try:
            return self.once(request, visit, action)
        except Exception as exc:  # noqa: BLE001 - said next to its form
            return self.ops_institution_page(
                visit, institution_id, status=problem_for(exc)["status"],
                errors=form_error(exc), form=dict(request.form), failed=failed)

    @page("POST", "/ops/institutions/<institution_id>/licence/<action>")
    def ops_licence_action(self, request, visit, institution_id, action):
        who, away = self.operator_only(visit)
        if away:
            return away
        if action not in LICENCE_ACTIONS:
            raise ApiError(404, "not-found", "no such page")
        audited, rpc_name, schema, field = LICENCE_ACTIONS[action]
        raw = (request.form.get(field) or "").strip()
        if action == "revocation" and request.form.get("confirm") != "yes":
            return self.ops_institution_page(
                visit, institution_id, status=422, form=dict(request.form),
                failed=action,
                errors={"confirm": [_("Tick the box to confirm the revocation.")]})

        def change():
            value = int(raw) if field != "reason" and raw.isdigit() else raw
            body = load(schema(), {field: value})
            licence = self.call(self.licensing_rpc.get_licence, institution_id)
            self.licence_change(request, who, licence["id"], audited,
                                getattr(self.licensing_rpc, rpc_name), body)
            return visit.redirect(f"/ops/institutions/{institution_id}?done={action}")
        return self.act_on_institution(request, visit, institution_id, action, change)

    @page("POST", "/ops/institutions/<institution_id>/admins")
    def ops_admin_invitation(self, request, visit, institution_id):
        who, away = self.operator_only(visit)
        if away:
            return away

        def invite():
            self.invite_admin(request, who, institution_id,
                              {"email": (request.form.get("email") or "").strip()})
            return visit.redirect(f"/ops/institutions/{institution_id}?done=invited")
        return self.act_on_institution(request, visit, institution_id, "invite",
                                       invite)

    @page("POST", "/ops/institutions/<institution_id>/admins/<member_id>/removal")
    def ops_admin_removal(self, request, visit, institution_id, member_id):
        who, away = self.operator_only(visit)
        if away:
            return away
        if request.form.get("confirm") != "yes":
            return self.ops_institution_page(
                visit, institution_id, status=422, failed=f"remove-{member_id}",
                errors={"": [_("Tick the box to confirm the removal.")]})

        def remove():
            self.remove_admin(request, who, institution_id, member_id)
            return visit.redirect(f"/ops/institutions/{institution_id}?done=removed")
        return self.act_on_institution(request, visit, institution_id,
                                       f"remove-{member_id}", remove)
