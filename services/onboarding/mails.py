"""Invitation and application e-mails, in the institution's language."""

from __future__ import annotations

from .contracts.links import status_url

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

# to an admin an operator adds to an active institution
ANOTHER_ADMIN = {
    "en": (
        "You are an admin of {institution} on Continuity",
        "Hello,\n\nThe Continuity team has made you an admin of {institution}.\n"
        "Set your password and open your institution's space here (the link works "
        "once and expires in 7 days):\n\n  {url}\n\nThe Continuity team\n",
    ),
    "fr": (
        "Vous administrez {institution} sur Continuity",
        "Bonjour,\n\nL'équipe Continuity vous a nommé administrateur de "
        "{institution}.\nChoisissez votre mot de passe et ouvrez l'espace de votre "
        "établissement ici (lien à usage unique, valable 7 jours) :\n\n  {url}\n\n"
        "L'équipe Continuity\n",
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


# to the contact of an application, when a request repeats it: the same contact again
# (or anyone who typed their address), or another contact for the same website
APPLIED_AGAIN = {
    "en": (
        "Your application for {institution} on Continuity",
        "Hello,\n\nWe have received a new application for {institution} with your "
        "e-mail address as its contact. We already have yours, so we did not record "
        "another one. Follow it here:\n\n  {url}\n\nIf you did not send it, you "
        "can ignore this e-mail.\n\nThe Continuity team\n",
    ),
    "fr": (
        "Votre candidature pour {institution} sur Continuity",
        "Bonjour,\n\nNous avons reçu une nouvelle candidature pour {institution} "
        "avec votre adresse comme contact. Nous avons déjà la vôtre et n'en avons pas "
        "enregistré d'autre. Suivez-la ici :\n\n  {url}\n\nSi vous ne l'avez pas "
        "envoyée, ignorez ce message.\n\nL'équipe Continuity\n",
    ),
}
ANOTHER_CONTACT = {
    "en": (
        "Another application for {institution} on Continuity",
        "Hello,\n\nSomeone else has applied for {institution} ({website}) on "
        "Continuity, from another e-mail address. Your application stays as it is: "
        "our team will check the other one with your institution before anything "
        "changes. Follow yours here:\n\n  {url}\n\nThe Continuity team\n",
    ),
    "fr": (
        "Une autre candidature pour {institution} sur Continuity",
        "Bonjour,\n\nUne autre personne a déposé une candidature pour {institution} "
        "({website}) sur Continuity, depuis une autre adresse. Votre candidature reste "
        "inchangée : notre équipe vérifiera l'autre avec votre établissement avant "
        "tout changement. Suivez la vôtre ici :\n\n  {url}\n\n"
        "L'équipe Continuity\n",
    ),
}
# to the other contact: their application waits for an operator
IN_REVIEW = {
    "en": (
        "Your application for {institution} is being reviewed",
        "Hello,\n\nWe have received your application for {institution} on "
        "Continuity. Another contact had already applied for this institution, so "
        "our team will check with it before deciding. Follow your application "
        "here:\n\n  {url}\n\nThe Continuity team\n",
    ),
    "fr": (
        "Votre candidature pour {institution} est à l'étude",
        "Bonjour,\n\nNous avons reçu votre candidature pour {institution} sur "
        "Continuity. Un autre contact avait déjà déposé une candidature pour cet "
        "établissement : notre équipe vérifiera avec lui avant de décider. Suivez "
        "votre candidature ici :\n\n  {url}\n\nL'équipe Continuity\n",
    ),
}


def application_mail(kind: dict, application, language: str, public_url: str) -> dict:
    """A mail to an application's contact, with the link to follow it."""
    subject, text = kind[language if language in kind else "en"]
    values = {
        "institution": application.name, "website": application.website,
        "url": status_url(public_url, application.id, application.status_token),
    }
    return {
        "to": application.contact_email,
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
