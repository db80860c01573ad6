"""xAPI statements through the LRS: stored statements per second, batches and singles,
against Ralph's LRS in the same run.

    .venv/bin/python bench/xapi_ingest.py [--seconds 20] [--connections 16] [--no-ralph]

Starts the platform as ``make run`` does on PostgreSQL (a fresh database base name,
dropped at the end) and a fresh RabbitMQ vhost; onboards an institution and issues
it an LRS client (HTTP Basic). Then, over ``--connections`` keep-alive connections:
POSTs of 100 statements for ``--seconds``, then single statements (PUT with
``statementId``) for ``--seconds``; and, in the same run with the same client, the
ceiling of a hello-world nameko ``@http`` endpoint making one RPC
(``bench/ceiling_services.py``). Then the same two loads against Ralph
(``ralph-malph``, bench/ralph/serve.py: its filesystem backend in append mode, HTTP
Basic), started fresh for each load in a new directory, as its backend reads its
whole file to find the ids a request repeats. Ralph runs in a venv of its own made
from bench/ralph/requirements.txt (var/bench/ralph-venv, made again when that file
changes), never in the project's locked environment.

Prints statements/s and p50/p99 of each, the ratios, and writes
bench/results/xapi_ingest-<time>.json. Targets (decisions 0051, 0061): >= 5,000
statements/s in batches of 100 and >= 5x Ralph's; singles >= 10x Ralph's and
>= 1.0x the ceiling. It exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import requests
from harness import (
    CpuWatch,
    describe_cpu,
    fresh_database_base,
    fresh_vhost,
    operator_token,
    platform,
    write_results,
)
from progress_ingest import ceiling, run_load, wait_for

from tests.support.journey import onboard
from tests.support.platform import free_port_block

TARGET_BATCHED, TARGET_SINGLE_RATIO = 5000, 1.0
TARGET_BATCHED_TO_RALPH, TARGET_SINGLE_TO_RALPH = 5.0, 10.0
HERE = Path(__file__).resolve().parent
RALPH = HERE / "ralph"
RALPH_VENV = HERE.parent / "var" / "bench" / "ralph-venv"
VERB = {"id": "http://adlnet.gov/expapi/verbs/completed",
        "display": {"en-US": "completed"}}


def statement(n: int) -> dict:
    return {"id": str(uuid.uuid4()),
            "actor": {"name": "Learner",
                      "mbox": f"mailto:learner{n % 5000}@example.org"},
            "verb": VERB,
            "object": {"id": f"https://courses.example.org/c/{n % 200}",
                       "definition": {"name": {"en-US": "A course"}}},
            "result": {"score": {"scaled": 0.8}, "completion": True,
                       "duration": "PT12M"},
            "context": {"registration": str(uuid.uuid4()), "platform": "bench"},
            "timestamp": "2026-12-07T09:00:00Z"}


def load(port: int, auth: str, connections: int, seconds: float, batch: int,
         path: str = "/xapi/statements") -> dict:
    headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3",
               "Content-Type": "application/json"}
    counter = iter(range(10**9))

    def next_request(_worker: int):
        if batch == 1:
            one = statement(next(counter))
            return ("PUT", f"{path}?statementId={one['id']}", headers,
                    json.dumps(one).encode())
        body = [statement(next(counter)) for _ in range(batch)]
        return "POST", path, headers, json.dumps(body).encode()

    result = asyncio.run(run_load(port, connections, seconds, min(3.0, seconds / 4),
                                  next_request))
    summary = result.summary(ok=(200, 204), accepted=(200, 204))
    summary["statements_per_s"] = round(summary["accepted_per_s"] * batch, 1)
    return summary


def ralph_python() -> Path:
    """The python of Ralph's venv, made (again) from the pinned requirements."""
    wanted = (RALPH / "requirements.txt").read_text()
    made = RALPH_VENV / "requirements.txt"
    python = RALPH_VENV / "bin" / "python"
    if not python.exists() or not made.exists() or made.read_text() != wanted:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(RALPH_VENV)],
                       check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                        "-r", str(RALPH / "requirements.txt")], check=True)
        made.write_text(wanted)
    return python


@contextlib.contextmanager
def ralph(python: Path):
    """Ralph's LRS on a fresh directory: its port and Basic credentials."""
    port = free_port_block(1)
    user, password = "bench", uuid.uuid4().hex
    with tempfile.TemporaryDirectory(prefix="ralph-") as folder:
        process = subprocess.Popen(
            [str(python), str(RALPH / "serve.py"), folder, str(port), user, password],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            def up():
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode()[-2000:])
                try:
                    return requests.get(f"http://127.0.0.1:{port}/__lbheartbeat__",
                                        timeout=2).ok
                except requests.RequestException:
                    return False

            wait_for(up, timeout=60, what="Ralph up")
            yield port, "Basic " + base64.b64encode(
                f"{user}:{password}".encode()).decode()
            stored = Path(folder) / "fs_lrs.jsonl"
            lines = stored.read_bytes().count(b"\n") if stored.exists() else 0
            print(f"Ralph stored {lines} statements in {stored.name}")
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


def ralph_load(python: Path, connections: int, seconds: float, batch: int) -> dict:
    with ralph(python) as (port, auth):
        return load(port, auth, connections, seconds, batch, "/xAPI/statements")


def ratio(ours: float, theirs: float) -> float | None:
    return round(ours / theirs, 2) if theirs else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-ralph", action="store_true",
                        help="skip Ralph's loads (and its venv)")
    args = parser.parse_args()
    python = None if args.no_ralph else ralph_python()  # before the clock starts
    figures: dict = {"connections": args.connections, "seconds": args.seconds}
    with fresh_vhost("xapi") as amqp_uri, fresh_database_base("xapi") as db_url, \
            tempfile.TemporaryDirectory() as work, \
            platform(Path(work), amqp_uri, db_url) as p:
        institution = onboard(p, "xapi-bench.fr", learners=1)
        issued = p.api("POST", "/api/v1/lrs/clients", operator_token(p), json={
            "institution_id": institution.id, "name": "bench",
            "scopes": ["statements/write", "statements/read"]}).json()
        auth = "Basic " + base64.b64encode(
            f"{issued['key']}:{issued['secret']}".encode()).decode()
        port = int(p.url.rsplit(":", 1)[1])
        # where the CPU goes, by process kind, per 1,000 statements stored
        for name, batch in (("batches_of_100", 100), ("single", 1)):
            cpu = CpuWatch(p, db_url)
            figures[name] = load(port, auth, args.connections, args.seconds, batch)
            figures[name]["cpu"] = cpu.stop()
        figures["ceiling_http_rpc"] = ceiling("rpc", amqp_uri, args.connections,
                                              args.seconds, 3.0)
    if python is not None:
        figures["ralph_batches_of_100"] = ralph_load(python, args.connections,
                                                     args.seconds, 100)
        figures["ralph_single"] = ralph_load(python, args.connections, args.seconds, 1)
    batched = figures["batches_of_100"]["statements_per_s"]
    single = figures["single"]["statements_per_s"]
    roof = figures["ceiling_http_rpc"]["accepted_per_s"]
    figures["single_to_ceiling"] = ratio(single, roof)
    names = ["batches_of_100", "single", "ceiling_http_rpc"]
    ok = batched >= TARGET_BATCHED and (figures["single_to_ceiling"] or 0) >= \
        TARGET_SINGLE_RATIO
    if python is not None:
        figures["batches_to_ralph"] = ratio(
            batched, figures["ralph_batches_of_100"]["statements_per_s"])
        figures["single_to_ralph"] = ratio(
            single, figures["ralph_single"]["statements_per_s"])
        names += ["ralph_batches_of_100", "ralph_single"]
        ok = ok and (figures["batches_to_ralph"] or 0) >= TARGET_BATCHED_TO_RALPH \
            and (figures["single_to_ralph"] or 0) >= TARGET_SINGLE_TO_RALPH
    for name in names:
        f = figures[name]
        print(f"{name:20} {f.get('statements_per_s', f['accepted_per_s']):>9}/s "
              f"p50 {f['p50_ms']} ms  p99 {f['p99_ms']} ms  statuses {f['statuses']}")
    for name in ("batches_of_100", "single"):
        stored = figures[name]["statements_per_s"] * figures[name]["window_s"] / 1000
        print(f"{name}: " + describe_cpu(figures[name]["cpu"], stored,
                                         "1,000 statements"))
    print(f"singles / ceiling: {figures['single_to_ceiling']} "
          f"(target {TARGET_SINGLE_RATIO})")
    if python is not None:
        print(f"batches / Ralph's: {figures['batches_to_ralph']} "
              f"(target {TARGET_BATCHED_TO_RALPH}); singles / Ralph's: "
              f"{figures['single_to_ralph']} (target {TARGET_SINGLE_TO_RALPH})")
    print("written to", write_results("xapi_ingest", figures))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
