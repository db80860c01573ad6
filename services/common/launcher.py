"""``continuity-run``: the whole platform on this machine, stopped cleanly by Ctrl-C.

Starts every registered process type (pyproject.toml's ``continuity.processes``), each
as its own process, waiting for each to be ready: the HTTP front last, once what it
calls answers. No event depends on the order of the others: each producer declares
its consumers' queues before it publishes (services/common/topology.py).

A process that dies once running is started again, as a supervisor would (one that
dies must not take the platform down with it); one that keeps dying (RESTARTS times
within RESTART_WINDOW) stops everything, and the exit code says so.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

from .config import DEFAULT_AMQP_URI, OPS_PORT_BASE, load_config
from .credentials import ConfigError, operator_line
from .registry import facts, process_names
from .runner import BROKER_HELP, EXIT_CONFIG, broker_problem, redact

RESTARTS = 5  # of one process within RESTART_WINDOW seconds, before giving up
RESTART_WINDOW = 600.0


@dataclass
class Child:
    name: str
    port: int
    process: subprocess.Popen


class Restarts:
    """When each process was started again: a budget per process, and a wait that
    doubles with each recent restart (1 s, 2 s, 4 s …), so a process that cannot run
    (a port taken, a database missing) does not flap forever."""

    def __init__(self, budget: int = RESTARTS, window: float = RESTART_WINDOW):
        self.budget, self.window = budget, window
        self.times: dict[str, list[float]] = {}

    def delay(self, name: str, now: float) -> float | None:
        """Seconds to wait before starting ``name`` again; None once over budget."""
        recent = [t for t in self.times.get(name, []) if now - t < self.window]
        self.times[name] = recent
        if len(recent) >= self.budget:
            return None
        recent.append(now)
        return float(2 ** (len(recent) - 1))


def port_of(name: str, copy: int, base: int) -> int:
    """The ops port compose and Kubernetes give the process, moved with ``base``;
    a second copy adds 10."""
    return base + facts(name).ops_port - OPS_PORT_BASE + 10 * copy


def back_processes() -> list[str]:
    """What the launcher starts first, each in as many copies as asked: all but
    the HTTP front."""
    return [name for name in process_names() if not facts(name).front]


def front_process() -> str:
    """The HTTP front, started last on GATEWAY_PORT."""
    fronts = [name for name in process_names() if facts(name).front]
    if len(fronts) != 1:
        raise RuntimeError(f"one process type must be the HTTP front, not {fronts}")
    return fronts[0]


def wait_ready(child: Child, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{child.port}/ready"
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            raise RuntimeError(f"{child.name} exited with code {child.process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{child.name} was not ready after {timeout:.0f} s ({url})")


def start(name: str, port: int, env: dict) -> Child:
    child_env = dict(env)
    if facts(name).front:
        child_env["GATEWAY_PORT"] = str(port)
    else:
        child_env["METRICS_PORT"] = str(port)
    process = subprocess.Popen(
        [sys.executable, "-m", "services.common.runner", name], env=child_env,
        # Ctrl-C reaches the launcher alone, which stops each child once (a child that
        # also got the terminal's SIGINT would be stopped twice, with a traceback)...
        start_new_session=True,
        preexec_fn=die_with_parent,
    )
    return Child(name, port, process)


def die_with_parent() -> None:
    """...and a child still ends if the launcher itself is killed (Linux)."""
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1  # noqa: N806 - the kernel's name
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:  # not Linux: the launcher's own stop_all is what there is
        pass


def stop_all(children: list[Child], grace: float = 15.0) -> None:
    for child in reversed(children):
        if child.process.poll() is None:
            child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for child in children:
        remaining = max(0.1, deadline - time.monotonic())
        try:
            child.process.wait(remaining)
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()


def parse_scale(values: list[str]) -> dict[str, int]:
    scale = {}
    for value in values:
        name, _, count = value.partition("=")
        backs = back_processes()
        if name not in backs or not count.isdigit() or int(count) < 1:
            raise SystemExit(
                f"--scale expects SERVICE=N with SERVICE in {', '.join(backs)}")
        scale[name] = int(count)
    return scale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="continuity-run", description=__doc__)
    parser.add_argument("--scale", action="append", default=[],
                        help="run N copies of a service, e.g. --scale onboarding=2")
    parser.add_argument("--ready-timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    scale = parse_scale(args.scale)

    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    env["CONTINUITY_LAUNCHED"] = "1"  # the banner below shows the operator login
    try:  # one clear line now, rather than a gateway that exits after the rest started
        front = front_process()
        gateway_config = load_config(front, env)
    except ConfigError as exc:
        print(f"continuity: {exc}.", file=sys.stderr)
        return EXIT_CONFIG
    amqp_uri = env.get("AMQP_URI", DEFAULT_AMQP_URI)
    problem = broker_problem(amqp_uri)
    if problem:
        print(f"continuity: cannot reach RabbitMQ at {redact(amqp_uri)} ({problem}). "
              f"{BROKER_HELP}", file=sys.stderr)
        return 3

    gateway_port = int(env.get("GATEWAY_PORT", "8000"))
    base = int(env.get("METRICS_PORT_BASE", str(OPS_PORT_BASE)))
    children: list[Child] = []
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        for name in back_processes():
            group = [start(name, port_of(name, copy, base), env)
                     for copy in range(scale.get(name, 1))]
            children += group
            for child in group:
                wait_ready(child, args.ready_timeout)
        gateway = start(front, gateway_port, env)
        children.append(gateway)
        wait_ready(gateway, args.ready_timeout)
    except RuntimeError as exc:
        print(f"continuity: {exc}; stopping.", file=sys.stderr)
        stop_all(children)
        return 1

    host = env.get("PUBLIC_URL", f"http://127.0.0.1:{gateway_port}")
    print(
        f"\nContinuity is running at {host}\n"
        f"  API docs        {host}/api/docs\n"
        f"  {operator_line(env, gateway_config)}\n"
        f"  e-mails         {gateway_config['MAIL_DIR']}/\n"
        f"Press Ctrl-C to stop.\n",
        flush=True,
    )
    exit_code = 0
    restarts = Restarts()
    while not stopping and not exit_code:
        for n, child in enumerate(children):
            if child.process.poll() is None:
                continue
            code = child.process.returncode
            delay = restarts.delay(child.name, time.monotonic())
            if delay is None:
                print(f"continuity: {child.name} stopped (exit code {code}) "
                      f"{RESTARTS} times in {RESTART_WINDOW:.0f} s; stopping "
                      "everything.",
                      file=sys.stderr, flush=True)
                exit_code = 1
                break
            print(f"continuity: {child.name} stopped (exit code {code}); starting it "
                  f"again in {delay:.0f} s.", file=sys.stderr, flush=True)
            deadline = time.monotonic() + delay
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.1)
            if not stopping:
                children[n] = start(child.name, child.port, env)
        time.sleep(0.3)
    stop_all(children)
    print("continuity: stopped.", flush=True)
    return exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
