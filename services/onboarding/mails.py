"""Invitation e-mails, in the institution's language."""

from __future__ import annotations

ADMIN = {
    "en": (
        "Your Continuity space for {institution} is ready",
        "Hello,\n\n{institution} now holds a free SPARK licence on Continuity.\n"
        "Set your password and open your institution's space here (the link works "
        "once and expires in 7 days):\n\n  {url}\n\n"
        "Your onboarding webinar (in English, 1 hour): {webinar}.\n\n"
        "Then import your learners' roster (CSV) and follow their progress on your "
        "dashboard.\n\nThe Continuity team\n",
    ),
    "fr": (
        "Votre espace Continuity pour {institution} est prêt",
        "Bonjour,\n\n{institution} dispose désormais d'une licence SPARK gratuite sur "
        "Continuity.\nChoisissez votre mot de passe et ouvrez l'espace de votre "
        "établissement ici (lien à usage unique, valable 7 jours) :\n\n  {url}\n\n"
        "Votre webinaire de prise en main (en français, 1 heure) : {webinar}.\n\n"
        "Importez ensuite la liste de vos apprenants (CSV) et suivez leur progression "
        "sur votre tableau de bord.\n\nL'équipe Continuity\n",
    ),
}

LEARNER = {
    "en": (
        "{institution} invites you to learn on Continuity",
        "Hello {first_name},\n\n{institution} has opened Continuity's course catalogue "
        "to you. Set your password here (the link works once and expires in 7 days):"
        "\n\n  {url}\n\nSee you soon,\nThe Continuity team\n",
    ),
    "fr": (
        "{institution} vous invite à apprendre sur Continuity",
        "Bonjour {first_name},\n\n{institution} vous ouvre le catalogue de cours de "
        "Continuity. Choisissez votre mot de passe ici (lien à usage unique, valable "
        "7 jours) :\n\n  {url}\n\nÀ bientôt,\nL'équipe Continuity\n",
    ),
}


def invitation_mail(
    kind: dict, to: str, language: str, public_url: str, token: str, **values
) -> dict:
    subject, text = kind[language if language in kind else "en"]
    values["url"] = f"{public_url}/invitations/{token}"
    return {
        "to": to,
        "subject": subject.format(**values),
        "text": text.format(**values),
        "language": language,
    }


LEARNER_INVITATION = "onboarding.learner_invitation"


def learner_invitation(language: str, values: dict) -> dict:
    """A learner's invitation from what the outbox keeps of it: the batch's
    ``institution`` and ``public_url``; the learner's ``to``, ``first_name`` and
    ``token``."""
    return invitation_mail(
        LEARNER, values["to"], language, values["public_url"], values["token"],
        institution=values["institution"], first_name=values["first_name"],
    )


# what onboarding's outbox may be asked to send (Outbox.add_mail_merge)
MAIL_TEMPLATES = {LEARNER_INVITATION: learner_invitation}


def local_time(starts_at, timezone: str) -> str:
    from zoneinfo import ZoneInfo

    return f"{starts_at.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M} ({timezone})"
