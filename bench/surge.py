"""The surge: 1,000 institutions apply, then 100,000 learners are imported and seated.

    .venv/bin/python bench/surge.py [--institutions 1000] [--learners 100]
                                    [--concurrency 16] [--scale-onboarding N]

On PostgreSQL and a fresh vhost: ``--institutions`` auto-approvable applications go
through the gateway at bounded concurrency; once every institution is active, an
operator uploads one ``--learners``-row roster per institution. The run ends when every
learner holds a seat (read from licensing's own database, the source of truth).

Prints total seconds, learners seated per second, time-to-active p50/p99 (from
GET /api/v1/surge), and the raw batched-insert rate of the same PostgreSQL measured in
the same run as the ceiling, with the ratio. Writes JSON and a PNG plot of seated
learners over time to bench/results/. Targets: 100,000 seated in ≤ 20 s, seated/s ≥
0.10 × the ceiling, time-to-active p99 ≤ 2 s.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import requests  # noqa: E402
from harness import (  # noqa: E402
    CpuWatch,
    describe_cpu,
    fresh_database_base,
    fresh_vhost,
    operator_token,
    platform,
    raw_insert_rate,
    write_results,
)
from sqlalchemy import create_engine, text  # noqa: E402

TARGET_SECONDS, TARGET_RATIO, TARGET_P99 = 20.0, 0.10, 2.0


def application(n: int, learners: int) -> dict:
    return {
        "name": f"Lycée de la Vague {n}", "type": "secondary_school", "country": "FR",
        "city": "Nantes", "website": f"https://lycee-vague-{n}.fr",
        "contact": {"name": "Direction", "email": f"direction@lycee-vague-{n}.fr",
                    "role": "Proviseur"},
        "expected_learners": learners, "languages": ["fr"], "timezone": "Europe/Paris",
    }


def roster(n: int, learners: int) -> bytes:
    rows = ["email;first_name;last_name;cohort"] + [
        f"e{k}@lycee-vague-{n}.fr;Élève{k};Nom{k};Classe {k % 4}"
        for k in range(learners)]
    return ("\r\n".join(rows) + "\r\n").encode()


RETRIED = (429, 502, 503)  # the platform says "not now": a real client tries again


def send(session: requests.Session, method: str, url: str, retries: list,
         **kwargs) -> requests.Response:
    """A request as a well-behaved client sends it: on 429 or 503, again after
    ``Retry-After`` (at most 5 s, 20 times); each retry counted in ``retries``."""
    for _ in range(20):
        answer = session.request(method, url, timeout=60, **kwargs)
        if answer.status_code not in RETRIED:
            return answer
        retries.append(answer.status_code)
        time.sleep(min(5.0, float(answer.headers.get("Retry-After") or 1)))
    return answer


class Clients(threading.local):
    def session(self) -> requests.Session:
        if not hasattr(self, "http"):
            self.http = requests.Session()
        return self.http


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--institutions", type=int, default=1000)
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--scale-onboarding", type=int, default=1)
    args = parser.parse_args()
    figures = run_surge(args)
    path = write_results("surge", figures)
    written = plot(figures, path.with_suffix(".png"))
    tta = {"p50": figures["time_to_active_p50_seconds"],
           "p99": figures["time_to_active_p99_seconds"]}
    print(
        f"{figures['seated']:,} learners seated; rosters → all seated "
        f"{figures['rosters_to_all_seated_seconds']:.1f} s (target ≤ "
        f"{TARGET_SECONDS:.0f}); total {figures['total_seconds']:.1f} s\n"
        f"seated/s {figures['seated_per_second']:,.0f}; ceiling "
        f"{figures['ceiling_raw_insert_rows_per_second']:,.0f} rows/s; ratio "
        f"{figures['ratio_to_ceiling']} (target ≥ {TARGET_RATIO})\n"
        f"time to active p50 {tta['p50']:.2f} s, p99 {tta['p99']:.2f} s "
        f"(target ≤ {TARGET_P99}); by stage (p50/p99): "
        + ", ".join(f"{name} {st['p50']:.2f}/{st['p99']:.2f} s"
                    for name, st in figures["time_to_active_stages"].items())
        + "\nroster phase: " + describe_cpu(figures["roster_phase_cpu"],
                                            figures["seated"] / 1000, "1,000 learners")
        + f"\nrequests sent again after 429/502/503: "
          f"{figures['retried_requests'] or 'none'}"
        + f"\nfigures: {path} and {written}")
    return 0 if figures["all_seated"] else 1


def run_surge(args) -> dict:
    """One surge on a fresh platform (``args``: institutions, learners, concurrency,
    scale_onboarding): its figures."""
    total_learners = args.institutions * args.learners
    clients = Clients()

    with (fresh_vhost() as amqp, fresh_database_base() as db,
          tempfile.TemporaryDirectory() as tmp):
        ceiling = raw_insert_rate(f"{db}_ceiling")
        print(f"ceiling: PostgreSQL batched inserts {ceiling:,.0f} rows/s", flush=True)
        env = {"RATE_LIMIT_APPLY": "1000000/60", "LOG_LEVEL": "WARNING",
               "OUTBOX_POLL_SECONDS": "0.5", **getattr(args, "env", {})}
        retries: list[int] = []
        scale = ([f"onboarding={args.scale_onboarding}"]
                 if args.scale_onboarding > 1 else [])
        with platform(Path(tmp), amqp, db, scale=scale, env=env) as p:
            token = operator_token(p)
            seats_db = create_engine(f"{db}_licensing")

            def seated() -> int:
                with seats_db.connect() as conn:
                    return conn.execute(text(
                        "SELECT count(*) FROM seats WHERE status = 'seated'")).scalar()

            def apply(n: int) -> str:
                # the key makes a retry of an application that did go through
                # return it rather than apply twice
                answer = send(clients.session(), "POST", f"{p.url}/api/v1/applications",
                              retries, json=application(n, args.learners),
                              headers={"Idempotency-Key": f"surge-{run}-{n}"})
                answer.raise_for_status()
                return answer.json()["institution_id"]

            def upload(pair) -> None:
                n, institution = pair
                # a 503 is a roster not taken: sent again whole
                answer = send(
                    clients.session(), "POST",
                    f"{p.url}/api/v1/institutions/{institution}/rosters", retries,
                    data=roster(n, args.learners),
                    headers={"Authorization": f"Bearer {token}",
                             "Content-Type": "text/csv"})
                answer.raise_for_status()

            def surge() -> dict:
                return p.api("GET", "/api/v1/surge", token).json()

            run = uuid.uuid4().hex[:8]
            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                institutions = list(pool.map(apply, range(args.institutions)))
            applied = time.perf_counter()
            print(f"{args.institutions} applications in {applied - started:.1f} s",
                  flush=True)
            while (surge()["applications_by_status"].get("active", 0)
                   < args.institutions):
                time.sleep(0.2)
            all_active = time.perf_counter()
            print(f"all active after {all_active - started:.1f} s", flush=True)

            timeline: list[tuple[float, int]] = []
            stop = threading.Event()

            def watch() -> None:
                while not stop.is_set():
                    count = seated()
                    timeline.append((time.perf_counter() - started, count))
                    print(f"\r  {count:>7,} / {total_learners:,} learners seated "
                          f"({timeline[-1][0]:5.1f} s)", end="", flush=True)
                    if count >= total_learners:
                        return
                    stop.wait(0.5)

            watcher = threading.Thread(target=watch)
            cpu = CpuWatch(p, db)
            rosters_started = time.perf_counter()
            watcher.start()
            with ThreadPoolExecutor(args.concurrency) as pool:
                list(pool.map(upload, enumerate(institutions)))
            uploaded = time.perf_counter()
            watcher.join(timeout=600)
            stop.set()
            print()
            finished = time.perf_counter()
            roster_cpu = cpu.stop()
            final = seated()
            report = surge()
            seats_db.dispose()

    roster_seconds = finished - rosters_started
    seated_per_second = final / roster_seconds
    tta = report["time_to_active_seconds"]
    figures = {
        "institutions": args.institutions, "learners_per_institution": args.learners,
        "concurrency": args.concurrency, "onboarding_processes": args.scale_onboarding,
        "seated": final, "all_seated": final >= total_learners,
        # requests the platform answered "not now" (429/502/503), sent again
        "retried_requests": dict(collections.Counter(retries)),
        "applications_seconds": round(applied - started, 2),
        "all_active_seconds": round(all_active - started, 2),
        "rosters_upload_seconds": round(uploaded - rosters_started, 2),
        "rosters_to_all_seated_seconds": round(roster_seconds, 2),
        "total_seconds": round(finished - started, 2),
        "seated_per_second": round(seated_per_second),
        "time_to_active_p50_seconds": tta["p50"],
        "time_to_active_p99_seconds": tta["p99"],
        "time_to_active_stages": {name: {"p50": round(st["p50"], 3),
                                         "p99": round(st["p99"], 3)}
                                  for name, st in tta.get("stages", {}).items()},
        "ceiling_raw_insert_rows_per_second": round(ceiling),
        "ratio_to_ceiling": round(seated_per_second / ceiling, 3),
        "targets": {"rosters_to_all_seated_seconds": TARGET_SECONDS,
                    "ratio_to_ceiling": TARGET_RATIO, "time_to_active_p99": TARGET_P99},
        "roster_phase_cpu": roster_cpu,
        "timeline": [(round(t, 2), c) for t, c in timeline],
    }
    return figures


def plot(figures: dict, path: Path) -> Path:
    """Seated learners over time, as a PNG at ``path``: the file written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    times = [t for t, _ in figures["timeline"]]
    counts = [c for _, c in figures["timeline"]]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    ax.plot(times, counts, color="#21409a", linewidth=2)
    ax.axhline(figures["institutions"] * figures["learners_per_institution"],
               color="#999", linestyle="--", linewidth=1)
    ax.set_xlabel("seconds since the first application")
    ax.set_ylabel("learners holding a seat")
    ax.set_title(f"Surge: {figures['institutions']:,} institutions, "
                 f"{figures['seated']:,} learners seated")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


if __name__ == "__main__":
    sys.exit(main())
