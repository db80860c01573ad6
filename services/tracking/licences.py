"""A licence's status, derived from the facts its events brought, and what it
allows now: recording progress and monitoring both need an active licence."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .contracts.errors import Forbidden
from .models import Licence


def licence_status(licence: Licence) -> str:
    """Independent of the order the events arrived in; revoked is final."""
    if licence.revoked_at is not None:
        return "revoked"
    if licence.expired_at is not None and (
        licence.extended_at is None or licence.extended_at <= licence.expired_at
    ):
        return "expired"  # an extension decided after the expiry reopens the licence
    if licence.starts_at is None or licence.ends_at is None:
        return "pending"  # a lifecycle event came before licence.issued.v1
    return "active"


def licence_for(session: Session, institution_id: str) -> Licence | None:
    return session.scalars(
        select(Licence).where(Licence.institution_id == institution_id)
        .order_by(Licence.starts_at.desc().nulls_last()).limit(1)
    ).first()


def check_licence(licence: Licence | None, now: datetime) -> Licence:
    """The institution's licence if it is active now; Forbidden saying why if not."""
    if licence is None:
        raise Forbidden("no_licence", "the institution holds no licence yet")
    check_licence_state(licence.status, licence.ends_at, now)
    return licence


def check_licence_state(status: str | None, ends_at: datetime | None,
                        now: datetime) -> None:
    """``status`` None: no licence row at all."""
    if status is None or status == "pending":
        raise Forbidden("no_licence", "the institution holds no licence yet")
    if status == "revoked":
        raise Forbidden("licence_revoked", "the institution's licence was revoked")
    if status == "expired" or ends_at is None or ends_at <= now:
        raise Forbidden("licence_expired", "the institution's licence has expired")
