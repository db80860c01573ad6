"""Licensing factories: a database with licensing's schema and approval facts."""

from __future__ import annotations

import pytest

from services.licensing.models import Base
from services.licensing.plans import load_plans


@pytest.fixture
def sessions(make_sessions):
    return make_sessions(Base.metadata)


@pytest.fixture
def plans():
    return load_plans()


@pytest.fixture
def approved():
    """An institution.approved.v1 fact, as licensing receives it."""

    def make(institution_id: str = "inst-1", expected_learners: int = 3, **overrides):
        return {
            "institution_id": institution_id,
            "expected_learners": expected_learners,
            "admin_email": "head@lycee-hugo.fr",
            "plan": "spark",
            **overrides,
        }

    return make
