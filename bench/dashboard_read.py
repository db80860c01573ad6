"""Monitoring reads at 5,000 learners and 100,000 progress records, on PostgreSQL.

    .venv/bin/python bench/dashboard_read.py [--learners 5000] [--records 100000]

Builds the data set by SQL in a fresh database (dropped at the end), then times the
dashboard, a learners page and the whole CSV export: the domain call alone and the
RPC entrypoint (domain + reply schema) through nameko's ``worker_factory``. Prints the
figures and writes them to bench/results/dashboard_read-<time>.json. Target: the
dashboard in <= 200 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nameko.testing.services import worker_factory  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from services.common.db import ensure_schema, make_engine, utcnow  # noqa: E402
from services.common.outbox import BoundOutbox  # noqa: E402
from services.tracking import export, monitoring  # noqa: E402
from services.tracking.models import Base, outbox_table  # noqa: E402
from services.tracking.service import TrackingService  # noqa: E402
from tests.support.tracking_data import build_institution  # noqa: E402

PG = "postgresql+psycopg2://postgres@127.0.0.1:5432/"
INSTITUTION = "inst-big"


def timed(call, runs: int) -> dict:
    call()  # warm: plans cached, pages in shared buffers
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"runs": runs, "p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[int(0.95 * (runs - 1))], 2),
            "max_ms": round(samples[-1], 2)}


def explain(engine) -> list[str]:
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(text(
            "EXPLAIN ANALYZE SELECT cohort, count(*), sum(courses_started) "
            "FROM learners WHERE institution_id = :i AND removed_at IS NULL "
            "GROUP BY cohort"), {"i": INSTITUTION})]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--others", type=int, default=3,
                        help="other institutions of the same size in the same tables")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    name = f"bench_dash_{uuid.uuid4().hex[:8]}"
    engine = make_engine(PG + name)  # creates the database
    try:
        ensure_schema(engine, Base.metadata)
        from sqlalchemy.orm import sessionmaker

        sessions = sessionmaker(engine, expire_on_commit=False)
        now = datetime.now(UTC)
        started = time.perf_counter()
        with sessions.begin() as session:
            build_institution(session, INSTITUTION, learners=args.learners,
                              records=args.records, now=now)
            for n in range(args.others):
                build_institution(session, f"inst-other-{n}", learners=args.learners,
                                  records=args.records, now=now, seed=0.1 * n)
        built_s = time.perf_counter() - started
        with engine.connect() as conn:
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                      for t in ("learners", "progress", "course_states",
                                "skills_acquired")}

        def dashboard():
            with sessions() as session:
                return monitoring.dashboard(session, INSTITUTION, now)

        def first_page():
            with sessions() as session:
                return monitoring.learners_page(session, INSTITUTION, now, limit=200)

        def whole_export():
            cursor, rows = None, 0
            while True:
                with sessions() as session:
                    chunk = export.export_page(session, INSTITUTION, now, cursor=cursor)
                rows += chunk["rows"]
                cursor = chunk["next_cursor"]
                if cursor is None:
                    return rows

        class TableOutbox:
            table, wake = outbox_table, None

        service = worker_factory(
            TrackingService, db=sessions, clock=utcnow,
            outbox=BoundOutbox(TableOutbox(), SimpleNamespace(context_data={})),
        )
        def reference_join_aggregate():
            """What the first dashboard did: aggregate the course states and skills
            of the institution (tens of thousands of rows) on every call."""
            with sessions() as session:
                for sql in (
                    "SELECT l.cohort, count(*), count(s.completed_at)"
                    " FROM course_states s JOIN learners l ON l.id = s.learner_id"
                    " WHERE s.institution_id = :i GROUP BY l.cohort",
                    "SELECT l.cohort, count(*) FROM skills_acquired k"
                    " JOIN learners l ON l.id = k.learner_id"
                    " WHERE k.institution_id = :i GROUP BY l.cohort",
                    "SELECT l.cohort, count(*) FROM learners l"
                    " WHERE l.institution_id = :i GROUP BY l.cohort",
                ):
                    session.execute(text(sql), {"i": INSTITUTION}).all()

        board = dashboard()
        results = {
            "at": datetime.now(UTC).isoformat(),
            "data_set": {**counts, "built_in_s": round(built_s, 1)},
            "dashboard_domain": timed(dashboard, args.runs),
            "dashboard_rpc_entrypoint": timed(
                lambda: service.get_dashboard(INSTITUTION), args.runs),
            "reference_join_aggregate": timed(reference_join_aggregate, args.runs),
            "learners_page_200_domain": timed(first_page, args.runs),
            "export_all_pages_domain": timed(whole_export, max(3, args.runs // 10)),
            "export_rows": whole_export(),
            "dashboard_totals": board["totals"],
            "plan": explain(engine),
        }
    finally:
        engine.dispose()
        admin = create_engine(PG + "postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    print(json.dumps({k: v for k, v in results.items() if k != "plan"}, indent=2))
    print("\n".join(results["plan"]))
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"dashboard_read-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"\nwritten to {path.relative_to(REPO)}")
    ok = results["dashboard_rpc_entrypoint"]["p50_ms"] <= 200
    print(f"dashboard p50 {results['dashboard_rpc_entrypoint']['p50_ms']} ms "
          f"({'meets' if ok else 'misses'} the 200 ms target)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
