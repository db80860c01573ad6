"""Eligibility rules kept as data (rules.yml): every failing reason is reported."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_RULES = Path(__file__).with_name("rules.yml")


@dataclass(frozen=True)
class Rules:
    closure_countries: frozenset[str]
    allowed_types: frozenset[str]
    academic_domains: tuple[str, ...]
    min_learners: int
    max_auto_learners: int
    max_learners: int

    @classmethod
    def load(cls, path: str | os.PathLike | None = None) -> Rules:
        raw = yaml.safe_load(Path(path or DEFAULT_RULES).read_text(encoding="utf-8"))
        learners = raw["expected_learners"]
        return cls(
            closure_countries=frozenset(c.upper() for c in raw["closure_countries"]),
            allowed_types=frozenset(raw["allowed_types"]),
            academic_domains=tuple(d.lower().lstrip(".") for d in raw["academic_domains"]),
            min_learners=int(learners["min"]),
            max_auto_learners=int(learners["max_auto"]),
            max_learners=int(learners["max"]),
        )

    def is_academic(self, domain: str) -> bool:
        return any(
            domain == d or domain.endswith("." + d) for d in self.academic_domains
        )

    def failing_reasons(
        self, *, country: str, type: str, email_domain: str, website_domain: str,
        expected_learners: int,
    ) -> list[str]:
        reasons = []
        if country not in self.closure_countries:
            reasons.append(f"country {country} is not on the closure list")
        if type not in self.allowed_types:
            reasons.append(f"institution type {type} is not eligible")
        if not (
            same_organisation(email_domain, website_domain)
            or self.is_academic(email_domain)
        ):
            reasons.append(
                f"contact e-mail domain {email_domain} does not match the website "
                f"domain {website_domain} and is not an academic domain"
            )
        if expected_learners < self.min_learners:
            reasons.append(
                f"{expected_learners} expected learners is below the plan's minimum "
                f"of {self.min_learners}"
            )
        if expected_learners > self.max_auto_learners:
            reasons.append(
                f"{expected_learners} expected learners exceeds the "
                f"{self.max_auto_learners} approved without review"
            )
        return reasons


def same_organisation(email_domain: str, website_domain: str) -> bool:
    """``lycee-hugo.fr`` matches ``mail.lycee-hugo.fr`` and the other way round."""
    a, b = email_domain.lower(), website_domain.lower()
    return a == b or a.endswith("." + b) or b.endswith("." + a)
