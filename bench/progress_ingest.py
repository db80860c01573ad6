"""Progress ingestion through the whole platform: accepted records per second.

    .venv/bin/python bench/progress_ingest.py [--seconds 30] [--connections 32]

Starts the platform as ``make run`` does (tests/support/platform.py) on PostgreSQL (a
fresh database base name, dropped at the end) and a fresh RabbitMQ vhost (created and
deleted through the management API). Through the gateway it applies for an
institution, uploads a roster, waits for the seats, and accepts every learner's
invitation from its .eml file. Then seated learners POST single progress records
(chapters, quizzes: courses complete and skills are acquired along the way) over
``--connections`` keep-alive connections for ``--seconds``.

Prints accepted/s, p50/p99 latency, the lag until the dashboard reflects a record
sent after the load, the lag until every progress.recorded.v1 left the outbox, and a
ceiling measured in the same run with the same client and connections: a hello-world
nameko @http endpoint, and the same endpoint making one RPC. Writes everything to
bench/results/progress_ingest-<time>.json. Target: >= 800 accepted/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform as host
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import requests  # noqa: E402
from harness import cpu_seconds_by_role  # noqa: E402

from tests.support.platform import (  # noqa: E402
    free_port_block,
    start_platform,
    stop_platform,
)

MANAGEMENT = "http://127.0.0.1:15672/api"
AUTH = ("guest", "guest")
PG_SERVER = "postgresql+psycopg2://postgres@127.0.0.1:5432/"
TARGET = 800
DOMAIN = "lycee-bench.fr"


# -- a small HTTP/1.1 keep-alive client: cheap enough not to be the bottleneck --
class HttpConnection:
    def __init__(self, host_: str, port: int):
        self.host, self.port = host_, port
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def request(self, method: str, path: str, headers: dict[str, str],
                      body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        fields = {}
        for line in header_lines:
            if ":" in line:
                k, v = line.split(":", 1)
                fields[k.strip().lower()] = v.strip()
        if fields.get("transfer-encoding") == "chunked":
            data = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                data += chunk[:-2]
        else:
            data = await self.reader.readexactly(int(fields.get("content-length", 0)))
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, data


@dataclass
class Sample:
    started: float  # seconds since the load began
    latency: float
    status: int


@dataclass
class LoadResult:
    samples: list[Sample]
    seconds: float
    warmup: float

    def measured(self) -> list[Sample]:
        return [s for s in self.samples if s.started >= self.warmup]

    def summary(self, ok=(200, 201), accepted=(201,)) -> dict:
        window = self.seconds - self.warmup
        measured = self.measured()
        latencies = sorted(s.latency for s in measured if s.status in ok)
        statuses: dict[str, int] = {}
        for s in measured:
            statuses[str(s.status)] = statuses.get(str(s.status), 0) + 1

        def pct(p: float) -> float | None:
            if not latencies:
                return None
            return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))]
                         * 1000, 1)

        n_accepted = sum(1 for s in measured if s.status in accepted)
        return {
            "window_s": round(window, 1),
            "requests": len(measured),
            "per_s": round(len(measured) / window, 1),
            "accepted": n_accepted,
            "accepted_per_s": round(n_accepted / window, 1),
            "statuses": statuses,
            "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99),
            "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
            "mean_ms": (round(statistics.fmean(latencies) * 1000, 1)
                        if latencies else None),
        }


async def run_load(port: int, connections: int, seconds: float, warmup: float,
                   next_request) -> LoadResult:
    """``next_request(worker_index)`` gives (method, path, headers, body)."""
    samples: list[Sample] = []
    begin = time.perf_counter()
    deadline = begin + seconds

    async def worker(index: int) -> None:
        conn = HttpConnection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline:
                method, path, headers, body = next_request(index)
                t = time.perf_counter()
                try:
                    status, _ = await conn.request(method, path, headers, body)
                except (OSError, asyncio.IncompleteReadError):
                    conn.close()
                    status = 599
                samples.append(Sample(t - begin, time.perf_counter() - t, status))
        finally:
            conn.close()

    await asyncio.gather(*(worker(i) for i in range(connections)))
    return LoadResult(samples, time.perf_counter() - begin, warmup)


# -- where the CPU goes: process CPU time before and after the load ------------------
def cpu_per_record(before: dict, after: dict, records: int) -> dict[str, float]:
    return {role: round((after[role] - before.get(role, 0.0)) * 1000 / records, 3)
            for role in sorted(after) if records and after[role] > before.get(role, 0)}


def start_profilers(py_spy: str, launcher_pid: int, seconds: float,
                    run_id: str) -> list[subprocess.Popen]:
    if not py_spy:
        return []
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    started = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if ppid != launcher_pid or b"services.common.runner" not in cmdline:
            continue
        role = cmdline[cmdline.index(b"services.common.runner") + 1].decode()
        if role in ("gateway", "tracking"):
            started.append(subprocess.Popen(
                [py_spy, "record", "--nonblocking", "--format", "raw", "-r", "200",
                 "-d", str(int(seconds)), "-p", proc.name,
                 "-o", str(out / f"profile-{run_id}-{role}.txt")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return started


# -- where the time goes: the platform's own histograms, before and after the load --
def histogram(url: str, name: str, labels: dict[str, str]) -> tuple[float, float]:
    """(sum, count) of a Prometheus histogram's series matching ``labels``."""
    total = count = 0.0
    for line in requests.get(url, timeout=10).text.splitlines():
        if not line.startswith((name + "_sum{", name + "_count{")):
            continue
        series, value = line.rsplit(" ", 1)
        if all(f'{k}="{v}"' in series for k, v in labels.items()):
            if series.startswith(name + "_sum"):
                total += float(value)
            else:
                count += float(value)
    return total, count


def timings(gateway_url: str, tracking_metrics_url: str) -> dict[str, tuple]:
    return {
        "gateway_http": histogram(f"{gateway_url}/metrics",
                                  "continuity_http_request_duration_seconds",
                                  {"route": "/api/v1/progress", "method": "POST"}),
        # one call per batch of records that reached the gateway together
        "tracking_worker": histogram(tracking_metrics_url,
                                     "continuity_entrypoint_duration_seconds",
                                     {"service": "tracking",
                                      "entrypoint": "record_progress_batch"}),
        "batch_size": histogram(f"{gateway_url}/metrics",
                                "continuity_gateway_batch_size",
                                {"call": "record_progress"}),
    }


def mean_ms(before: dict, after: dict) -> dict[str, float]:
    out = {}
    for key in after:
        d_sum = after[key][0] - before[key][0]
        d_count = after[key][1] - before[key][1]
        if key == "batch_size":
            out["records_per_batch_mean"] = (round(d_sum / d_count, 1)
                                             if d_count else None)
            continue
        out[key + "_mean_ms"] = round(d_sum * 1000 / d_count, 1) if d_count else None
    return out


# -- the broker: a vhost of our own, and a queue that counts tracking's events -------
def create_vhost() -> str:
    vhost = f"bench_{uuid.uuid4().hex[:8]}"
    requests.put(f"{MANAGEMENT}/vhosts/{vhost}", auth=AUTH,
                 timeout=10).raise_for_status()
    requests.put(f"{MANAGEMENT}/permissions/{vhost}/guest", auth=AUTH, timeout=10,
                 json={"configure": ".*", "write": ".*", "read": ".*"}
                 ).raise_for_status()
    return vhost


def delete_vhost(vhost: str) -> None:
    requests.delete(f"{MANAGEMENT}/vhosts/{vhost}", auth=AUTH, timeout=30)


def outbox_pending(db_url: str) -> int:
    """Tracking's outbox rows not yet published (events still to reach the broker)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL")).scalar()
    finally:
        engine.dispose()


def drop_databases(prefix: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_SERVER + "postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for name in conn.execute(text(
                "SELECT datname FROM pg_database WHERE datname LIKE :p"),
                {"p": prefix + "%"}).scalars().all():
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


# -- the institution and its learners ------------------------------------------------
def wait_for(check, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not met within {timeout:.0f} s: {value!r}")
        time.sleep(0.2)


@dataclass
class Learner:
    email: str
    index: int
    token: str = ""
    plan: list[dict] = field(default_factory=list)
    sent: int = 0

    def next_body(self, run_id: str) -> bytes:
        step = self.plan[self.sent % len(self.plan)]
        self.sent += 1
        return json.dumps({**step, "id": f"{run_id}-{self.index}-{self.sent}"}).encode()


def course_plan(courses: list[dict], offset: int) -> list[dict]:
    """Every chapter of every course, then its quiz (passed): completions and skills
    happen along the way, as for real learners. Each learner starts elsewhere."""
    steps = []
    for course in courses[offset:] + courses[:offset]:
        steps += [{"course_id": course["id"], "kind": "chapter_completed",
                   "chapter_id": ch["id"]} for ch in course["chapters"]]
        if course.get("quiz"):
            steps.append({"course_id": course["id"], "kind": "quiz_submitted",
                          "score": 90})
    return steps


def set_up(p, learners: int) -> tuple[str, str, list[Learner], Learner, list[dict]]:
    application = p.api("POST", "/api/v1/applications", json={
        "name": "Lycée du Banc d'Essai", "type": "secondary_school", "country": "FR",
        "city": "Lyon", "website": f"https://www.{DOMAIN}",
        "contact": {"name": "Ada Bench", "email": f"ada@{DOMAIN}",
                    "role": "Proviseure"},
        "expected_learners": learners + 1, "languages": ["fr"],
        "timezone": "Europe/Paris"}).json()
    status_url = application["status_url"].replace(p.url, "")
    active = wait_for(
        lambda: (r := p.api("GET", status_url).json())["status"] == "active" and r,
        what="institution active")
    inst = active["institution_id"]
    invitation = p.invitation_token(f"ada@{DOMAIN}")
    admin = p.api("POST", f"/api/v1/invitations/{invitation}/accept",
                  json={"password": "admin-password-1"}).json()["access_token"]
    people = [Learner(f"learner{n:04d}@{DOMAIN}", n) for n in range(learners + 1)]
    roster = "email,first_name,last_name,cohort\n" + "".join(
        f"{lr.email},Prénom{n},Nom{n:04d},Cohorte {n % 8}\n"
        for n, lr in enumerate(people))
    upload = p.api("POST", f"/api/v1/institutions/{inst}/rosters", admin,
                   data=roster.encode(), headers={"Content-Type": "text/csv"})
    upload.raise_for_status()
    wait_for(lambda: p.api("GET", f"/api/v1/institutions/{inst}/licence", admin)
             .json()["seats_used"] == learners + 1, what="every learner seated")

    def accept(learner: Learner) -> None:
        token = p.invitation_token(learner.email, timeout=60)
        answer = requests.post(f"{p.url}/api/v1/invitations/{token}/accept",
                               json={"password": "learner-password-1"}, timeout=60)
        answer.raise_for_status()
        learner.token = answer.json()["access_token"]

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(accept, people))
    listed = p.api("GET", "/api/v1/courses", params={"limit": 100}).json()["items"]
    courses = [p.api("GET", f"/api/v1/courses/{c['id']}").json() for c in listed]
    for n, learner in enumerate(people):
        learner.plan = course_plan(courses, n % len(courses))
    # tracking must know every seat before the load (its read model, from events)
    wait_for(lambda: p.api("GET", f"/api/v1/institutions/{inst}/dashboard", admin)
             .json().get("licence", {}).get("seats_used") == learners + 1,
             what="tracking sees every seat")
    return inst, admin, people[:-1], people[-1], courses


def dashboard_lag(p, inst: str, admin: str, marker: Learner,
                  courses: list[dict]) -> dict:
    """A record sent after the load: how long until the admin's dashboard shows it."""
    url = f"/api/v1/institutions/{inst}/dashboard"
    before = p.api("GET", url, admin).json()["totals"]["courses_completed"]
    course = next(c for c in courses if not c.get("quiz"))
    started = time.perf_counter()
    answer = p.api("POST", "/api/v1/progress", marker.token, json={
        "id": "lag-marker", "course_id": course["id"], "kind": "course_completed"})
    accepted_after = time.perf_counter() - started
    assert answer.status_code == 201, answer.text
    polls = 0

    def shown():
        nonlocal polls
        polls += 1
        return p.api("GET", url, admin).json()["totals"]["courses_completed"] > before

    wait_for(shown, timeout=30, what="dashboard reflects the marker")
    return {"post_ms": round(accepted_after * 1000, 1),
            "until_dashboard_shows_it_ms":
                round((time.perf_counter() - started) * 1000, 1),
            "dashboard_polls": polls}


# -- ceilings ------------------------------------------------------------------
def ceiling(kind: str, amqp_uri: str, connections: int, seconds: float,
            warmup: float) -> dict:
    port = free_port_block(2)
    process = subprocess.Popen(
        [sys.executable, str(REPO / "bench" / "ceiling_services.py"), kind,
         f"127.0.0.1:{port}", amqp_uri],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        def up():
            try:
                return requests.get(f"http://127.0.0.1:{port}/hello", timeout=2).ok
            except requests.RequestException:
                return False

        wait_for(up, timeout=30, what=f"{kind} ceiling service up")
        request = ("GET", "/hello", {}, b"")
        warmup = min(warmup, seconds / 3)
        result = asyncio.run(run_load(port, connections, seconds, warmup,
                                      lambda _i: request))
        return result.summary(ok=(200,), accepted=(200,))
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


def measure_platform(p, args, results: dict, run_id: str, db_base: str) -> None:
    """Set up the institution, run the load, and measure lags and CPU."""
    started = time.perf_counter()
    inst, admin, learners, marker, courses = set_up(p, args.learners)
    print(f"set up: {len(learners)} learners seated with tokens, {len(courses)} "
          f"courses, in {time.perf_counter() - started:.0f} s", flush=True)

    port = int(p.url.rsplit(":", 1)[1])
    per_connection = [learners[i::args.connections]
                      for i in range(args.connections)]
    turn = [0] * args.connections
    headers = {lr.email: {"Authorization": f"Bearer {lr.token}",
                          "Content-Type": "application/json"} for lr in learners}

    def next_request(i: int):
        own = per_connection[i]
        learner = own[turn[i] % len(own)]
        turn[i] += 1
        return ("POST", "/api/v1/progress", headers[learner.email],
                learner.next_body(run_id))

    print(f"load: {args.connections} connections for {args.seconds:.0f} s …",
          flush=True)
    # tracking's ops port as services/common/launcher.py port_of() gives it (not
    # imported: importing the launcher monkey-patches this process via runner)
    tracking_metrics = f"http://127.0.0.1:{port + 4}/metrics"
    timings_before = timings(p.url, tracking_metrics)
    profilers = start_profilers(args.py_spy, p.process.pid, args.seconds, run_id)
    cpu_before = cpu_seconds_by_role(p.process.pid, db_base)
    load = asyncio.run(run_load(port, args.connections, args.seconds, args.warmup,
                                next_request))
    load_end = time.perf_counter()
    cpu_after = cpu_seconds_by_role(p.process.pid, db_base)
    for profiler in profilers:
        profiler.wait(60)
    results["progress"] = load.summary()
    results["progress"]["all_accepted"] = sum(
        1 for s in load.samples if s.status == 201)
    results["cpu_ms_per_request"] = cpu_per_record(cpu_before, cpu_after,
                                                   len(load.samples))
    results["inside_the_platform"] = mean_ms(timings_before,
                                             timings(p.url, tracking_metrics))
    print(json.dumps({k: results[k] for k in (
        "progress", "cpu_ms_per_request", "inside_the_platform")}, indent=2),
        flush=True)

    # every accepted record's events published (tracking's outbox drained)?
    tracking_db = f"{PG_SERVER}{db_base}_tracking"
    pending_at_end = outbox_pending(tracking_db)
    wait_for(lambda: outbox_pending(tracking_db) == 0, timeout=300,
             what="tracking's outbox drained")
    results["events"] = {
        "outbox_pending_when_the_load_ended": pending_at_end,
        "outbox_drained_after_load_s": round(time.perf_counter() - load_end, 2)}
    results["dashboard_lag"] = dashboard_lag(p, inst, admin, marker, courses)
    board = p.api("GET", f"/api/v1/institutions/{inst}/dashboard", admin).json()
    results["dashboard_after"] = board["totals"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--learners", type=int, default=128)
    parser.add_argument("--ceiling-seconds", type=float, default=15.0)
    parser.add_argument("--scale", action="append", default=[],
                        help="as make run: e.g. --scale tracking=2")
    parser.add_argument("--env", action="append", default=[],
                        help="extra platform environment, e.g. --env MAX_WORKERS=20")
    parser.add_argument("--py-spy", default="",
                        help="path to py-spy: profile gateway and tracking during the "
                             "load (collapsed stacks under bench/results/)")
    args = parser.parse_args()

    run_id = uuid.uuid4().hex[:8]
    vhost = create_vhost()
    amqp_uri = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    db_base = f"bench_{run_id}"
    tmp = Path(tempfile.mkdtemp(prefix="continuity-bench-"))
    extra_env = {"RATE_LIMIT_INVITATION": "100000/60", "RATE_LIMIT_LOGIN": "100000/60",
                 **dict(e.split("=", 1) for e in args.env)}
    results: dict = {
        "at": datetime.now(UTC).isoformat(), "run_id": run_id,
        "machine": {"cpus": os.cpu_count(), "python": host.python_version(),
                    "load_avg_at_start": os.getloadavg()},
        "settings": {"connections": args.connections, "seconds": args.seconds,
                     "warmup_s": args.warmup, "learners": args.learners,
                     "scale": args.scale, "env": extra_env,
                     "database": "postgresql", "client": "asyncio HTTP/1.1 keep-alive"},
    }
    p = None
    try:
        try:
            print(f"starting the platform (vhost {vhost}, databases {db_base}_*) …",
                  flush=True)
            p = start_platform(tmp, amqp_uri, PG_SERVER + db_base, scale=args.scale,
                               extra_env=extra_env)
            measure_platform(p, args, results, run_id, db_base)
        finally:
            if p is not None:
                code = stop_platform(p)
                results["platform_exit_code"] = code
                if code != 0:
                    print(p.log()[-3000:], file=sys.stderr)
                (REPO / "bench" / "results").mkdir(parents=True, exist_ok=True)
                shutil.copy(p.log_path, REPO / "bench" / "results"
                            / f"progress_ingest-{run_id}-platform.log")
        print("ceilings: the same client against hello-world nameko services …",
              flush=True)
        results["ceiling_http_hello"] = ceiling("http", amqp_uri, args.connections,
                                                args.ceiling_seconds, args.warmup)
        results["ceiling_http_rpc_hello"] = ceiling("rpc", amqp_uri, args.connections,
                                                    args.ceiling_seconds, args.warmup)
    finally:  # whatever happened: no vhost, database or directory left behind
        delete_vhost(vhost)
        drop_databases(db_base)
        shutil.rmtree(tmp, ignore_errors=True)

    accepted = results["progress"]["accepted_per_s"]
    hello = results["ceiling_http_hello"]["per_s"]
    hello_rpc = results["ceiling_http_rpc_hello"]["per_s"]
    results["ratio_to_http_hello"] = round(accepted / hello, 3) if hello else None
    results["ratio_to_http_rpc_hello"] = (
        round(accepted / hello_rpc, 3) if hello_rpc else None)
    results["target_accepted_per_s"] = TARGET
    results["meets_target"] = accepted >= TARGET
    results["machine"]["load_avg_at_end"] = os.getloadavg()

    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"progress_ingest-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(results, indent=2))
    pr, ev = results["progress"], results["events"]
    verdict = "met" if accepted >= TARGET else "MISSED"
    lines = [
        "",
        f"accepted/s        {accepted}  (target {TARGET}: {verdict})",
        f"latency           p50 {pr['p50_ms']} ms · p99 {pr['p99_ms']} ms"
        f" · max {pr['max_ms']} ms",
        f"dashboard lag     "
        f"{results['dashboard_lag']['until_dashboard_shows_it_ms']} ms from sending"
        " a record to the dashboard showing it",
        f"events            outbox drained {ev['outbox_drained_after_load_s']} s after"
        f" the load ({ev['outbox_pending_when_the_load_ended']} pending at its end)",
        f"ceiling           hello @http {hello}/s · hello @http + RPC {hello_rpc}/s",
        f"ratio             {results['ratio_to_http_hello']} of @http hello · "
        f"{results['ratio_to_http_rpc_hello']} of @http + RPC hello",
        f"cpu ms/request    {results['cpu_ms_per_request']}",
        f"machine           {results['machine']}",
        f"written to {path.relative_to(REPO)}",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
