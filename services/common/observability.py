"""Correlation ids, JSON logs, RED metrics per entrypoint, and the ops endpoint.

``metrics = EntrypointMetrics()`` in a service:
- times every worker into one histogram (service / entrypoint / outcome);
- makes sure every worker has a correlation id (from the HTTP request, the RPC
  caller or the event) and puts it in every log line the worker writes;
- serves ``/metrics``, ``/health`` and ``/ready`` on the process's METRICS_PORT
  (the gateway serves them on its own HTTP port instead);
- watches the eventlet hub (:class:`HubWatch`): a task that holds it (CPU-bound
  work, a call that blocks without yielding) is reported by a log line with its
  stack and by ``continuity_event_loop_blocked_total`` / ``_seconds_total``.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import traceback
import uuid
from functools import partial

import eventlet
import orjson
from eventlet import wsgi
from eventlet.patcher import original
from nameko.extensions import DependencyProvider
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

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


HUB_BLOCKED = Counter(
    "continuity_event_loop_blocked",
    "Times one task held the process's event loop longer than BLOCKED_AFTER seconds",
)
HUB_BLOCKED_SECONDS = Counter(
    "continuity_event_loop_blocked_seconds",
    "Seconds the event loop spent held by one task, in stalls over BLOCKED_AFTER",
)
HUB_LAG = Gauge(
    "continuity_event_loop_lag_seconds",
    "How late the event loop's last heartbeat was: about HUB_TICK when it is free",
)

BLOCKED_AFTER = 1.0  # seconds one task may hold the hub before it is reported
HUB_TICK = 0.1
CHECK_TIMEOUT = 3.0  # seconds a /ready check may take before it counts as failing


class HubWatch:
    """A heartbeat on the hub, and a thread of the operating system that sees it stop.

    Every task of a process shares one eventlet hub: a task that computes for
    seconds, or calls something that blocks without yielding, holds up every
    request, consumer and heartbeat of the process. Only a real thread runs while
    that happens: it notes the stack of what holds the hub; the heartbeat, once it
    runs again, logs the stall with that stack and counts it.
    """

    def __init__(self, blocked_after: float = BLOCKED_AFTER, tick: float = HUB_TICK):
        self.blocked_after, self.tick = blocked_after, tick
        self.beat = time.monotonic()
        self.culprit: str | None = None
        self.last_stall: tuple[float, float] | None = None  # (seconds, ended at)
        self.running = False

    def start(self, spawn) -> None:
        self.running = True
        self.beat = time.monotonic()
        self._hub_thread = original("threading").main_thread().ident
        spawn(self._heartbeat)
        watcher = original("threading").Thread(target=self._watch, daemon=True,
                                               name="hub-watch")
        watcher.start()

    def stop(self) -> None:
        self.running = False

    def _heartbeat(self) -> None:
        while self.running:
            eventlet.sleep(self.tick)
            now = time.monotonic()
            late = now - self.beat - self.tick
            self.beat = now
            HUB_LAG.set(max(late, 0.0))
            if late >= self.blocked_after:
                self.stalled(late, now)

    def stalled(self, seconds: float, now: float) -> None:
        HUB_BLOCKED.inc()
        HUB_BLOCKED_SECONDS.inc(seconds)
        self.last_stall = (seconds, now)
        culprit, self.culprit = self.culprit, None
        logging.getLogger("continuity.hub").warning(
            "the event loop was held for %.1f s by one task; every request and "
            "consumer of the process waited. It was in:\n%s", seconds,
            culprit or "(not seen)")

    def _watch(self) -> None:
        sleep = original("time").sleep
        while self.running:
            sleep(self.tick)
            if (self.culprit is None
                    and time.monotonic() - self.beat > self.blocked_after):
                frame = sys._current_frames().get(self._hub_thread)
                if frame is not None:
                    self.culprit = "".join(traceback.format_stack(frame)[-8:])

    def status(self) -> str:
        if self.last_stall is None:
            return "ok"
        seconds, ended = self.last_stall
        return (f"ok; last held {seconds:.1f} s by one task, "
                f"{time.monotonic() - ended:.0f} s ago")


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
        return orjson.dumps(entry, default=str).decode()


def configure_logging(process_name: str, level: str = "INFO") -> None:
    # what the JSON lines never show is not gathered for every record (the logging
    # module's own switches): under eventlet, the thread's name and the caller's
    # frame were a third of an access line's cost
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging._srcfile = None
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(process_name))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("kombu", "amqp", "nameko.web.server", "sqlalchemy.engine"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def broker_answers(amqp_uri: str) -> None:
    from kombu import Connection

    with Connection(amqp_uri, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1)


def readiness(container) -> tuple[bool, dict]:
    """Ready when the broker answers, the process's consumers are connected to it,
    and every dependency with ready() answers (its database): each within
    CHECK_TIMEOUT, so a server that went silent fails the check rather than hang it.
    The event loop's last stall, if any, is reported, not failed (decision 0049)."""
    from .broker import SteadyQueueConsumer

    checks: dict[str, str] = {}
    ok = True

    def check(name: str, probe, failing: str) -> None:
        nonlocal ok
        try:
            with eventlet.Timeout(CHECK_TIMEOUT):
                probe()
            checks[name] = "ok"
        except (Exception, eventlet.Timeout) as exc:  # noqa: BLE001 - reported
            ok = False
            checks[name] = f"{failing}: {exc.__class__.__name__}"

    check("broker", partial(broker_answers, container.config["AMQP_URI"]),
          "unreachable")
    consumers = [ext for ext in container.subextensions
                 if isinstance(ext, SteadyQueueConsumer)]
    if consumers:
        checks["consumers"] = "ok"
        if not all(consumer.connected for consumer in consumers):
            ok = False
            checks["consumers"] = "reconnecting to the broker"
    for dep in container.dependencies:
        probe = getattr(dep, "ready", None)
        if probe is not None:
            check(dep.attr_name, probe, "failing")
        watch = getattr(dep, "hub_watch", None)
        if watch is not None:
            checks["event_loop"] = watch.status()
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
        self.hub_watch = HubWatch()

    def setup(self) -> None:
        self.service = self.container.service_name
        self.port = int(self.container.config.get("METRICS_PORT") or 0)
        self.host = self.container.config.get("BIND_HOST", "127.0.0.1")

    def start(self) -> None:
        self.hub_watch.start(self.container.spawn_managed_thread)
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
        self.hub_watch.stop()
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
