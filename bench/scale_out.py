"""Scale-out: the roster surge with 1, 2 and 3 onboarding processes.

    .venv/bin/python bench/scale_out.py [--institutions 1000] [--learners 100]
                                        [--concurrency 16] [--processes 1,2,3]

Runs ``surge.py``'s surge once per number of onboarding processes, each on a fresh
platform, database and vhost, one after the other; prints for each the learners
seated per second in the roster phase, its ratio to one process's, the CPU each
process kind spent per 1,000 learners, and how busy the machine was. Writes the
figures as JSON to bench/results/. Every process's database pool is capped alike
(``POOLS``) so that three onboarding processes fit a PostgreSQL of 100 connections.

On a machine of C cores the ratio is bound by the cores, not by onboarding: every
service's CPU per learner is fixed by the code, so the platform seats at most
C / (CPU seconds per learner) learners per second however many onboarding processes
share those cores (bench/README.md gives the arithmetic).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import write_results  # noqa: E402
from surge import run_surge  # noqa: E402


# Every process's connections capped alike in every run, so that 3 onboarding
# processes (and the 8 other processes) fit a PostgreSQL of 100 connections: 11
# processes × 8 = 88 (docs/deploy.md, "Database connections"). Without it the third
# process's pool found the server full ("too many clients") and the gateway
# answered 503s the surge did not retry.
POOLS = {"DB_POOL_SIZE": "8", "DB_MAX_OVERFLOW": "0"}


def cpu_per_thousand(figures: dict) -> dict[str, float]:
    """CPU milliseconds per 1,000 seated learners, by process kind, in the roster
    phase."""
    seated = figures["seated"] / 1000 or 1
    spent = figures["roster_phase_cpu"].get("cpu_seconds", {})
    return {kind: round(1000 * seconds / seated, 1) for kind, seconds in spent.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--institutions", type=int, default=1000)
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--processes", default="1,2,3",
                        help="numbers of onboarding processes, comma-separated")
    args = parser.parse_args()
    counts = [int(n) for n in args.processes.split(",")]
    runs = []
    for n in counts:
        print(f"--- {n} onboarding process{'es' if n > 1 else ''}", flush=True)
        figures = run_surge(SimpleNamespace(
            institutions=args.institutions, learners=args.learners,
            concurrency=args.concurrency, scale_onboarding=n, env=POOLS))
        cpu = cpu_per_thousand(figures)
        runs.append({
            "onboarding_processes": n,
            "seated": figures["seated"], "all_seated": figures["all_seated"],
            "rosters_to_all_seated_seconds": figures["rosters_to_all_seated_seconds"],
            "seated_per_second": figures["seated_per_second"],
            "time_to_active_p99_seconds": figures["time_to_active_p99_seconds"],
            "cpu_ms_per_1000_learners": cpu,
            "cpu_ms_per_1000_learners_total": round(sum(cpu.values()), 1),
            "cpu_busy_percent": figures["roster_phase_cpu"].get("cpu_busy_percent"),
            "cpu_steal_percent": figures["roster_phase_cpu"].get("cpu_steal_percent"),
            "retried_requests": figures["retried_requests"],
        })
    first = runs[0]["seated_per_second"] or 1
    for run in runs:
        run["ratio_to_first"] = round(run["seated_per_second"] / first, 2)
    path = write_results("scale_out", {
        "institutions": args.institutions, "learners_per_institution": args.learners,
        "concurrency": args.concurrency, "runs": runs})

    print(f"\n{'onboarding':>10} {'seated/s':>9} {'ratio':>6} {'all seated':>11} "
          f"{'CPU ms/1,000':>13} {'busy %':>7}  CPU by process (ms per 1,000 learners)")
    for run in runs:
        kinds = ", ".join(f"{kind} {ms:.0f}" for kind, ms in sorted(
            run["cpu_ms_per_1000_learners"].items(), key=lambda item: -item[1])
            if ms >= 1)
        print(f"{run['onboarding_processes']:>10} {run['seated_per_second']:>9,} "
              f"{run['ratio_to_first']:>6} {run['rosters_to_all_seated_seconds']:>10}s "
              f"{run['cpu_ms_per_1000_learners_total']:>13} "
              f"{run['cpu_busy_percent'] or '-':>7}  {kinds}")
        if run["retried_requests"]:
            print(f"{'':>10} requests sent again: {run['retried_requests']}")
    # the bound the cores set: C cores ÷ CPU seconds per learner
    cores = json.loads(path.read_text())["machine"]["cpus"] or 1
    per_learner = runs[0]["cpu_ms_per_1000_learners_total"] / 1e6
    if per_learner:
        print(f"\nthis machine's bound: {cores} cores ÷ "
              f"{per_learner * 1000:.3f} ms of CPU per learner = "
              f"{cores / per_learner:,.0f} learners/s, whatever the number of "
              "onboarding processes")
    print(f"figures: {path}")
    return 0 if all(run["all_seated"] for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
