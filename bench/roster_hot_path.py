"""What each service spends on a roster's learners, without HTTP or RabbitMQ.

    .venv/bin/python bench/roster_hot_path.py [--rows 100000] [--batch 5]

Replays one roster file through the three services that store a row per learner, on
fresh PostgreSQL databases, one after the other (so nothing competes for the cores):

- onboarding: ``start_roster_import`` then ``run_roster_job`` for the file and each of
  its parts (parsing, members, invitations, the outbox rows of events and mails);
- licensing: the ``learners.enrolled.v1`` events onboarding's outbox holds, read as a
  consumer reads a message (JSON, envelope, schema) and handed to
  ``on_onboarding_learners_enrolled`` in batches of ``--batch`` events;
- tracking: the same events, then the ``seats.assigned.v1`` events licensing wrote.

Prints, per 1,000 rows, the CPU of each service's Python (``time.process_time``) and
of its PostgreSQL backends (``/proc``). Not included: the relay's publishing, the
mails' sending, the broker. bench/roster_import.py measures the whole platform; this
one tells which service a change made cheaper, in figures that hold on a busy machine
better than a whole-platform run does.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import uuid
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from harness import cpu_seconds_by_role, fresh_database_base, write_results  # noqa: E402
from nameko.testing.services import worker_factory  # noqa: E402
from roster_import import application, roster  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from services.common.contracts import Event, read_event  # noqa: E402
from services.common.db import ensure_schema, make_engine, utcnow  # noqa: E402
from services.common.jsoncodec import _message_loads  # noqa: E402
from services.common.outbox import BoundOutbox  # noqa: E402
from services.common.runner import GC_THRESHOLDS  # noqa: E402
from services.licensing import issuing as licensing_issuing  # noqa: E402
from services.licensing.contracts.events import SEATS_ASSIGNED_V1  # noqa: E402
from services.licensing.models import Base as LicensingBase  # noqa: E402
from services.licensing.plans import load_plans  # noqa: E402
from services.licensing.service import LicensingService  # noqa: E402
from services.onboarding import activation as onboarding_activation  # noqa: E402
from services.onboarding import applications as onboarding_applications  # noqa: E402
from services.onboarding.contracts.events import LEARNERS_ENROLLED_V1  # noqa: E402
from services.onboarding.models import Base as OnboardingBase  # noqa: E402
from services.onboarding.rules import Rules  # noqa: E402
from services.onboarding.contracts.rpc import ApplicationRequest  # noqa: E402
from services.onboarding.service import OnboardingService  # noqa: E402
from services.tracking import read_models  # noqa: E402
from services.tracking.models import Base as TrackingBase  # noqa: E402
from services.tracking.service import TrackingService  # noqa: E402


class TableOutbox:
    """What ``BoundOutbox`` needs of the Outbox provider: its table, no relay."""

    def __init__(self, table):
        self.table, self.wake = table, None


def outbox(table) -> BoundOutbox:
    return BoundOutbox(TableOutbox(table), SimpleNamespace(context_data={}))


class Meter:
    """Python CPU of this process and PostgreSQL CPU of one service's database
    (``<base>_<service>``, read by the harness from ``/proc``), per phase."""

    def __init__(self, base: str, rows: int):
        self.base, self.rows, self.figures = base, rows, {}

    def postgres(self, service: str) -> float:
        # no launcher: only the PostgreSQL backends of the base's databases count
        return cpu_seconds_by_role(0, self.base).get(f"postgres_{service}", 0.0)

    @contextmanager
    def phase(self, name: str):
        python, postgres = time.process_time(), self.postgres(name)
        wall = time.perf_counter()
        yield
        # the pool keeps its connections: their backends are still there to read
        self.figures[name] = {
            "python_ms_per_1000_rows": round(
                (time.process_time() - python) * 1e6 / self.rows, 1
            ),
            "postgres_ms_per_1000_rows": round(
                (self.postgres(name) - postgres) * 1e6 / self.rows, 1
            ),
            "wall_seconds": round(time.perf_counter() - wall, 2),
        }
        print(
            f"  {name:<12} Python {self.figures[name]['python_ms_per_1000_rows']:6.1f}"
            f"  PostgreSQL {self.figures[name]['postgres_ms_per_1000_rows']:6.1f}"
            f" ms per 1,000 rows ({self.figures[name]['wall_seconds']} s)",
            flush=True,
        )


def events_in(sessions, table, event_type) -> list[bytes]:
    """The outbox's events of a type, as the broker delivers them (JSON bytes)."""
    with sessions.begin() as session:
        bodies = (
            session.execute(
                select(text("CAST(body AS TEXT)"))
                .select_from(table)
                .where(table.c.kind == "event", table.c.topic == event_type.name)
                .order_by(table.c.seq)
            )
            .scalars()
            .all()
        )
    return [body.encode() for body in bodies]


def consume(
    handler, event_type, consumer: str, bodies: list[bytes], batch: int
) -> None:
    """Hand the messages to a batch handler as the consumer does: decoded, read
    (with the schema its entrypoint reads them with)."""
    reader = next((getattr(entrypoint, "reader", None)
                   for entrypoint in handler.nameko_entrypoints), None)
    read = partial(read_event, reader=reader) if reader else read_event
    for start in range(0, len(bodies), batch):
        events: list[Event] = [
            read(event_type, _message_loads(body), consumer)
            for body in bodies[start : start + batch]
        ]
        handler(events)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--batch",
        type=int,
        default=5,
        help="events per consumer batch (what the prefetch lets in)",
    )
    args = parser.parse_args()

    engines = []
    with fresh_database_base("bench_rhp") as url_base:
        try:
            run(args, url_base, engines)
        finally:
            for engine in engines:
                engine.dispose()
    return 0


def run(args, url_base: str, engines: list) -> None:
    """The replay, on the databases ``<url_base>_<service>``."""

    def sessions_for(service: str, metadata):
        engine = make_engine(f"{url_base}_{service}")
        engines.append(engine)
        ensure_schema(engine, metadata)
        return sessionmaker(engine, expire_on_commit=False)

    onboarding_db = sessions_for("onboarding", OnboardingBase.metadata)
    licensing_db = sessions_for("licensing", LicensingBase.metadata)
    tracking_db = sessions_for("tracking", TrackingBase.metadata)
    now = utcnow()
    rules = Rules.load()
    with onboarding_db.begin() as session:  # applied, approved, active
        request = ApplicationRequest(max_learners=rules.max_learners).load(
            application(1, 5000)
        )
        submitted = onboarding_applications.submit_application(
            session, rules, request, None, now=now)
        institution = onboarding_applications.approve(
            session, submitted.application, None, now=now)
        session.flush()
        onboarding_activation.activate(
            session, institution.id, str(uuid.uuid4()), now, now=now)
        institution_id = institution.id
    approved = {
        "institution_id": institution_id,
        "plan": "spark",
        "expected_learners": args.rows,
        "admin_email": "admin@univ-bench.fr",
        "name": "Université Bench",
        "languages": ["fr"],
        "timezone": "Europe/Paris",
    }
    with licensing_db.begin() as session:
        issued = licensing_issuing.issue_licence(session, load_plans(), approved, now)
        licence = {
            "licence_id": issued.licence.id,
            "institution_id": institution_id,
            "seats": issued.licence.seats_granted,
            "starts_at": issued.licence.starts_at,
            "ends_at": issued.licence.ends_at,
        }
    with tracking_db.begin() as session:
        read_models.upsert_licence(session, licence)

    queued: list[dict] = []
    onboarding = worker_factory(
        OnboardingService,
        db=onboarding_db,
        clock=utcnow,
        outbox=outbox(OnboardingBase.metadata.tables["outbox"]),
        roster_work=queued.append,
        config={
            "ROSTER_LEASE_SECONDS": 60,
            "PUBLIC_URL": "https://continuity.test",
        },
    )
    licensing = worker_factory(
        LicensingService,
        db=licensing_db,
        outbox=outbox(LicensingBase.metadata.tables["outbox"]),
        clock=lambda: utcnow(),
    )
    tracking = worker_factory(
        TrackingService,
        db=tracking_db,
        outbox=outbox(TrackingBase.metadata.tables["outbox"]),
        clock=utcnow,
    )

    content = roster(args.rows, "a").decode()
    gc.freeze()  # as services.common.runner does in every service process
    gc.set_threshold(*GC_THRESHOLDS)
    meter = Meter(url_base.rsplit("/", 1)[1], args.rows)
    print(f"{args.rows:,} rows, consumer batches of {args.batch} events", flush=True)
    with meter.phase("onboarding"):
        view = onboarding.start_roster_import(institution_id, content, "roster.csv")
        for message in queued:
            onboarding.run_roster_job(message)
    job = onboarding.get_roster_job(institution_id, view["id"])
    if job["imported"] != args.rows:
        raise SystemExit(f"onboarding imported {job['imported']} of {args.rows}")
    enrolled = events_in(
        onboarding_db,
        OnboardingBase.metadata.tables["outbox"],
        LEARNERS_ENROLLED_V1,
    )
    with meter.phase("licensing"):
        consume(
            licensing.on_onboarding_learners_enrolled,
            LEARNERS_ENROLLED_V1,
            "licensing.on_onboarding_learners_enrolled",
            enrolled,
            args.batch,
        )
    assigned = events_in(
        licensing_db, LicensingBase.metadata.tables["outbox"], SEATS_ASSIGNED_V1
    )
    with meter.phase("tracking"):
        consume(
            tracking.on_onboarding_learners_enrolled,
            LEARNERS_ENROLLED_V1,
            "tracking.on_onboarding_learners_enrolled",
            enrolled,
            args.batch,
        )
        consume(
            tracking.on_licensing_seats_assigned,
            SEATS_ASSIGNED_V1,
            "tracking.on_licensing_seats_assigned",
            assigned,
            args.batch,
        )
    with tracking_db.begin() as session:
        seated = session.execute(
            text("SELECT count(*) FROM learners WHERE seated")
        ).scalar()
    if seated != min(args.rows, licence["seats"]):
        raise SystemExit(
            f"tracking shows {seated} learners seated, the licence "
            f"{licence['seats']} seats for {args.rows} learners"
        )
    total = {
        kind: round(sum(f[kind] for f in meter.figures.values()), 1)
        for kind in ("python_ms_per_1000_rows", "postgres_ms_per_1000_rows")
    }
    figures = {
        "rows": args.rows,
        "batch": args.batch,
        **meter.figures,
        "total": total,
    }
    path = write_results("roster_hot_path", figures)
    print(
        f"  {'total':<12} Python {total['python_ms_per_1000_rows']:6.1f}"
        f"  PostgreSQL {total['postgres_ms_per_1000_rows']:6.1f}"
        f" ms per 1,000 rows\nfigures: {path}"
    )


if __name__ == "__main__":
    sys.exit(main())
