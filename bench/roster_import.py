"""One 100,000-row roster through the gateway: rows imported per second.

    .venv/bin/python bench/roster_import.py [--rows 100000]

On PostgreSQL and a fresh vhost, an operator uploads one CSV (``;``, BOM, like a
French spreadsheet export) for an active institution and the job is polled until done.
Prints rows/s (upload accepted → job done), the upload time, and the raw batched-insert
rate of the same PostgreSQL as a ceiling. Target: ≥ 20,000 rows/s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

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

TARGET = 20_000


def application(n: int, learners: int) -> dict:
    return {
        "name": f"Université Bench {n}", "type": "university", "country": "FR",
        "city": "Lyon", "website": f"https://univ-bench-{n}.fr",
        "contact": {"name": "Admin", "email": f"admin@univ-bench-{n}.fr", "role": "DSI"},
        "expected_learners": learners, "languages": ["fr"], "timezone": "Europe/Paris",
    }


def roster(rows: int, tag: str) -> bytes:
    lines = ["\ufeffemail;first_name;last_name;cohort"]
    lines += [f"l{n}.{tag}@etu.univ-bench.fr;Prénom{n};Nom{n};Groupe {n % 40}"
              for n in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def wait_active(p, status_url: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = p.api("GET", status_url).json()
        if answer["status"] == "active":
            return answer["institution_id"]
        time.sleep(0.1)
    raise SystemExit("the institution never became active")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with (fresh_vhost() as amqp, fresh_database_base() as db,
          tempfile.TemporaryDirectory() as tmp):
        ceiling = raw_insert_rate(f"{db}_ceiling")
        print(f"ceiling: PostgreSQL batched inserts {ceiling:,.0f} rows/s", flush=True)
        with platform(Path(tmp), amqp, db) as p:
            token = operator_token(p)
            answer = p.api("POST", "/api/v1/applications", json=application(1, 5000)).json()
            institution = wait_active(p, answer["status_url"].replace(p.url, ""))
            body = roster(args.rows, "a")
            cpu = CpuWatch(p, db)
            started = time.perf_counter()
            upload = p.api("POST", f"/api/v1/institutions/{institution}/rosters", token,
                           data=body, headers={"Content-Type": "text/csv"})
            upload.raise_for_status()
            accepted = time.perf_counter()
            job_url = upload.headers["Location"]
            while True:
                job = p.api("GET", job_url, token).json()
                print(f"\r  {job['rows_read']:>7,} rows read, {job['imported']:>7,} imported"
                      f" ({time.perf_counter() - started:5.1f} s)", end="", flush=True)
                if job["status"] in ("done", "failed"):
                    break
                time.sleep(0.2)
            finished = time.perf_counter()
            import_cpu = cpu.stop()
            print()
    seconds = finished - started
    figures = {
        "rows": args.rows, "megabytes": round(len(body) / 1e6, 1),
        "status": job["status"], "imported": job["imported"],
        "upload_seconds": round(accepted - started, 2),
        "total_seconds": round(seconds, 2),
        "rows_per_second": round(args.rows / seconds),
        "ceiling_raw_insert_rows_per_second": round(ceiling),
        "ratio_to_ceiling": round(args.rows / seconds / ceiling, 3),
        "target_rows_per_second": TARGET,
        "import_cpu": import_cpu,
    }
    path = write_results("roster_import", figures)
    print(f"{args.rows:,} rows ({figures['megabytes']} MB) imported in {seconds:.1f} s: "
          f"{figures['rows_per_second']:,} rows/s (target ≥ {TARGET:,}); "
          f"upload {figures['upload_seconds']} s; ceiling {ceiling:,.0f} rows/s "
          f"(ratio {figures['ratio_to_ceiling']})\n"
          f"import: {describe_cpu(import_cpu, args.rows / 1000, '1,000 rows')}\n"
          f"figures: {path}")
    return 0 if job["status"] == "done" and job["imported"] == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())
