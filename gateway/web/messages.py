"""Texts the web app shows but does not write: the API's field errors (marshmallow's
and the services' messages) and the review reasons. Listed here so `make messages`
extracts them and the French catalogue can translate them; the pages translate any
such text they know and show the others as they are."""

from __future__ import annotations


def _(text: str) -> str:
    return text


API_MESSAGES = (
    _("Missing data for required field."),
    _("Not a valid string."),
    _("Not a valid integer."),
    _("Not a valid URL."),
    _("Not a valid email address."),
    _("Not a valid list."),
    _("Unknown field."),
    _("Field may not be null."),
    _("Length must be between 2 and 200."),
    _("Length must be between 1 and 200."),
    _("Length must be between 1 and 120."),
    _("Not a valid email address: no @."),
    _("not an ISO 3166-1 alpha-2 country code (e.g. FR, BE)"),
    _("not an IANA time zone (e.g. Europe/Paris)"),
    _("Must be one of: fr, en."),
    _("Must be one of: secondary_school, vocational_school, university, "
      "grande_ecole, training_centre."),
    _("Length must be between 1 and 2."),
    # the operators' pages
    _("Must be greater than or equal to 1 and less than or equal to 365."),
    _("Must be greater than or equal to 1."),
    _("Length must be between 3 and 500."),
    _("Length must be between 2 and 200."),
    _("String does not match expected pattern."),
    _("this is the institution's last admin: invite another admin first, then "
      "remove this one"),
    _("this address is a member of the institution already"),
    _("the institution is not active yet: its first admin is invited when its "
      "licence is issued"),
    _("this form was sent already with other values: reload the page"),
)

# the catalogue's levels and topics, as the pages name them
LEVELS = {"beginner": _("Beginner"), "intermediate": _("Intermediate"),
          "advanced": _("Advanced")}
TOPICS = {
    "data": _("Data"), "design": _("Design"), "digital-skills": _("Digital skills"),
    "it-infrastructure": _("IT infrastructure"), "marketing": _("Marketing"),
    "project-management": _("Project management"), "soft-skills": _("Soft skills"),
    "web-development": _("Web development"),
}
