"""Correlation ids, JSON logs, RED metrics per entrypoint, and the ops endpoint.

``metrics = EntrypointMetrics()`` in a service:
- times every worker into one histogram (service / entrypoint / outcome);
- makes sure every worker has a correlation id (from the HTTP request, the RPC
  caller or the event) and puts it in every log line the worker writes;
- serves ``/metrics``, ``/health`` and ``/ready`` on the process's METRICS_PORT
  (the gateway serves them on its own HTTP port instead).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid

import eventlet
from eventlet import wsgi
from nameko.extensions import DependencyProvider
from prometheus_client import CONTENT_TYPE_LATEST, Histogram, generate_latest

CORRELATION_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)
SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

ENTRYPOINT_SECONDS = Histogram(
    "continuity_entrypoint_duration_seconds",
    "Time spent in each entrypoint (RPC, event handler, HTTP route, timer)",
    ["service", "entrypoint", "outcome"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def sane_correlation_id(value: str | None) -> str:
    if value and SANE_ID.match(value):
        return value
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    def __init__(self, process_name: str):
        super().__init__()
        self.process_name = process_name

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "service": self.process_name,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", None)
            or CORRELATION_ID.get(),
        }
        for key in ("event_type", "entrypoint", "status", "path", "method"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info and not str(record.msg).startswith("(expected)"):
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(process_name: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(process_name))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("kombu", "amqp", "nameko.web.server", "sqlalchemy.engine"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def readiness(container) -> tuple[bool, dict]:
    """Ready when the broker answers and every dependency with ready() does."""
    checks: dict[str, str] = {}
    ok = True
    try:
        from kombu import Connection

        with Connection(container.config["AMQP_URI"], connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
        checks["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        ok = False
        checks["broker"] = f"unreachable: {exc.__class__.__name__}"
    for dep in container.dependencies:
        probe = getattr(dep, "ready", None)
        if probe is None:
            continue
        name = dep.attr_name
        try:
            probe()
            checks[name] = "ok"
        except Exception as exc:  # noqa: BLE001
            ok = False
            checks[name] = f"failing: {exc.__class__.__name__}"
    return ok, checks


def ops_response(path: str, container) -> tuple[str, str, bytes]:
    if path == "/metrics":
        return "200 OK", CONTENT_TYPE_LATEST, generate_latest()
    if path == "/health":
        return "200 OK", "application/json", b'{"status": "ok"}'
    if path == "/ready":
        ok, checks = readiness(container)
        body = json.dumps({"status": "ready" if ok else "not ready", "checks": checks})
        status = "200 OK" if ok else "503 Service Unavailable"
        return status, "application/json", body.encode()
    return "404 Not Found", "text/plain", b"not found"


class EntrypointMetrics(DependencyProvider):
    def __init__(self, serve_ops: bool = True):
        self.serve_ops = serve_ops
        self._started: dict = {}

    def setup(self) -> None:
        self.service = self.container.service_name
        self.port = int(self.container.config.get("METRICS_PORT") or 0)
        self.host = self.container.config.get("BIND_HOST", "127.0.0.1")

    def start(self) -> None:
        if self.serve_ops and self.port:
            self._sock = eventlet.listen((self.host, self.port))
            self._gt = self.container.spawn_managed_thread(self._serve)

    def _serve(self) -> None:
        container = self.container

        def app(environ, start_response):
            status, ctype, body = ops_response(environ["PATH_INFO"], container)
            start_response(status, [("Content-Type", ctype)])
            return [body]

        wsgi.server(self._sock, app, log=logging.getLogger("ops"), log_output=False)

    def stop(self) -> None:
        if getattr(self, "_gt", None) is not None:
            self._gt.kill()
            self._sock.close()

    kill = stop

    def worker_setup(self, worker_ctx) -> None:
        cid = sane_correlation_id(worker_ctx.context_data.get("correlation_id"))
        worker_ctx.context_data["correlation_id"] = cid
        CORRELATION_ID.set(cid)
        self._started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None) -> None:
        started = self._started.pop(worker_ctx, None)
        if started is None:
            return
        outcome = "error" if exc_info is not None else "success"
        ENTRYPOINT_SECONDS.labels(
            self.service, worker_ctx.entrypoint.method_name, outcome
        ).observe(time.perf_counter() - started)

    def worker_teardown(self, worker_ctx) -> None:
        self._started.pop(worker_ctx, None)
        CORRELATION_ID.set(None)

    def get_dependency(self, worker_ctx) -> Probe:
        return Probe(self.container)


class Probe:
    """What a worker sees: the process's readiness, for a /ready route."""

    def __init__(self, container):
        self._container = container

    def readiness(self) -> tuple[bool, dict]:
        return readiness(self._container)
