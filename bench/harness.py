"""What the benchmarks share: a fresh vhost and database, the platform, figures out.

Every benchmark runs against this machine's RabbitMQ and PostgreSQL on throw-away
resources (a vhost and databases named for the run, removed at the end) and starts the
platform the way ``make run`` does.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform as host
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import requests  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from tests.support.platform import Platform, start_platform, stop_platform  # noqa: E402

MANAGEMENT = "http://127.0.0.1:15672/api"
AUTH = ("guest", "guest")
PG = "postgresql+psycopg2://postgres@127.0.0.1:5432"
RESULTS = REPO / "bench" / "results"
OPERATOR = {"email": "ops@continuity.test", "password": "operator-secret-1"}


@contextlib.contextmanager
def fresh_vhost(prefix: str = "bench"):
    vhost = f"{prefix}_{uuid.uuid4().hex[:8]}"
    requests.put(f"{MANAGEMENT}/vhosts/{vhost}", auth=AUTH, timeout=10).raise_for_status()
    requests.put(f"{MANAGEMENT}/permissions/{vhost}/guest", auth=AUTH, timeout=10,
                 json={"configure": ".*", "write": ".*", "read": ".*"}).raise_for_status()
    try:
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        requests.delete(f"{MANAGEMENT}/vhosts/{vhost}", auth=AUTH, timeout=30)


@contextlib.contextmanager
def fresh_database_base(prefix: str = "bench"):
    """A DATABASE_URL base; every ``<base>_<service>`` database is dropped at the end."""
    base = f"{prefix}_{uuid.uuid4().hex[:8]}"
    try:
        yield f"{PG}/{base}"
    finally:
        admin = create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for (name,) in conn.execute(text(
                    "SELECT datname FROM pg_database WHERE datname LIKE :p"),
                    {"p": base + "%"}):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def platform(workdir: Path, amqp_uri: str, database_url: str | None = None,
             scale: list[str] = (), env: dict | None = None):
    running = start_platform(workdir, amqp_uri, database_url, scale=list(scale),
                             extra_env=env)
    try:
        yield running
    finally:
        stop_platform(running)


def operator_token(p: Platform) -> str:
    answer = p.api("POST", "/api/v1/auth/token", json=OPERATOR)
    answer.raise_for_status()
    return answer.json()["access_token"]


def raw_insert_rate(database_url: str, rows: int = 100_000, batch: int = 1000) -> float:
    """The ceiling: rows/s this PostgreSQL takes in batched INSERTs of small rows."""
    from services.common.db import ensure_database

    ensure_database(database_url)
    engine = create_engine(database_url, executemany_mode="values_plus_batch")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS bench_ceiling (id uuid PRIMARY KEY,"
                          " email text, cohort text, created_at timestamptz)"))
    payload = [{"id": str(uuid.uuid4()), "email": f"l{n}@ceiling.fr", "cohort": "c"}
               for n in range(rows)]
    started = time.perf_counter()
    for start in range(0, rows, batch):
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO bench_ceiling (id, email, cohort, created_at) "
                              "VALUES (:id, :email, :cohort, now())"),
                         payload[start:start + batch])
    elapsed = time.perf_counter() - started
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bench_ceiling"))
    engine.dispose()
    return rows / elapsed


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds_by_role(launcher_pid: int, db_base: str) -> dict[str, float]:
    """CPU seconds so far of each platform process, PostgreSQL backends of our
    databases, and RabbitMQ (the whole broker: other users count too)."""
    return cpu_and_system_seconds_by_role(launcher_pid, db_base)[0]


def cpu_and_system_seconds_by_role(
    launcher_pid: int, db_base: str,
) -> tuple[dict[str, float], dict[str, float]]:
    """``cpu_seconds_by_role`` and, from the same reading of ``/proc``, the part of it
    spent in the kernel (files, sockets)."""
    found: dict[str, float] = {}
    system: dict[str, float] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        ppid = int(fields[1])
        user, kernel = int(fields[11]) / CLOCK_TICKS, int(fields[12]) / CLOCK_TICKS
        if ppid == launcher_pid and "services.common.runner" in cmdline:
            role = cmdline.split("services.common.runner", 1)[1].split()[0]
        elif cmdline.startswith("postgres:") and db_base in cmdline:
            role = "postgres_" + cmdline.split(db_base + "_", 1)[1].split()[0]
        elif "beam.smp" in cmdline:
            role = "rabbitmq (whole broker)"
        else:
            continue
        found[role] = found.get(role, 0.0) + user + kernel
        system[role] = system.get(role, 0.0) + kernel
    return found, system


class CpuWatch:
    """CPU spent during a phase by each process of a running platform and the
    PostgreSQL backends of its databases (``<database_base>_<service>``), and what
    the host took.

    Wall-clock figures move with the machine (another guest on the same host takes
    cycles: "steal"); CPU seconds per unit of work move much less. Linux only: it
    reads ``/proc``; elsewhere it reports nothing.
    """

    def __init__(self, running: Platform, database_base: str) -> None:
        self.launcher_pid = running.process.pid
        self.db_base = database_base.rsplit("/", 1)[-1]  # a URL or a name
        self._start = self._snapshot()

    def _snapshot(self) -> tuple[list[int], dict, dict] | None:
        try:
            with open("/proc/stat") as f:
                machine = [int(v) for v in f.readline().split()[1:9]]
        except (OSError, ValueError):
            return None
        return (machine,
                *cpu_and_system_seconds_by_role(self.launcher_pid, self.db_base))

    def stop(self) -> dict:
        end = self._snapshot()
        if self._start is None or end is None:
            return {}
        (m0, before, sys0), (m1, after, sys1) = self._start, end
        spent = [b - a for a, b in zip(m0, m1, strict=True)]
        total = sum(spent) or 1
        return {
            "cpu_seconds": {role: round(after[role] - before.get(role, 0.0), 1)
                            for role in sorted(after)},
            # of which in the kernel: onboarding's mail files show here
            "system_seconds": {role: round(sys1[role] - sys0.get(role, 0.0), 1)
                               for role in sorted(sys1)},
            "cpu_busy_percent": round(100 * (total - spent[3] - spent[4]) / total, 1),
            "cpu_steal_percent": round(100 * spent[7] / total, 1),
        }


def describe_cpu(watch: dict, per: float, unit: str) -> str:
    """One line: CPU milliseconds per ``per`` ``unit`` by process kind, and steal."""
    if not watch or per <= 0:
        return "(CPU per process: not measured on this system)"
    system = watch.get("system_seconds", {})

    def kernel(kind: str, s: float) -> str:
        k = system.get(kind, 0.0)
        return f" (system {1000 * k / per:.0f})" if k >= 0.15 * s and k >= 0.05 else ""

    parts = ", ".join(f"{kind} {1000 * s / per:.0f}{kernel(kind, s)}"
                      for kind, s in sorted(watch["cpu_seconds"].items(),
                                            key=lambda item: -item[1]) if s >= 0.05)
    total = sum(watch["cpu_seconds"].values())
    return (f"CPU ms per {unit}: {1000 * total / per:.0f} ({parts}); machine busy "
            f"{watch['cpu_busy_percent']} %, taken by the host "
            f"(steal) {watch['cpu_steal_percent']} %")


def write_results(name: str, figures: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    figures = {"benchmark": name, "at": stamp, "machine": {
        "cpus": os.cpu_count(), "python": host.python_version()}, **figures}
    path = RESULTS / f"{name}-{stamp}.json"
    path.write_text(json.dumps(figures, indent=2))
    return path


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)
