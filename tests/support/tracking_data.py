"""A large institution in tracking's PostgreSQL tables, built by SQL in seconds.

``build_institution(session, "inst-big", learners=5000, records=100_000, now=now)``
writes an active licence, 20 courses of 5 chapters, the learners (20 cohorts, 95 %
seated), the progress records (skewed: a few learners do much, many do little), and
what ``record_progress`` would have derived from them: chapters done, course states
(completed when every chapter is done), skills, and the per-learner totals. The
random choices are seeded, so two builds are the same.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

COURSES = 20
CHAPTERS = 5
COHORTS = 20


def build_institution(
    session: Session, institution_id: str, *, learners: int = 5000,
    records: int = 100_000, now: datetime, seed: float = 0.42,
) -> None:
    if session.get_bind().dialect.name != "postgresql":
        raise RuntimeError("build_institution writes PostgreSQL SQL")
    p = {"inst": institution_id, "n": learners, "records": records, "now": now,
         "courses": COURSES, "chapters": CHAPTERS, "cohorts": COHORTS,
         "ends": now + timedelta(days=60), "starts": now - timedelta(days=30)}
    run = lambda sql: session.execute(text(sql), p)  # noqa: E731
    session.execute(text("SELECT setseed(:seed)"), {"seed": seed})
    run("""
        INSERT INTO licences (id, institution_id, status, seats_granted, starts_at,
                              ends_at, updated_at)
        VALUES ('lic-' || :inst, :inst, 'active', :n, :starts, :ends, :starts)
    """)
    run("""
        INSERT INTO courses (id, title, status, chapters, skills, pass_mark, updated_at)
        SELECT 'bc' || c, 'Course ' || c, 'published',
               (SELECT json_agg('bc' || c || '-ch' || h)
                FROM generate_series(1, :chapters) h),
               json_build_array('skill-' || c, 'skill-' || (c % 7)),
               NULL, :starts
        FROM generate_series(1, :courses) c
        ON CONFLICT (id) DO NOTHING
    """)
    run("""
        INSERT INTO learners (id, institution_id, email, first_name, last_name, cohort,
                              external_id, seated, enrolled_at, last_activity_at,
                              courses_started, courses_completed, skills_acquired)
        SELECT :inst || '-l' || i, :inst, 'learner' || i || '@big.example',
               initcap(substr(md5('f' || i), 1, 6)),
               initcap(substr(md5('l' || i), 1, 8)),
               'Cohorte ' || lpad((i % :cohorts)::text, 2, '0'), 'EXT' || i,
               (i % 20) <> 0, :starts, NULL, 0, 0, 0
        FROM generate_series(1, :n) i
    """)
    run("""
        INSERT INTO progress (id, learner_id, institution_id, course_id, kind,
                              chapter_id, score, recorded_at)
        SELECT :inst || '-p' || r, :inst || '-l' || l, :inst, 'bc' || c,
               'chapter_completed', 'bc' || c || '-ch' || h, NULL,
               :now - (random() * 30 * interval '1 day')
        FROM (
            SELECT r, 1 + floor(:n * power(random(), 2))::int AS l,
                   1 + floor(random() * :courses)::int AS c,
                   1 + floor(random() * :chapters)::int AS h
            FROM generate_series(1, :records) r
        ) x
    """)
    run("""
        INSERT INTO chapters_done (learner_id, course_id, chapter_id, done_at)
        SELECT learner_id, course_id, chapter_id, min(recorded_at)
        FROM progress WHERE institution_id = :inst
        GROUP BY learner_id, course_id, chapter_id
    """)
    run("""
        INSERT INTO course_states (learner_id, course_id, institution_id, chapters_done,
                                   best_score, started_at, completed_at)
        SELECT d.learner_id, d.course_id, :inst, count(*), NULL, min(d.done_at),
               CASE WHEN count(*) = :chapters THEN max(d.done_at) END
        FROM chapters_done d JOIN learners l ON l.id = d.learner_id
        WHERE l.institution_id = :inst
        GROUP BY d.learner_id, d.course_id
    """)
    run("""
        INSERT INTO skills_acquired (learner_id, skill_id, institution_id, course_id,
                                     acquired_at)
        SELECT DISTINCT ON (s.learner_id, sk.skill) s.learner_id, sk.skill, :inst,
               s.course_id, s.completed_at
        FROM course_states s
        JOIN courses c ON c.id = s.course_id
        CROSS JOIN LATERAL json_array_elements_text(c.skills) AS sk(skill)
        WHERE s.institution_id = :inst AND s.completed_at IS NOT NULL
        ORDER BY s.learner_id, sk.skill, s.completed_at
    """)
    run("""
        UPDATE learners l SET
            last_activity_at = a.last_at,
            courses_started = a.started,
            courses_completed = a.completed,
            skills_acquired = coalesce(k.skills, 0)
        FROM (
            SELECT s.learner_id, count(*) AS started,
                   count(s.completed_at) AS completed,
                   (SELECT max(recorded_at) FROM progress p
                    WHERE p.learner_id = s.learner_id) AS last_at
            FROM course_states s WHERE s.institution_id = :inst GROUP BY s.learner_id
        ) a
        LEFT JOIN (
            SELECT learner_id, count(*) AS skills FROM skills_acquired
            WHERE institution_id = :inst GROUP BY learner_id
        ) k ON k.learner_id = a.learner_id
        WHERE l.id = a.learner_id
    """)
    run("ANALYZE")
