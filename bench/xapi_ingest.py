"""xAPI statements through the LRS: stored statements per second, batches and singles.

    .venv/bin/python bench/xapi_ingest.py [--seconds 20] [--connections 16]

Starts the platform as ``make run`` does on PostgreSQL (a fresh database base name,
dropped at the end) and a fresh RabbitMQ vhost; onboards an institution and issues
it an LRS client (HTTP Basic). Then, over ``--connections`` keep-alive connections:
POSTs of 100 statements for ``--seconds``, then single statements (PUT with
``statementId``) for ``--seconds``; and, in the same run with the same client, the
ceiling of a hello-world nameko ``@http`` endpoint making one RPC
(``bench/ceiling_services.py``). Prints statements/s and p50/p99 of each, the ratio
of singles to the ceiling, and writes bench/results/xapi_ingest-<time>.json.
Targets (decision 0051): >= 5,000 statements/s in batches of 100; singles >= 1.0x
the ceiling. Not measured here yet: Ralph for comparison, the filtered GET over
1,000,000 statements.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import sys
import tempfile
import uuid
from pathlib import Path

from harness import (
    fresh_database_base,
    fresh_vhost,
    operator_token,
    platform,
    write_results,
)
from progress_ingest import ceiling, run_load

from tests.support.journey import onboard

TARGET_BATCHED, TARGET_SINGLE_RATIO = 5000, 1.0
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


def load(port: int, auth: str, connections: int, seconds: float, batch: int) -> dict:
    headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3",
               "Content-Type": "application/json"}
    counter = iter(range(10**9))

    def next_request(_worker: int):
        if batch == 1:
            one = statement(next(counter))
            return ("PUT", f"/xapi/statements?statementId={one['id']}", headers,
                    json.dumps(one).encode())
        body = [statement(next(counter)) for _ in range(batch)]
        return "POST", "/xapi/statements", headers, json.dumps(body).encode()

    result = asyncio.run(run_load(port, connections, seconds, min(3.0, seconds / 4),
                                  next_request))
    summary = result.summary(ok=(200, 204), accepted=(200, 204))
    summary["statements_per_s"] = round(summary["accepted_per_s"] * batch, 1)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
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
        figures["batches_of_100"] = load(port, auth, args.connections, args.seconds,
                                         100)
        figures["single"] = load(port, auth, args.connections, args.seconds, 1)
        figures["ceiling_http_rpc"] = ceiling("rpc", amqp_uri, args.connections,
                                              args.seconds, 3.0)
    batched = figures["batches_of_100"]["statements_per_s"]
    single = figures["single"]["statements_per_s"]
    roof = figures["ceiling_http_rpc"]["accepted_per_s"]
    figures["single_to_ceiling"] = round(single / roof, 2) if roof else None
    for name in ("batches_of_100", "single", "ceiling_http_rpc"):
        f = figures[name]
        print(f"{name:18} {f.get('statements_per_s', f['accepted_per_s']):>9}/s "
              f"p50 {f['p50_ms']} ms  p99 {f['p99_ms']} ms  statuses {f['statuses']}")
    print(f"singles / ceiling: {figures['single_to_ceiling']}")
    print("written to", write_results("xapi_ingest", figures))
    ok = batched >= TARGET_BATCHED and (figures["single_to_ceiling"] or 0) >= \
        TARGET_SINGLE_RATIO
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
