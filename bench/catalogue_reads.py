"""Catalogue reads through the gateway under 32 connections, against nameko's ceiling.

    .venv/bin/python bench/catalogue_reads.py [--seconds 15] [--connections 32]

Starts the platform as ``make run`` does (tests/support/platform.py, SQLite) on a fresh
RabbitMQ vhost (created and deleted through the management API), then sends a mix of
searches (free text with and without accents, filters, facets, second pages through
cursors) and course pages to the gateway over ``--connections`` keep-alive connections
for ``--seconds``. In the same run, with the same client, it measures the ceiling: a
hello-world nameko ``@http`` endpoint returning "ok", in a process of its own; and,
to say where the rest goes, the same endpoint behind ``gateway.http.Api`` (auth,
problem+json, access log, metrics, correlation id), the gateway's own ``/health``, and
searches whose query strings are all new (no rendered answer to reuse).

Prints req/s, p50/p99 (also apart for answers over eventlet's 16 KiB write buffer,
which leave in two writes and so meet Nagle and the client's delayed ACK), the CPU of
the server and of the whole machine (others' work on a shared machine shows there),
the time a course retired in the catalog takes to leave the gateway's search, and the
ratio to the ceiling; writes everything to bench/results/catalogue_reads-<time>.json.
Targets: >= 2,000 req/s, p99 <= 50 ms, >= 0.6 of the ceiling. Every request goes to
127.0.0.1 only.

    python bench/catalogue_reads.py --serve KIND PORT   # a ceiling service (internal)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform as host
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MANAGEMENT = "http://127.0.0.1:15672/api"
AUTH = ("guest", "guest")
TARGET_RPS, TARGET_P99_MS, TARGET_RATIO = 2000, 50.0, 0.6


# -- the ceiling services, each run as its own process ------------------------------
def serve(kind: str, port: int) -> None:
    """``hello``: nameko's @http returning "ok"; ``api``: the same behind Api."""
    import warnings

    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
    from nameko.cli.run import run
    from nameko.web.handlers import http

    from services.common.observability import configure_logging

    class Hello:
        name = "bench_hello"

        @http("GET", "/")
        def hello(self, request):
            return "ok"

    services = [Hello]
    if kind == "api":
        from gateway.http import api, json_response

        class HelloApi:
            name = "bench_hello_api"

            @api("GET", "/")
            def hello(self, request, principal):
                return json_response("ok")

        services = [HelloApi]
    configure_logging(f"bench-{kind}", os.environ.get("LOG_LEVEL", "INFO"))
    run(
        services,
        {
            "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}",
            "AMQP_URI": "memory://",
            "max_workers": 10,
            "TOKEN_SECRET": "bench",
            "RPC_TIMEOUT": 30,
        },
    )


# -- a small HTTP/1.1 keep-alive client (asyncio protocol: cheap per request) ---------
class Client(asyncio.Protocol):
    def __init__(self) -> None:
        self.buffer = b""
        self.waiter: asyncio.Future | None = None
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._complete()

    def connection_lost(self, exc) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("closed"))
        self.transport = None

    def _complete(self) -> None:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0 or self.waiter is None:
            return
        head = self.buffer[:end].decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        length = 0
        for line in head[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                raise RuntimeError("chunked answers are not expected here")
        if len(self.buffer) < end + 4 + length:
            return
        self.buffer = self.buffer[end + 4 + length :]
        waiter, self.waiter = self.waiter, None
        waiter.set_result((status, length))

    async def send(self, request: bytes) -> tuple[int, int]:
        """(status, body length) of the answer."""
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter


LARGE = 16 * 1024


def set_difference(values: list[float], removed: list[float]) -> list[float]:
    """``values`` less one occurrence of each of ``removed`` (both sorted)."""
    out, i = [], 0
    for v in values:
        if i < len(removed) and removed[i] == v:
            i += 1
        else:
            out.append(v)
    return out


def request_bytes(path: str, port: int) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()


async def load(
    port: int, paths: list[str], connections: int, seconds: float, warmup: float
) -> dict:
    """Every connection walks ``paths`` from its own offset, as fast as answers come."""
    requests_ = [request_bytes(p, port) for p in paths]
    latencies: list[float] = []
    large: list[float] = []  # answers over eventlet's 16 KiB write buffer
    statuses: dict[int, int] = {}
    loop = asyncio.get_running_loop()
    begin = time.perf_counter()
    measure_from, deadline = begin + warmup, begin + warmup + seconds

    async def worker(n: int) -> None:
        transport = None
        i = n * 7919
        while time.perf_counter() < deadline:
            if transport is None or transport.is_closing():
                transport, client = await loop.create_connection(
                    Client, "127.0.0.1", port
                )
            request = requests_[i % len(requests_)]
            i += 1
            started = time.perf_counter()
            try:
                status, length = await client.send(request)
            except ConnectionError:
                transport, status, length = None, 599, 0
            if started >= measure_from:
                latencies.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1
                if length > LARGE:
                    large.append(latencies[-1])
        if transport is not None:
            transport.close()

    cpu = os.times()
    await asyncio.wait_for(
        asyncio.gather(*(worker(n) for n in range(connections))), warmup + seconds + 30
    )
    cpu_after = os.times()
    window = time.perf_counter() - measure_from
    latencies.sort()
    large.sort()

    def pct(p: float, values: list[float] = latencies) -> float | None:
        if not values:
            return None
        return round(values[min(len(values) - 1, int(p * len(values)))] * 1000, 1)

    client_cpu = cpu_after.user + cpu_after.system - cpu.user - cpu.system
    n = max(1, len(latencies))
    return {
        "requests": len(latencies),
        "window_s": round(window, 2),
        "req_per_s": round(len(latencies) / window, 1),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(latencies[-1] * 1000, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "large_answers": {
            "over_bytes": LARGE,
            "share": round(len(large) / n, 3),
            "p50_ms": pct(0.5, large),
            "p99_ms": pct(0.99, large),
        },
        "others_p99_ms": pct(0.99, sorted(set_difference(latencies, large))),
        "client_cpu_percent": round(100 * client_cpu / (warmup + seconds), 1),
    }


# -- processes, ports, the broker ---------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def busy_percent(before: tuple[int, int], after: tuple[int, int]) -> float:
    """Of the whole machine (100 = every core busy)."""
    return round(100 * (after[0] - before[0]) / max(1, after[1] - before[1]), 1)


def quiet_check(seconds: float = 3.0) -> float:
    before = machine_jiffies()
    time.sleep(seconds)
    return busy_percent(before, machine_jiffies())


def child_pid(parent: int, needle: str) -> int | None:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and needle in cmdline:
            return int(entry.name)
    return None


def measure(name: str, port: int, paths: list[str], args, pid: int | None) -> dict:
    before = cpu_seconds(pid) if pid else None
    machine = machine_jiffies()
    result = asyncio.run(load(port, paths, args.connections, args.seconds, args.warmup))
    result["machine_busy_percent"] = busy_percent(machine, machine_jiffies())
    if pid:
        result["server_cpu_percent"] = round(
            100 * (cpu_seconds(pid) - before) / (args.seconds + args.warmup), 1
        )
    print(
        f"  {name:<34} {result['req_per_s']:>8.0f} req/s   p50 {result['p50_ms']:>5} ms"
        f"   p99 {result['p99_ms']:>5} ms   server CPU "
        f"{result.get('server_cpu_percent', '?')} %   machine busy "
        f"{result['machine_busy_percent']} %   statuses {result['statuses']}",
        flush=True,
    )
    large = result["large_answers"]
    if large["share"]:
        print(
            f"  {'':<34} answers over 16 KiB: {100 * large['share']:.0f} %, "
            f"p50 {large['p50_ms']} ms, p99 {large['p99_ms']} ms; "
            f"the others' p99 {result['others_p99_ms']} ms",
            flush=True,
        )
    return result


def start_ceiling(kind: str, log_dir: Path) -> tuple[subprocess.Popen, int]:
    """The service in its own process, logging to a file as the platform does."""
    port = free_port()
    with (log_dir / f"ceiling-{kind}.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, __file__, "--serve", kind, str(port)],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the {kind} ceiling service did not start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def create_vhost(requests) -> str:
    vhost = f"bench_catalogue_{uuid.uuid4().hex[:8]}"
    requests.put(
        f"{MANAGEMENT}/vhosts/{vhost}", auth=AUTH, timeout=10
    ).raise_for_status()
    requests.put(
        f"{MANAGEMENT}/permissions/{vhost}/guest",
        auth=AUTH,
        timeout=10,
        json={"configure": ".*", "write": ".*", "read": ".*"},
    ).raise_for_status()
    return vhost


# -- the mix ------------------------------------------------------------------------
SEARCHES = [
    {"q": "gestion de projet", "language": "fr"},
    {"q": "Gestion de Projet"},
    {"q": "développement web"},
    {"q": "developpement web"},
    {"q": "données"},
    {"q": "scrum"},
    {"q": "python"},
    {"q": "securite"},
    {"q": "design"},
    {"language": "fr"},
    {"language": "en"},
    {"level": "beginner"},
    {"level": "advanced", "language": "en"},
    {"topic": "data"},
    {"topic": "web-development", "level": "beginner"},
    {"topic": "marketing", "language": "fr"},
    {"skill": "sql-queries"},
    {"path": "parcours-chef-de-projet"},
    {},
    {"limit": "50"},
]


def build_mix(url: str) -> tuple[list[str], dict]:
    """Searches (with their second pages) and course pages, 60/40, shuffled."""
    import requests

    searches = []
    for params in SEARCHES:
        path = "/api/v1/courses?" + urllib.parse.urlencode({"limit": 10, **params})
        searches.append(path)
        page = requests.get(url + path, timeout=10).json()
        if page["next_cursor"]:
            searches.append(path + "&cursor=" + page["next_cursor"])
    everything = requests.get(url + "/api/v1/courses?limit=100", timeout=10).json()
    courses = [f"/api/v1/courses/{c['id']}" for c in everything["items"]]
    for path in searches + courses:
        answer = requests.get(url + path, timeout=10)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    mix = searches * 3 + courses  # about 60 % searches, 40 % course pages
    while len(searches) * 3 / len(mix) < 0.55:
        mix += searches
    random.Random(42).shuffle(mix)
    share = sum(p.startswith("/api/v1/courses?") for p in mix) / len(mix)
    return mix, {
        "distinct_searches": len(searches),
        "distinct_course_pages": len(courses),
        "search_share": round(share, 2),
    }


def retire_lag(platform, vhost: str) -> float:
    """Retire a course through the catalog's RPC (not the gateway: only the event can
    tell the gateway) and time until the gateway's search stops showing it."""
    import warnings

    import requests

    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    from nameko.standalone.rpc import ClusterRpcProxy

    course = "measure-your-audience-with-web-analytics"
    url = platform.url + "/api/v1/courses?q=web+analytics&limit=100"
    with (
        requests.Session() as http,
        ClusterRpcProxy(
            {"AMQP_URI": f"amqp://guest:guest@127.0.0.1:5672/{vhost}"}
        ) as rpc,
    ):
        assert course in http.get(url, timeout=10).text
        rpc.catalog.retire_course(course)
        started = time.perf_counter()
        while course in http.get(url, timeout=10).text:
            if time.perf_counter() - started > 10:
                raise AssertionError("the retired course is still found after 10 s")
        return round((time.perf_counter() - started) * 1000, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--no-breakdown",
        action="store_true",
        help="skip the diagnostics: Api-wrapped hello, /health, unmemoised searches",
    )
    parser.add_argument(
        "--serve", nargs=2, metavar=("KIND", "PORT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return 0

    import requests

    from tests.support.platform import start_platform, stop_platform

    idle_busy = quiet_check()
    print(
        f"machine busy before the run: {idle_busy} % of {os.cpu_count()} cores"
        + (
            "  (other work is running: figures will be low and noisy)"
            if idle_busy > 15
            else ""
        ),
        flush=True,
    )
    vhost = create_vhost(requests)
    tmp = Path(tempfile.mkdtemp(prefix="bench-catalogue-"))
    platform = None
    results: dict = {
        "at": datetime.now(UTC).isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": host.python_version(),
            "system": host.platform(),
        },
        "connections": args.connections,
        "seconds": args.seconds,
        "warmup_s": args.warmup,
        "log_level": os.environ.get("LOG_LEVEL", "INFO"),
        "machine_busy_percent_before": idle_busy,
    }
    try:
        print(f"starting the platform (SQLite, vhost {vhost}) …", flush=True)
        platform = start_platform(tmp, f"amqp://guest:guest@127.0.0.1:5672/{vhost}")
        port = int(platform.url.rsplit(":", 1)[1])
        gateway = child_pid(platform.process.pid, "runner gateway")
        mix, results["mix"] = build_mix(platform.url)
        print(
            f"{args.connections} connections, {args.seconds:.0f} s each "
            f"(+{args.warmup:.0f} s warm-up):",
            flush=True,
        )
        results["catalogue"] = measure(
            "catalogue mix via the gateway", port, mix, args, gateway
        )
        process, hello_port = start_ceiling("hello", tmp)
        try:
            results["ceiling_hello"] = measure(
                "ceiling: nameko @http 'ok'", hello_port, ["/"], args, process.pid
            )
        finally:
            stop(process)
        if not args.no_breakdown:
            process, api_port = start_ceiling("api", tmp)
            try:
                results["hello_behind_gateway_api"] = measure(
                    "'ok' behind gateway.http.Api", api_port, ["/"], args, process.pid
                )
            finally:
                stop(process)
            results["gateway_health"] = measure(
                "gateway /health", port, ["/health"], args, gateway
            )
            # every query string new: the rendered-answer memo never hits, each
            # request searches (an unknown parameter changes the key, not the result)
            searches = [p for p in mix if p.startswith("/api/v1/courses?")]
            unique = [f"{searches[n % len(searches)]}&n={n}" for n in range(200_000)]
            results["searches_never_memoised"] = measure(
                "searches, every query string new", port, unique, args, gateway
            )
        results["retired_to_out_of_search_ms"] = retire_lag(platform, vhost)
        print(
            f"  a course retired in the catalog left the gateway's search in "
            f"{results['retired_to_out_of_search_ms']} ms",
            flush=True,
        )
    finally:
        if platform is not None:
            stop_platform(platform)
        requests.delete(f"{MANAGEMENT}/vhosts/{vhost}", auth=AUTH, timeout=30)

    catalogue, ceiling = results["catalogue"], results["ceiling_hello"]
    ratio = round(catalogue["req_per_s"] / ceiling["req_per_s"], 2)
    results["ratio_to_ceiling"] = ratio
    results["targets"] = {
        "req_per_s": {
            "target": TARGET_RPS,
            "met": catalogue["req_per_s"] >= TARGET_RPS,
        },
        "p99_ms": {
            "target": TARGET_P99_MS,
            "met": catalogue["p99_ms"] <= TARGET_P99_MS,
        },
        "ratio": {"target": TARGET_RATIO, "met": ratio >= TARGET_RATIO},
    }
    if "hello_behind_gateway_api" in results:
        results["api_ratio_to_ceiling"] = round(
            results["hello_behind_gateway_api"]["req_per_s"] / ceiling["req_per_s"], 2
        )
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"catalogue_reads-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(results, indent=2))

    print(
        f"\ncatalogue: {catalogue['req_per_s']:.0f} req/s, "
        f"p50 {catalogue['p50_ms']} ms, "
        f"p99 {catalogue['p99_ms']} ms; ceiling {ceiling['req_per_s']:.0f} req/s; "
        f"ratio {ratio}"
    )
    if "api_ratio_to_ceiling" in results:
        print(
            f"the same 'ok' behind gateway.http.Api: "
            f"{results['hello_behind_gateway_api']['req_per_s']:.0f} req/s "
            f"({results['api_ratio_to_ceiling']} of the ceiling)"
        )
    for name, target in results["targets"].items():
        print(
            f"  {name:<10} target {target['target']:<6} "
            f"{'met' if target['met'] else 'MISSED'}"
        )
    print(f"written to {path.relative_to(REPO)}")
    return 0 if all(t["met"] for t in results["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
