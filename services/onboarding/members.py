"""An institution's members: who is on its roster, and taking learners off it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .contracts.errors import NotFound
from .models import Member


def list_members(session: Session, institution_id: str, role: str) -> list[Member]:
    return list(
        session.scalars(
            select(Member)
            .where(Member.institution_id == institution_id, Member.role == role)
            .order_by(Member.email)
        )
    )


@dataclass(frozen=True)
class Removed:
    """``learners.removed.v1``: the learners taken off the roster."""

    institution_id: str
    learner_ids: list[str]
    removed_at: datetime


def remove_learners(
    session: Session, institution_id: str, learner_ids: list[str], *, now: datetime
) -> Removed:
    """Take learners off the roster, invitations and all; says who was removed."""
    members = list(session.scalars(
        select(Member).where(Member.institution_id == institution_id,
                             Member.role == "learner", Member.id.in_(learner_ids))
    ))
    if not members:
        raise NotFound("learner not found")
    ids = [m.id for m in members]
    session.execute(delete(Member).where(Member.id.in_(ids)))
    return Removed(institution_id, ids, now)



def get_learner(session: Session, institution_id: str, learner_id: str,
                lock: bool = False) -> Member:
    """A learner of this institution's roster (another's, or an admin: NotFound)."""
    member = session.get(Member, learner_id, with_for_update=lock)
    if member is None or member.institution_id != institution_id \
            or member.role != "learner":
        raise NotFound("learner not found")
    return member
