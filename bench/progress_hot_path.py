"""The tracking side of accepting one progress record, without HTTP or RabbitMQ.

    .venv/bin/python bench/progress_hot_path.py [--records 3000] [--profile]

Calls ``TrackingService.record_progress`` (schema, domain, outbox rows, commit: all
that tracking does for one record except the RPC transport and the relay) through
``worker_factory`` on a fresh PostgreSQL database, one record after another, and
prints records/s, CPU ms per record and SQL statements per record. ``--profile``
prints the top of a cProfile by cumulative time. Use it to compare versions of the
hot path; bench/progress_ingest.py measures the whole platform.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nameko.testing.services import worker_factory  # noqa: E402
from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from services.common.db import ensure_schema, make_engine, utcnow  # noqa: E402
from services.common.outbox import BoundOutbox  # noqa: E402
from services.tracking import read_models  # noqa: E402
from services.tracking.models import Base, outbox_table  # noqa: E402
from services.tracking.service import TrackingService  # noqa: E402

PG = "postgresql+psycopg2://postgres@127.0.0.1:5432/"


class TableOutbox:
    table, wake = outbox_table, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    name = f"bench_hot_{uuid.uuid4().hex[:8]}"
    engine = make_engine(PG + name)
    try:
        ensure_schema(engine, Base.metadata)
        sessions = sessionmaker(engine, expire_on_commit=False)
        now = datetime.now(UTC)
        courses = [{"id": f"c{n}", "title": f"Course {n}", "status": "published",
                    "chapters": [{"id": f"c{n}-ch{h}", "title": "x"} for h in range(8)],
                    "skills": [f"s{n}", f"s{n % 3}"],
                    "quiz": {"pass_mark": 60, "questions": 5} if n % 2 else None,
                    "updated_at": now} for n in range(10)]
        learner_ids = [f"l{n}" for n in range(args.learners)]
        with sessions.begin() as session:
            for course in courses:
                read_models.upsert_course(session, course)
            read_models.upsert_licence(session, {
                "licence_id": "lic", "institution_id": "inst", "seats": 1000,
                "starts_at": now - timedelta(days=1),
                "ends_at": now + timedelta(days=89)})
            read_models.enrol_learners(session, "inst", [
                {"learner_id": lid, "email": f"{lid}@x.fr", "first_name": "A",
                 "last_name": lid, "cohort": "A", "external_id": None}
                for lid in learner_ids], at=now)
            read_models.seat(session, "inst", learner_ids, at=now)
        steps = []
        for course in courses:
            steps += [{"course_id": course["id"], "kind": "chapter_completed",
                       "chapter_id": ch["id"]} for ch in course["chapters"]]
            if course["quiz"]:
                steps.append({"course_id": course["id"], "kind": "quiz_submitted",
                              "score": 80})
        service = worker_factory(
            TrackingService, db=sessions, clock=utcnow,
            outbox=BoundOutbox(TableOutbox(), SimpleNamespace(context_data={})),
        )
        statements = 0

        @event.listens_for(engine, "before_cursor_execute")
        def count(*_args):
            nonlocal statements
            statements += 1

        def run(n_records: int, offset: int) -> None:
            for i in range(n_records):
                learner = learner_ids[i % len(learner_ids)]
                step = steps[(i // len(learner_ids) + offset) % len(steps)]
                service.record_progress(learner, {**step, "id": f"r{offset}-{i}"})

        run(200, 10_000)  # warm: caches, pool
        statements = 0
        profiler = cProfile.Profile() if args.profile else None
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        run(args.records, 0)
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        result = {
            "records": args.records,
            "records_per_s": round(args.records / wall, 1),
            "wall_ms_per_record": round(wall * 1000 / args.records, 3),
            "cpu_ms_per_record_in_python": round(cpu * 1000 / args.records, 3),
            "sql_statements_per_record": round(statements / args.records, 2),
        }
        print(json.dumps(result, indent=2))
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    finally:
        engine.dispose()
        admin = create_engine(PG + "postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
