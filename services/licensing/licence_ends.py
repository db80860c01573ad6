"""A licence's end: the warnings at the plan's points before it, then the end itself.

Each point of each end is recorded once (``licence_notices``) and announced by the
transaction that records it; the time is always the caller's ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from services.common.bulk import insert_ignore
from services.common.periods import days_until

from . import mails
from .licences import ACTIVE, EXPIRED
from .models import Licence, Notice
from .plans import Plan


@dataclass(frozen=True)
class Expiring:
    kind: ClassVar[str] = "expiring"
    licence: Licence
    licence_id: str
    institution_id: str
    ends_at: datetime
    days_left: int
    days_before: int  # the plan's warning point that was reached


@dataclass(frozen=True)
class Expired:
    kind: ClassVar[str] = "expired"
    licence: Licence
    licence_id: str
    institution_id: str
    expired_at: datetime


def reach_licence_ends(
    session: Session, plans: dict[str, Plan], now: datetime, limit: int = 500
) -> list[Expiring | Expired]:
    """Expire the licences whose end has come and warn those at a warning point.

    Exactly once per licence and point, however many timers run and however often:
    a notice is announced only by the transaction that inserts its row
    (licence, end, point). Rows are taken ``FOR UPDATE SKIP LOCKED`` so that copies
    share the work instead of queueing behind each other. At most ``limit`` notices
    a call; call again while it returns ``limit``.
    """
    reached: list[Expiring | Expired] = []
    due = session.scalars(
        select(Licence)
        .where(Licence.status == ACTIVE, Licence.ends_at <= now)
        .order_by(Licence.ends_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for licence in due:
        if record_notice(session, licence, 0, now):
            licence.status = EXPIRED
            reached.append(Expired(licence, licence.id, licence.institution_id,
                                   licence.ends_at))
    for plan in plans.values():
        # the closest point first: a licence found between 3 and 14 days gets the
        # 14-day warning, one found with 2 days left only the 3-day one
        closer = 0
        for point in sorted(set(plan.warn_days_before_end)):
            if len(reached) >= limit:
                break
            reached += warn_at_point(
                session, plan, closer, point, now, limit - len(reached)
            )
            closer = point
    session.flush()
    return reached


@dataclass(frozen=True)
class Reached:
    """One batch of ends reached: what to announce, and the admins' e-mails."""

    expiring: list[Expiring]
    expired: list[Expired]
    mails: list[dict]
    more: bool  # the batch was full: more may be due, call again


def notify_licence_ends(
    session: Session, plans: dict[str, Plan], now: datetime, limit: int = 500
) -> Reached:
    """``reach_licence_ends``, and the notice each admin is mailed in their language."""
    reached = reach_licence_ends(session, plans, now, limit)
    return Reached(
        expiring=[notice for notice in reached if isinstance(notice, Expiring)],
        expired=[notice for notice in reached if isinstance(notice, Expired)],
        mails=[mails.notice_mail(notice, plan_label(plans, notice.licence.plan))
               for notice in reached],
        more=len(reached) >= limit,
    )


def plan_label(plans: dict[str, Plan], plan_id: str) -> str:
    plan = plans.get(plan_id)
    return plan.label if plan is not None else plan_id


def warn_at_point(
    session: Session, plan: Plan, closer: int, point: int, now: datetime, limit: int
) -> list[Expiring]:
    """Licences of ``plan`` ending in (closer, point] days, not yet warned there."""
    warned = exists().where(
        Notice.licence_id == Licence.id,
        Notice.ends_at == Licence.ends_at,
        Notice.days_before <= point,  # this point, or a closer one already reached
    )
    licences = session.scalars(
        select(Licence)
        .where(
            Licence.plan == plan.id,
            Licence.status == ACTIVE,
            Licence.ends_at > now + timedelta(days=closer),
            Licence.ends_at <= now + timedelta(days=point),
            ~warned,
        )
        .order_by(Licence.ends_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    return [
        Expiring(licence, licence.id, licence.institution_id, licence.ends_at,
                 days_until(licence.ends_at, now), point)
        for licence in licences
        if record_notice(session, licence, point, now)
    ]


def record_notice(
    session: Session, licence: Licence, days_before: int, now: datetime
) -> bool:
    """True for the one transaction that records this point of this end."""
    return bool(insert_ignore(session, Notice.__table__, [{
        "licence_id": licence.id, "ends_at": licence.ends_at,
        "days_before": days_before, "noticed_at": now,
    }]))
