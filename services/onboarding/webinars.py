"""Onboarding webinars: one language each, in the institution's working hours.

Booking takes the earliest session of the institution's language that starts at least
24 h ahead, falls in its working hours (Monday to Friday, starting 09:00–16:00 local
time, so it ends by 17:00) and has room; if none has, it opens the next such slot.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from services.common.bulk import insert_ignore
from services.common.ids import new_id

from .contracts.errors import Conflict, Invalid, NotFound
from .contracts.events import primary_language
from .models import Institution, Webinar, WebinarBooking

LEAD = timedelta(hours=24)
CAPACITY = 50
FIRST_HOUR, LAST_START_HOUR = 9, 16
SEARCH_DAYS = 60


def in_working_hours(starts_at: datetime, timezone: str) -> bool:
    local = starts_at.astimezone(ZoneInfo(timezone))
    return (
        local.weekday() < 5
        and FIRST_HOUR <= local.hour <= LAST_START_HOUR
        and local.minute == 0
    )


def next_slots(after: datetime, timezone: str):
    """Whole local hours in working time, from the first one at or after ``after``."""
    zone = ZoneInfo(timezone)
    local = after.astimezone(zone)
    hour = local.replace(minute=0, second=0, microsecond=0)
    if hour < local:
        hour += timedelta(hours=1)
    for _ in range(SEARCH_DAYS * 24):
        utc = hour.astimezone(ZoneInfo("UTC"))
        if in_working_hours(utc, timezone):
            yield utc
        hour = (hour + timedelta(hours=1)).astimezone(zone)  # DST-safe


def book(
    session: Session, institution_id: str, language: str, timezone: str, now: datetime
) -> tuple[Webinar, bool]:
    """The institution's session (booked once); True when this call booked it."""
    existing = session.get(WebinarBooking, institution_id)
    if existing is not None:
        return session.get(Webinar, existing.webinar_id), False
    earliest = now + LEAD
    open_sessions = session.scalars(
        select(Webinar)
        .where(Webinar.language == language, Webinar.starts_at >= earliest,
               Webinar.booked < Webinar.capacity)
        .order_by(Webinar.starts_at)
        .limit(200)
    ).all()
    for webinar in open_sessions:
        if in_working_hours(webinar.starts_at, timezone) and take_place_for(
                session, institution_id, webinar, now):
            return webinar, True
    # sessions already full are skipped without a round trip each: during a surge
    # hundreds of institutions book at once and the full ones pile up ahead
    full = set(session.scalars(
        select(Webinar.starts_at).where(Webinar.language == language,
                                        Webinar.starts_at >= earliest,
                                        Webinar.booked >= Webinar.capacity)))
    for slot in next_slots(earliest, timezone):
        if slot in full:
            continue
        insert_ignore(session, Webinar.__table__, [{
            "id": new_id(), "language": language, "starts_at": slot,
            "minutes": 60, "capacity": CAPACITY, "booked": 0,
        }])
        webinar = session.scalars(
            select(Webinar).where(Webinar.language == language, Webinar.starts_at == slot)
        ).one()
        if take_place_for(session, institution_id, webinar, now):
            return webinar, True
    raise RuntimeError(f"no webinar slot in {SEARCH_DAYS} days for {timezone}")


def take_place_for(
    session: Session, institution_id: str, webinar: Webinar, now: datetime
) -> bool:
    """Take a place in ``webinar`` for the institution if it still has room.

    On PostgreSQL one statement takes the place and records whose it is: run by a
    session in autocommit (``autocommit_session``), the session's row is locked for
    that statement only, so a surge's activations do not queue behind each other's
    round trips. Elsewhere: ``take_place`` then ``reserve`` in the transaction.
    """
    if session.get_bind().dialect.name != "postgresql":
        if not take_place(session, webinar.id):
            return False
        reserve(session, institution_id, webinar, now)
        return True
    booked = session.execute(TAKE_AND_BOOK, {
        "webinar_id": webinar.id, "institution_id": institution_id, "now": now,
    }).first()
    if booked is None:
        return False
    # what the row now says, without marking the object changed: a flush would write
    # this absolute count over places others took since
    set_committed_value(webinar, "booked", booked.booked)
    return True


# the place and the booking in one statement (a second booking of the institution
# fails on the primary key, and the place taken goes back with the statement)
TAKE_AND_BOOK = text("""
    WITH taken AS (
        UPDATE webinars SET booked = booked + 1
        WHERE id = :webinar_id AND booked < capacity
        RETURNING id, booked)
    INSERT INTO webinar_bookings (institution_id, webinar_id, booked_at)
    SELECT :institution_id, id, :now FROM taken
    RETURNING webinar_id, (SELECT booked FROM taken) AS booked
""")


def take_place(session: Session, webinar_id: str) -> bool:
    """Atomically take one place if the session still has room (safe across processes)."""
    taken = session.execute(
        update(Webinar)
        .where(Webinar.id == webinar_id, Webinar.booked < Webinar.capacity)
        .values(booked=Webinar.booked + 1)
    ).rowcount
    return bool(taken)


def reserve(
    session: Session, institution_id: str, webinar: Webinar, now: datetime
) -> None:
    """The place is taken (``take_place``, which updated ``webinar.booked`` in the
    session too): record whose it is. Written at commit: the session's row is locked
    from ``take_place`` until then, so nothing else waits here."""
    session.add(WebinarBooking(institution_id=institution_id, webinar_id=webinar.id,
                               booked_at=now))


def view(webinar: Webinar) -> dict:
    return {
        "id": webinar.id, "language": webinar.language,
        "starts_at": webinar.starts_at.isoformat(),
        "ends_at": (webinar.starts_at + timedelta(minutes=webinar.minutes)).isoformat(),
        "capacity": webinar.capacity, "booked": webinar.booked,
    }


def booking_of(session: Session, institution_id: str) -> Webinar | None:
    booking = session.get(WebinarBooking, institution_id)
    return session.get(Webinar, booking.webinar_id) if booking else None


def list_sessions(session: Session, since: datetime) -> list[Webinar]:
    return list(session.scalars(
        select(Webinar).where(Webinar.starts_at >= since).order_by(Webinar.starts_at)
    ))


CHOICES = 10  # sessions an admin is offered to book or move to


def choices(
    session: Session, language: str, timezone: str, now: datetime
) -> list[dict]:
    """The next sessions the institution may book, in its language and working hours
    from 24 h ahead: those that exist (full ones included, to say so) and the slots
    that would open on demand (no row yet: nobody booked them)."""
    earliest = now + LEAD
    existing = {w.starts_at: view(w) for w in session.scalars(
        select(Webinar)
        .where(Webinar.language == language, Webinar.starts_at >= earliest)
        .order_by(Webinar.starts_at).limit(200))
        if in_working_hours(w.starts_at, timezone)}
    slots = []
    for slot in next_slots(earliest, timezone):
        slots.append(slot)
        if len(slots) == CHOICES:
            break
    offered = []
    for starts_at in sorted(set(slots) | set(existing))[:CHOICES]:
        offered.append(existing.get(starts_at) or {
            "id": None, "language": language, "starts_at": starts_at.isoformat(),
            "ends_at": (starts_at + timedelta(minutes=60)).isoformat(),
            "capacity": CAPACITY, "booked": 0,
        })
    return offered


def move_booking(
    session: Session, institution_id: str, language: str, timezone: str,
    starts_at: datetime, now: datetime,
) -> tuple[Webinar, bool]:
    """The institution's place moved to (or first booked in) the session starting at
    ``starts_at``; True when it changed. ``Invalid`` for a time it may not book,
    ``Conflict`` for a session without room (its place is kept)."""
    if starts_at < now + LEAD or starts_at > now + timedelta(days=SEARCH_DAYS) \
            or not in_working_hours(starts_at, timezone):
        raise Invalid({"starts_at": ["not a session you can book: choose one of "
                                     "those offered"]})
    booking = session.get(WebinarBooking, institution_id, with_for_update=True)
    current = session.get(Webinar, booking.webinar_id) if booking else None
    if current is not None and current.starts_at == starts_at:
        return current, False
    insert_ignore(session, Webinar.__table__, [{
        "id": new_id(), "language": language, "starts_at": starts_at,
        "minutes": 60, "capacity": CAPACITY, "booked": 0,
    }])
    webinar = session.scalars(
        select(Webinar).where(Webinar.language == language,
                              Webinar.starts_at == starts_at)).one()
    if not take_place(session, webinar.id):
        raise Conflict("this webinar is full: choose another session")
    if booking is None:
        reserve(session, institution_id, webinar, now)
        return webinar, True
    session.execute(update(Webinar).where(Webinar.id == current.id)
                    .values(booked=Webinar.booked - 1))
    booking.webinar_id, booking.booked_at = webinar.id, now
    session.refresh(webinar)
    return webinar, True


def _where(session: Session, institution_id: str) -> tuple[str, str]:
    """The institution's webinar language and time zone."""
    institution = session.get(Institution, institution_id)
    if institution is None or institution.status != "active":
        raise NotFound("no webinar to book: the institution is not active")
    return (primary_language(institution.languages, institution.country),
            institution.timezone)


def choices_for(session: Session, institution_id: str, now: datetime) -> list[dict]:
    """``choices`` for the institution, each marked full and whether it is its own."""
    language, timezone = _where(session, institution_id)
    own = booking_of(session, institution_id)
    return [{**choice, "full": choice["booked"] >= choice["capacity"],
             "yours": own is not None and choice["id"] == own.id}
            for choice in choices(session, language, timezone, now)]


def book_for(
    session: Session, institution_id: str, starts_at: datetime, now: datetime
) -> dict:
    """``move_booking`` for the institution: the session it is now booked in."""
    language, timezone = _where(session, institution_id)
    webinar, _ = move_booking(session, institution_id, language, timezone,
                              starts_at, now)
    return view(webinar)
