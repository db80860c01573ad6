"""A throwaway RabbitMQ node of a test's own, which the test may stop and start.

The machine's broker is shared by every test running on it, so a test that breaks the
broker needs one nobody else uses: own node name, own ports, own data under tmp, own
Erlang cookie (HOME), none of the machine's configuration files or plugins.

    with RabbitNode(tmp_path) as node:
        start_platform(tmp_path, node.amqp_uri)
        node.stop()   # the AMQP port refuses connections; open ones are closed
        node.start()  # the same node again, with its durable queues and messages
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

from .ports import free_port, port_open

RABBITMQ_BIN = Path(os.environ.get("RABBITMQ_BIN", "/usr/lib/rabbitmq/bin"))


def available() -> bool:
    """Whether RabbitMQ's scripts are here (tests skip when they are not)."""
    return (RABBITMQ_BIN / "rabbitmq-server").exists() and bool(shutil.which("erl"))


class RabbitNode:
    def __init__(self, base_dir: Path, boot_timeout: float = 60.0):
        self.dir = Path(base_dir) / f"rabbit-{uuid.uuid4().hex[:8]}"
        self.name = f"ct-{uuid.uuid4().hex[:8]}@localhost"
        self.port = free_port()
        self.boot_timeout = boot_timeout
        self.process: subprocess.Popen | None = None

    @property
    def amqp_uri(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    def env(self) -> dict:
        (self.dir / "home").mkdir(parents=True, exist_ok=True)
        for empty in ("rabbitmq-env.conf", "enabled_plugins"):
            (self.dir / empty).touch()
        (self.dir / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\n"
            "loopback_users.guest = true\n"
        )
        # rabbitmqctl's own distribution port is derived from the node's (+10000)
        dist_port = free_port_below(55000)
        return {
            **os.environ,
            "HOME": str(self.dir / "home"),  # own .erlang.cookie
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(dist_port),
            "RABBITMQ_CONF_ENV_FILE": str(self.dir / "rabbitmq-env.conf"),
            "RABBITMQ_CONFIG_FILE": str(self.dir / "rabbitmq"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.dir / "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": str(self.dir / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.dir / "log"),
            "RABBITMQ_PID_FILE": str(self.dir / "node.pid"),
        }

    def boot(self) -> RabbitNode:
        """Start the Erlang node and wait until it accepts AMQP connections."""
        self._env = self.env()
        self.process = subprocess.Popen(
            [str(RABBITMQ_BIN / "rabbitmq-server")], env=self._env,
            stdout=(self.dir / "server.out").open("wb"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait(True)
        return self

    def stop(self) -> float:
        """Stop the broker application: connections close, the port refuses new ones.
        Returns the seconds it took: rabbitmqctl boots an Erlang VM of its own
        first, 0.7 s on a quiet machine, 6 s and more on a busy one."""
        started = time.monotonic()
        self.ctl("stop_app")
        self._wait(False)
        return time.monotonic() - started

    def start(self) -> None:
        self.ctl("start_app")
        self._wait(True)

    def ctl(self, *args: str) -> str:
        done = subprocess.run(
            [str(RABBITMQ_BIN / "rabbitmqctl"), "-n", self.name, *args], env=self._env,
            capture_output=True, text=True, timeout=self.boot_timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"rabbitmqctl {' '.join(args)}: {done.stderr or done.stdout}")
        return done.stdout

    def shutdown(self) -> None:
        """End the node for good and remove its data."""
        if self.process and self.process.poll() is None:
            try:
                self.ctl("shutdown")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _wait(self, up: bool) -> None:
        deadline = time.monotonic() + self.boot_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"RabbitMQ node {self.name} exited:\n{self.output()}")
            if port_open(self.port) == up and (not up or self._serves()):
                return
            time.sleep(0.2)
        raise RuntimeError(f"RabbitMQ node {self.name} not {'up' if up else 'down'} "
                           f"after {self.boot_timeout:.0f} s:\n{self.output()}")

    def _serves(self) -> bool:
        from kombu import Connection

        try:
            with Connection(self.amqp_uri, connect_timeout=2) as conn:
                conn.connect()
            return True
        except Exception:  # noqa: BLE001 - not serving yet, whatever the reason
            return False

    def output(self) -> str:
        path = self.dir / "server.out"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def __enter__(self) -> RabbitNode:
        return self.boot()

    def __exit__(self, *exc) -> None:
        self.shutdown()


def free_port_below(limit: int) -> int:
    """A free port whose +10000 neighbour (rabbitmqctl's) is a valid port too."""
    for _ in range(100):
        port = free_port()
        if port < limit:
            return port
    with socket.socket() as probe:
        for port in range(20000, limit):
            try:
                probe.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port for the node's distribution")
