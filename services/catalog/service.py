"""Catalog: skills, courses, chapters, quizzes and learning paths."""

from __future__ import annotations

from services.common.clock import Clock, now_in
from services.common.database import Database
from services.common.observability import EntrypointMetrics
from services.common.outbox import enqueue_events
from services.common.registry import ProcessFacts
from services.common.relay import Outbox
from services.common.rpc import register_errors
from services.common.rpc import rpc as nameko_rpc
from services.common.validation import load_or_raise

from . import domain
from .contracts import rpc as schemas  # the RPC requests and answers
from .contracts.errors import CatalogError, Invalid
from .contracts.events import COURSE_PUBLISHED_V1, COURSE_RETIRED_V1, COURSE_UPDATED_V1
from .models import Base, outbox_table

register_errors(CatalogError)  # an RPC caller gets them back as themselves

# domain errors are answers, not failures: logged without a traceback
rpc = nameko_rpc(expected_exceptions=CatalogError)

ANNOUNCE = {
    "published": COURSE_PUBLISHED_V1,
    "updated": COURSE_UPDATED_V1,
    "retired": COURSE_RETIRED_V1,
}


def seed_catalogue(sessions, config) -> None:
    """At start, bring the catalogue to the shipped seed; real changes become events."""
    with sessions.begin() as session:
        result = domain.load_seed(session, now_in(config))
        enqueue_events(session, outbox_table, COURSE_PUBLISHED_V1, result.published)
        enqueue_events(session, outbox_table, COURSE_UPDATED_V1, result.updated)
        enqueue_events(session, outbox_table, COURSE_RETIRED_V1, result.retired)


def load(schema, payload) -> dict:
    return load_or_raise(schema, payload, Invalid)


class CatalogService:
    name = "catalog"
    facts = ProcessFacts(ops_port=9101)

    db = Database(Base.metadata, on_ready=seed_catalogue)
    clock = Clock()
    outbox = Outbox(outbox_table)
    metrics = EntrypointMetrics()

    # -- reads ----------------------------------------------------------------------
    @rpc
    def search_courses(self, filters: dict):
        with self.db.begin() as session:
            return domain.search(session, **filters)

    @rpc
    def get_course(self, course_id: str):
        with self.db.begin() as session:
            return domain.get_course(session, course_id)

    @rpc
    def grade_quiz(self, course_id: str, payload: dict):
        request = load(schemas.QuizAnswers(), payload)
        with self.db.begin() as session:
            grade = domain.grade_quiz(session, course_id, request["answers"])
        return schemas.QuizGrade().dump(grade)

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

    @rpc
    def catalogue_snapshot(self):
        """Courses readers can reach, skills, paths, topics: the gateway's copy."""
        with self.db.begin() as session:
            return domain.catalogue_snapshot(session)

    # -- operators' edits: each change and its event commit together ----------------
    @rpc
    def create_course(self, payload: dict):
        request = load(schemas.CourseCreate(), payload)
        with self.db.begin() as session:
            return self._announce(
                session, domain.create_course(session, request, self.clock()))

    @rpc
    def update_course(self, course_id: str, payload: dict):
        patch = load(schemas.CoursePatch(), payload)
        with self.db.begin() as session:
            return self._announce(
                session, domain.update_course(session, course_id, patch, self.clock())
            )

    @rpc
    def publish_course(self, course_id: str):
        with self.db.begin() as session:
            return self._announce(
                session, domain.publish_course(session, course_id, self.clock()))

    @rpc
    def retire_course(self, course_id: str):
        with self.db.begin() as session:
            return self._announce(
                session, domain.retire_course(session, course_id, self.clock()))

    def _announce(self, session, change: domain.Change) -> dict:
        if change.announce:
            self.outbox.add(session, ANNOUNCE[change.announce], change.fact)
        return change.course
