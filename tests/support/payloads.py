"""Onboarding's event payloads as licensing hears them, for tests that publish them
to the broker themselves."""

from __future__ import annotations

import uuid

ADMIN = "admin@lycee-test.fr"


def approved(institution_id: str, expected: int = 3) -> dict:
    return {
        "institution_id": institution_id, "application_id": str(uuid.uuid4()),
        "name": "Lycée Test", "country": "FR", "type": "secondary_school",
        "expected_learners": expected, "languages": ["fr"], "timezone": "Europe/Paris",
        "admin_email": ADMIN, "plan": "spark",
        "approved_at": "2026-11-28T10:00:00+00:00",
    }


def enrolled(institution_id: str, learner_ids: list[str]) -> dict:
    return {
        "institution_id": institution_id, "import_job_id": str(uuid.uuid4()),
        "learners": [{"learner_id": lid, "email": f"{lid}@lycee-test.fr",
                      "first_name": "A", "last_name": "B", "cohort": "1",
                      "external_id": None}
                     for lid in learner_ids],
    }


def removed(institution_id: str, learner_ids: list[str]) -> dict:
    return {"institution_id": institution_id, "learner_ids": learner_ids,
            "removed_at": "2026-12-01T10:00:00+00:00"}
