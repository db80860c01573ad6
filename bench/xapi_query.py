"""Filtered statement queries over 1,000,000 stored statements: p50/p95 per filter.

    .venv/bin/python bench/xapi_query.py [--statements 1000000] [--days 180]

A fresh PostgreSQL database with the lrs's schema (its migrations: on PostgreSQL the
statements and their links are partitioned by month, decision 0061), the months of
``--days`` made, then filled by SQL: ``--statements`` statements stored over the
last ``--days`` days (180: six or seven monthly partitions, so that a since/until
query's pruning shows) by 4 institutions, 20,000 learners, 10 verbs and 1,000
activities, with their link rows (``models.StatementLink``), their ids
(``models.StatementId``) and realistic bodies, then ANALYZE. Times 30 calls of
``queries.query_statements`` (the lrs's domain function: SQL and the statements'
JSON) for a page of 100 with each filter, and the second page through the first
page's ``more`` token; prints the plan of a one-week since/until query (the
partitions it reads). Target (decision 0051): a filtered GET of 100 <= 50 ms p95.
Writes bench/results/xapi_query-<time>.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta

from harness import fresh_database_base, percentile, write_results
from sqlalchemy import event, text
from sqlalchemy.orm import sessionmaker

from services.common.db import ensure_schema, make_engine, utcnow
from services.lrs import partitions, queries
from services.lrs.keys import activity_key, agent_key, digest, verb_key
from services.lrs.models import Base

TARGET_P95_MS = 50.0
LEARNERS, VERBS, ACTIVITIES, INSTITUTIONS = 20_000, 10, 1_000, 4
VERB = "http://adlnet.gov/expapi/verbs/v{}"
ACTIVITY = "https://courses.example.org/c/{}"
MBOX = "mailto:learner{}@example.org"

FILL = """
INSERT INTO statements (institution_id, id, stored, owner_key, verb_key, activity_key,
                        registration, voids, voided, fingerprint, body)
SELECT 'inst-' || (g % :institutions),
       md5(g::text)::uuid::text,
       :start + g * :step,
       :owner,
       (:verbs)[1 + g % :n_verbs],
       (:activities)[1 + g % :n_activities],
       md5('r' || (g / 10))::uuid::text,
       NULL, false, md5('f' || g) || md5('g' || g),
       '{"id": "' || md5(g::text)::uuid::text || '", "actor": {"objectType": "Agent", '
       || '"name": "Learner ' || (g % :n_learners) || '", "mbox": "mailto:learner'
       || (g % :n_learners) || '@example.org"}, "verb": {"id": '
       || '"http://adlnet.gov/expapi/verbs/v' || (g % :n_verbs) || '", "display": '
       || '{"en-US": "did"}}, "object": {"objectType": "Activity", "id": '
       || '"https://courses.example.org/c/' || (g % :n_activities) || '", '
       || '"definition": {"name": {"en-US": "A course"}}}, "result": {"score": '
       || '{"scaled": 0.8}, "completion": true, "duration": "PT12M"}, "context": '
       || '{"registration": "' || md5('r' || (g / 10))::uuid::text || '"}, '
       || '"timestamp": "2026-12-07T09:00:00.000Z", '
       || '"stored": "2026-12-07T09:00:00.000Z", "authority": {"objectType": "Agent", '
       || '"account": {"homePage": '
       || '"https://lrs.example.org", "name": "bench"}}, "version": "1.0.0"}'
FROM generate_series(:first, :last) AS g
""".replace("mailto:", "mailto\\:").replace("T09:00:00", "T09\\:00\\:00")
LINKS = """
INSERT INTO statement_links (institution_id, kind, key, seq, stored)
SELECT institution_id, kind, (:learners)[1 + seq % :n_learners], seq, stored
FROM statements, (VALUES ('a'), ('r')) AS kinds (kind)
"""
IDS = """
INSERT INTO statement_ids (institution_id, id, stored)
SELECT institution_id, id, stored FROM statements
"""


def fill(engine, count: int, span: timedelta) -> float:
    started = time.perf_counter()
    with engine.begin() as conn:  # the months of the span, as a revision does
        partitions.ensure(conn, utcnow(), since=utcnow() - span)
    params = {
        "institutions": INSTITUTIONS, "start": utcnow() - span,
        "step": span / count,  # stored times spread over the span
        "owner": digest("owner", "client:bench"),
        "verbs": [verb_key(VERB.format(n)) for n in range(VERBS)], "n_verbs": VERBS,
        "activities": [activity_key(ACTIVITY.format(n)) for n in range(ACTIVITIES)],
        "n_activities": ACTIVITIES, "n_learners": LEARNERS,
    }
    learners = [agent_key({"mbox": MBOX.format(n)}) for n in range(LEARNERS)]
    step = 200_000
    for first in range(0, count, step):
        with engine.begin() as conn:
            conn.execute(text(FILL), {**params, "first": first,
                                      "last": min(count, first + step) - 1})
        print(f"  {min(count, first + step):,} statements", flush=True)
    with engine.begin() as conn:  # seq runs 1..count: learner = (seq - 1) % LEARNERS
        conn.execute(text(LINKS.replace("1 + seq %", "1 + (seq - 1) %")),
                     {"learners": learners, "n_learners": LEARNERS})
        conn.execute(text(IDS))
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


def timed(sessions, filters: dict, runs: int = 30) -> dict:
    times, more = [], None
    for _ in range(runs):
        with sessions.begin() as session:
            started = time.perf_counter()
            page = queries.query_statements(session, "inst-1", dict(filters))
            times.append((time.perf_counter() - started) * 1000)
        more = page.more
    follow = []
    for _ in range(runs if more else 0):
        with sessions.begin() as session:
            started = time.perf_counter()
            queries.query_statements(session, "inst-1", {}, more)
            follow.append((time.perf_counter() - started) * 1000)
    return {"returned": len(page.statements),
            "p50_ms": round(percentile(times, 0.50), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "next_page_p95_ms": round(percentile(follow, 0.95), 1) if follow else None}


def plan(engine, filters: dict) -> list[str]:
    """EXPLAIN (ANALYZE) of the page query the lrs runs for ``filters``."""
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "LIMIT" in statement and "max(" not in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with sessionmaker(engine).begin() as session:
            queries.query_statements(session, "inst-1", dict(filters))
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    statement, parameters = seen[-1]
    with engine.connect() as conn:
        return list(conn.exec_driver_sql(
            "EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF) " + statement,
            parameters).scalars())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=180)
    args = parser.parse_args()
    span = timedelta(days=args.days)
    with fresh_database_base("xapiq") as base:
        engine = make_engine(f"{base}_lrs")
        try:
            ensure_schema(engine, Base.metadata)
            seconds = fill(engine, args.statements, span)
            sessions = sessionmaker(engine, expire_on_commit=False)
            learner = 29  # inst-1's statements are those with g % 4 == 1: its own
            middle = utcnow() - span / 2
            week = {"since": middle, "until": middle + timedelta(days=7)}
            cases = {
                "none": {},
                "agent": {"agent": {"mbox": MBOX.format(learner)}},
                "verb": {"verb": VERB.format(3)},
                "activity": {"activity": ACTIVITY.format(41)},
                "verb+activity": {"verb": VERB.format(1),
                                  "activity": ACTIVITY.format(1)},
                "since": {"since": middle},
                "until": {"until": middle},
                "related_agents": {"agent": {"mbox": MBOX.format(learner)},
                                   "related_agents": True},
                "ascending": {"ascending": True},
                "since+until (a week)": week,
                "agent, since+until (a week)": {
                    **week, "agent": {"mbox": MBOX.format(learner)}},
            }
            figures = {"statements": args.statements, "days": args.days,
                       "fill_seconds": round(seconds), "limit": 100, "queries": {}}
            for name, filters in cases.items():
                result = timed(sessions, {**filters, "limit": 100})
                figures["queries"][name] = result
                print(f"{name:28} {result}")
            figures["plan_since_until_week"] = plan(engine, {**week, "limit": 100})
            print("\n".join(figures["plan_since_until_week"]))
        finally:
            engine.dispose()
    print("written to", write_results("xapi_query", figures))
    worst = max(q["p95_ms"] for q in figures["queries"].values())
    return 0 if worst <= TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
