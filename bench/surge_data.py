"""What a surge is made of: institutions' applications and their rosters as schools
export them (French and English names and headers, `,` `;` or tab, a learner listed
twice, a few rows a person got wrong), and what the platform should make of each.

Seeded: the same seed gives the same surge, so two runs can be compared.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

FRENCH_FIRST = ("Camille", "Léa", "Lucas", "Chloé", "Hugo", "Inès", "Jules", "Manon",
                "Louis", "Zoé", "Gabriel", "Emma", "Raphaël", "Anaïs", "Théo", "Élodie",
                "Noémie", "Maël", "Benoît", "Amélie")
FRENCH_LAST = ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Rousseau",
               "Fontaine", "Chevalier", "Lambert", "Bonnet", "François", "Mercier",
               "Dupont", "Legrand", "Garnier", "Faure", "Rolland", "Gauthier", "Perrin")
ENGLISH_FIRST = ("Oliver", "Amelia", "Harry", "Isla", "Jack", "Ava", "George", "Mia",
                 "Noah", "Grace", "Charlie", "Freya", "Jacob", "Lily", "Oscar", "Emily",
                 "Thomas", "Sophie", "James", "Chloe")
ENGLISH_LAST = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
                "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White",
                "Roberts", "Green", "Hall", "Wood", "Jackson", "O'Connor")
FRENCH_TOWNS = ("Lyon", "Nantes", "Lille", "Rennes", "Bordeaux", "Toulouse", "Dijon",
                "Grenoble", "Montpellier", "Strasbourg")
ENGLISH_TOWNS = ("Leeds", "Bristol", "York", "Cardiff", "Manchester", "Norwich")
FRENCH_KINDS = (("Lycée", "secondary_school"), ("Collège", "secondary_school"),
                ("Lycée professionnel", "vocational_school"),
                ("Université", "university"),
                ("Centre de formation", "training_centre"))
ENGLISH_KINDS = (("High School", "secondary_school"), ("College", "vocational_school"),
                 ("Academy", "secondary_school"), ("University", "university"))
# what each kind of file puts in its header row, and between fields
LAYOUTS = {
    "fr": (("Courriel", "Prénom", "Nom", "Classe"), ";"),
    "en": (("email", "first_name", "last_name", "cohort"), ","),
    "tab": (("E-mail", "First name", "Last name", "Group"), "\t"),
}
# rows a person gets wrong: an address without its @, a first name left out
BAD_ROWS = (
    lambda first, last, email, cohort: (first, last, email.replace("@", " at "),
                                        cohort),
    lambda first, last, email, cohort: ("", last, email, cohort),
)


def ascii_slug(text: str) -> str:
    """``Lefèvre`` → ``lefevre``: how schools turn names into addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c == "-")


@dataclass(frozen=True)
class Roster:
    body: bytes
    imported: int  # learners the import should add
    duplicates: int  # rows naming a learner already in the file
    rejected: int  # rows the import should refuse, each with its reason
    emails: tuple[str, ...]  # the imported learners', in file order


@dataclass(frozen=True)
class Institution:
    number: int
    language: str  # fr or en: its name, its town, its learners' names
    domain: str
    application: dict
    needs_review: bool  # its contact writes from an address an operator must check

    def roster(self, learners: int, rng: random.Random, run: str) -> Roster:
        """``learners`` rows: about 3 % of them repeat an earlier learner, about 2 %
        are wrong (an address without its @, a missing first name)."""
        layout = ("fr", "en", "tab")[self.number % 3] if self.language == "fr" else (
            "en", "tab")[self.number % 2]
        header, sep = LAYOUTS[layout]
        first_names, last_names = ((FRENCH_FIRST, FRENCH_LAST) if self.language == "fr"
                                   else (ENGLISH_FIRST, ENGLISH_LAST))
        rows, emails, kept = [sep.join(header)], [], []
        duplicates = rejected = 0
        for n in range(learners):
            if kept and rng.random() < 0.03:  # the same learner, listed again
                rows.append(rng.choice(kept))
                duplicates += 1
                continue
            first, last = rng.choice(first_names), rng.choice(last_names)
            email = f"{ascii_slug(first)}.{ascii_slug(last)}.{n}.{run}@{self.domain}"
            cohort = f"{'Classe' if self.language == 'fr' else 'Year'} {n % 4 + 1}"
            fields = (first, last, email, cohort)
            if rng.random() < 0.02:
                fields = rng.choice(BAD_ROWS)(*fields)
                rejected += 1
            row = sep.join(fields[2:3] + fields[:2] + fields[3:])
            if fields[2] == email and fields[0]:
                emails.append(email)
                kept.append(row)
            rows.append(row)
        body = ("\r\n".join(rows) + "\r\n").encode()
        if layout == "fr":  # a French spreadsheet's CSV export starts with a BOM
            body = b"\xef\xbb\xbf" + body
        return Roster(body, len(emails), duplicates, rejected, tuple(emails))


def institution(number: int, run: str, rng: random.Random,
                learners: int) -> Institution:
    """The ``number``-th institution of run ``run``: French two times in three; one
    in ten writes from a personal address, so an operator reviews it."""
    language = "en" if number % 3 == 2 else "fr"
    kinds, towns, first, last = ((FRENCH_KINDS, FRENCH_TOWNS, FRENCH_FIRST, FRENCH_LAST)
                                 if language == "fr" else
                                 (ENGLISH_KINDS, ENGLISH_TOWNS, ENGLISH_FIRST,
                                  ENGLISH_LAST))
    (kind, type_), town = rng.choice(kinds), rng.choice(towns)
    patron = rng.choice(last)
    domain = f"{ascii_slug(patron)}-{number}-{run}.{'fr' if language == 'fr' else 'uk'}"
    needs_review = number % 10 == 3
    contact_domain = "gmail.com" if needs_review else domain
    name = f"{kind} {patron}" if language == "fr" else f"{patron} {kind}"
    return Institution(number, language, domain, {
        "name": f"{name} ({town})", "type": type_,
        "country": "FR" if language == "fr" else "GB", "city": town,
        "website": f"https://www.{domain}",
        "contact": {"name": f"{rng.choice(first)} {patron}",
                    "email": f"direction.{number}.{run}@{contact_domain}",
                    "role": "Proviseur" if language == "fr" else "Head teacher"},
        "expected_learners": learners, "languages": [language],
        "timezone": "Europe/Paris" if language == "fr" else "Europe/London",
    }, needs_review)


def bad_application(good: dict) -> tuple[dict, str]:
    """The application with a mistake a person makes, and the field the answer
    should name."""
    return {**good, "expected_learners": "about thirty"}, "expected_learners"
