"""Notices to the institution's admin about the licence's end, in their language."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .languages import language_by_zone

if TYPE_CHECKING:  # the notices are licence_ends' facts, which import this module
    from .licence_ends import Expired, Expiring

EXPIRING = {
    "en": (
        "Your {plan} licence ends in {days}",
        "Hello,\n\nThe free {plan} licence of {institution} on Continuity ends in "
        "{days}, on {date}.\nAfter that date your learners can no longer record "
        "their progress and your dashboards close.\n\nIf you need more time, reply "
        "to this e-mail: the Continuity team can extend the licence.\n\n"
        "The Continuity team\n",
    ),
    "fr": (
        "Votre licence {plan} se termine dans {days}",
        "Bonjour,\n\nLa licence {plan} gratuite de {institution} sur Continuity se "
        "termine dans {days}, le {date}.\nAprès cette date, vos apprenants ne "
        "pourront plus enregistrer leur progression et vos tableaux de bord seront "
        "fermés.\n\nSi vous avez besoin de plus de temps, répondez à ce courriel : "
        "l'équipe Continuity peut prolonger la licence.\n\nL'équipe Continuity\n",
    ),
}

EXPIRED = {
    "en": (
        "Your {plan} licence has ended",
        "Hello,\n\nThe free {plan} licence of {institution} on Continuity ended on "
        "{date}.\nYour learners can no longer record their progress and your "
        "dashboards are closed.\n\nIf you need more time, reply to this e-mail.\n\n"
        "The Continuity team\n",
    ),
    "fr": (
        "Votre licence {plan} est arrivée à échéance",
        "Bonjour,\n\nLa licence {plan} gratuite de {institution} sur Continuity a "
        "pris fin le {date}.\nVos apprenants ne peuvent plus enregistrer leur "
        "progression et vos tableaux de bord sont fermés.\n\nSi vous avez besoin de "
        "plus de temps, répondez à ce courriel.\n\nL'équipe Continuity\n",
    ),
}

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
}


def local_date(moment: datetime, timezone: str, language: str) -> str:
    """``12 December 2026, 10:00 (Europe/Paris)`` in the institution's time zone."""
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone, timezone = ZoneInfo("UTC"), "UTC"
    local = moment.astimezone(zone)
    at = "à" if language == "fr" else "at"
    return (f"{local.day} {MONTHS[language][local.month - 1]} {local.year} "
            f"{at} {local:%H:%M} ({timezone or 'UTC'})")


def days_text(days: int, language: str) -> str:
    if language == "fr":
        return f"{days} jour" if days <= 1 else f"{days} jours"
    return f"{days} day" if days == 1 else f"{days} days"


def notice_mail(notice: Expiring | Expired, plan_label: str) -> dict:
    licence = notice.licence
    language = licence.language or language_by_zone(licence.languages, licence.timezone)
    if language not in EXPIRING:  # a language without texts here: English
        language = "en"
    if notice.kind == "expiring":
        subject, text = EXPIRING[language]
        moment = notice.ends_at
        days = days_text(notice.days_left, language)
    else:
        subject, text = EXPIRED[language]
        moment = notice.expired_at
        days = ""
    values = {
        "plan": plan_label,
        "institution": licence.institution_name or licence.institution_id,
        "days": days,
        "date": local_date(moment, licence.timezone, language),
    }
    return {
        "to": licence.admin_email,
        "subject": subject.format(**values),
        "text": text.format(**values),
        "language": language,
    }

