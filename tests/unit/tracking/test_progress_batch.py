"""Records sent together in a batch answer exactly as if sent one after another.

The gateway batches the records that reach it together (gateway/combiner.py), so a
learner's outcome must not depend on what else was in flight: the same random stream
of records, with refusals, duplicates, ids reused by another learner, completions and
shared skills, is applied once record by record and once in batches of random sizes,
to twin learners; every answer and every number the learners and dashboards read must
be the same.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from services.tracking import progress
from services.tracking.contracts.errors import Forbidden, Invalid
from services.tracking.models import Learner

LEARNERS = ("ana", "ben", "cleo", "ghost")  # cleo has no seat, ghost is unknown
COURSES = {"c1": 3, "c2": 2, "draft": 1, "nope": 0}


def stream(seed: int, length: int = 80) -> list[tuple[str, dict]]:
    rng = random.Random(seed)
    used: list[tuple[str, str]] = []  # (learner, id) of earlier records
    records = []
    for n in range(length):
        learner = rng.choice(LEARNERS[:2] * 4 + LEARNERS[2:])
        course = rng.choice(["c1"] * 4 + ["c2"] * 4 + ["draft", "nope"])
        kind = rng.choice(["chapter_completed"] * 6 + ["quiz_submitted"] * 2
                          + ["course_completed"])
        request: dict = {"course_id": course, "kind": kind}
        if kind == "chapter_completed":
            chapters = COURSES[course] or 1
            request["chapter_id"] = rng.choice(
                [f"{course}-ch{i}" for i in range(1, chapters + 1)] + ["c9-ch1"])
            if rng.random() < 0.05:
                del request["chapter_id"]
        if kind == "quiz_submitted" and rng.random() < 0.9:
            request["score"] = rng.randint(30, 100)
        roll = rng.random()
        if used and roll < 0.15:  # the same record again (or someone else's id)
            request["id"] = rng.choice(used)[1]
        elif roll < 0.85:
            request["id"] = f"r{n}"
            used.append((learner, request["id"]))
        records.append((learner, request))
    return records


def twin(learner: str, run: str) -> str:
    return f"{learner}-{run}"


def renamed(records, run: str) -> list[tuple[str, dict]]:
    def own_id(request: dict) -> dict:
        return {"id": f"{run}-{request['id']}"} if "id" in request else {}

    return [(twin(learner, run), {**request, **own_id(request)})
            for learner, request in records]


def answer(outcome) -> tuple:
    """What the learner is told, without the ids that differ between the twins."""
    if isinstance(outcome, Forbidden):
        return ("forbidden", outcome.code)
    if isinstance(outcome, Invalid):
        return ("invalid", tuple(sorted(outcome.errors)))
    return ("recorded", outcome.duplicate, outcome.progress["kind"],
            outcome.progress["course_id"], outcome.completed is not None,
            tuple(s["skill_id"] for s in outcome.skills))


@pytest.fixture
def world(tracking):
    tracking.course("c1", chapters=3, skills=["listening", "reading"])
    tracking.course("c2", chapters=2, skills=["reading", "writing"], pass_mark=60)
    tracking.course("draft", chapters=1, skills=["none"], status="draft")
    tracking.licence()
    for run in ("one", "batch"):
        tracking.learners(twin("ana", run), twin("ben", run))
        tracking.learners(twin("cleo", run), seated=False)
    return tracking


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_batch_answers_and_counts_like_one_record_after_another(world, seed):
    records = stream(seed)

    one_by_one = []
    for learner, request in renamed(records, "one"):
        with world.sessions.begin() as session:
            one_by_one.append(progress.record_batch(
                session, [(learner, request)], world.t0)[0])

    rng, batched, pending = random.Random(seed), [], renamed(records, "batch")
    while pending:
        size = rng.randint(1, 12)
        with world.sessions.begin() as session:
            batched += progress.record_batch(session, pending[:size], world.t0)
        pending = pending[size:]

    assert [answer(o) for o in batched] == [answer(o) for o in one_by_one]
    assert any(a[0] == "recorded" and a[4] for a in map(answer, batched)), \
        "the stream completes some course"
    for learner in LEARNERS[:3]:
        one, batch = twin(learner, "one"), twin(learner, "batch")
        assert strip(world.progress(batch)) == strip(world.progress(one))
        assert [s["skill_id"] for s in world.skills(batch)] == [
            s["skill_id"] for s in world.skills(one)]
        assert totals(world, batch) == totals(world, one)


def strip(progress: dict) -> dict:
    return {course: {k: v for k, v in p.items() if not k.endswith("_at")}
            for course, p in progress.items()}


def totals(world, learner_id: str) -> tuple:
    with world.sessions() as session:
        row = session.execute(select(
            Learner.courses_started, Learner.courses_completed, Learner.skills_acquired,
            Learner.last_activity_at.is_not(None),
        ).where(Learner.id == learner_id)).one()
    return tuple(row)
