"""Catalog: skills, courses, chapters, quizzes and learning paths."""

from __future__ import annotations

from nameko.rpc import rpc as nameko_rpc

from services.common.db import Database
from services.common.observability import EntrypointMetrics
from services.common.outbox import Outbox, enqueue_events

from .exceptions import CatalogError
from . import domain
from .events import COURSE_PUBLISHED_V1, COURSE_RETIRED_V1, COURSE_UPDATED_V1
from .models import Base, outbox_table


# domain errors are answers, not failures: logged without a traceback
rpc = nameko_rpc(expected_exceptions=CatalogError)


def seed_catalogue(sessions, config) -> None:
    """At start, bring the catalogue to the shipped seed; real changes become events."""
    with sessions.begin() as session:
        result = domain.load_seed(session)
        enqueue_events(session, outbox_table, COURSE_PUBLISHED_V1, result.published)
        enqueue_events(session, outbox_table, COURSE_UPDATED_V1, result.updated)
        enqueue_events(session, outbox_table, COURSE_RETIRED_V1, result.retired)


class CatalogService:
    name = "catalog"

    db = Database(Base.metadata, on_ready=seed_catalogue)
    outbox = Outbox(outbox_table)
    metrics = EntrypointMetrics()

    @rpc
    def search_courses(self, filters: dict):
        with self.db.begin() as session:
            return domain.search(session, **filters)

    @rpc
    def get_course(self, course_id: str):
        with self.db.begin() as session:
            return domain.get_course(session, course_id)

    @rpc
    def list_skills(self):
        with self.db.begin() as session:
            return domain.list_skills(session)

    @rpc
    def list_paths(self):
        with self.db.begin() as session:
            return domain.list_paths(session)

    @rpc
    def get_path(self, path_id: str):
        with self.db.begin() as session:
            return domain.get_path(session, path_id)
