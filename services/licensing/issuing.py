"""Issuing a licence to an approved institution, once per institution and plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.bulk import insert_ignore
from services.common.ids import new_id

from .contracts.errors import UnknownPlan
from .languages import announced_language
from .models import Licence
from .plans import Plan


@dataclass(frozen=True)
class Issued:
    """The institution's licence; ``created``: by this approval, so to announce
    (its fields below are licence.issued.v1's)."""

    licence: Licence
    created: bool

    @property
    def licence_id(self) -> str:
        return self.licence.id

    @property
    def institution_id(self) -> str:
        return self.licence.institution_id

    @property
    def plan(self) -> str:
        return self.licence.plan

    @property
    def seats(self) -> int:
        return self.licence.seats_granted

    @property
    def starts_at(self) -> datetime:
        return self.licence.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.licence.ends_at


def issue_licence(
    session: Session, plans: dict[str, Plan], approved: dict, now: datetime,
) -> Issued:
    """One licence per institution and plan, however often the approval arrives."""
    plan = plans.get(approved["plan"])
    if plan is None:
        raise UnknownPlan(f"no plan {approved['plan']!r} in plans.yml")
    licence_id = new_id()
    created = insert_ignore(session, Licence.__table__, [{
        "id": licence_id,
        "institution_id": approved["institution_id"],
        "plan": plan.id,
        "status": "active",
        "seats_granted": plan.seats_for(approved["expected_learners"]),
        "seats_used": 0,
        "seats_waiting": 0,
        "admin_email": approved["admin_email"],
        "institution_name": (approved.get("name") or "")[:200],
        "languages": list(approved.get("languages") or []),
        "language": announced_language(approved),
        "timezone": approved.get("timezone") or "UTC",
        "starts_at": now,
        "ends_at": now + timedelta(days=plan.days),
        "created_at": now,
    }])
    licence = session.scalars(
        select(Licence).where(
            Licence.institution_id == approved["institution_id"],
            Licence.plan == plan.id,
        )
    ).one()
    return Issued(licence, created=bool(created))
