"""Start the real platform the way ``make run`` does, on free ports, for a test."""

from __future__ import annotations

import email
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]


def ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port_block(size: int = 60) -> int:
    """A base port whose next ``size`` ports are free, below the ephemeral range.

    Outgoing connections (to the database, the broker) take ephemeral ports at any
    moment, so a block picked there could be taken before the platform binds it.
    """
    low, _ = ephemeral_range()
    for _ in range(200):
        base = random.randrange(12000, max(12001, low - size))
        try:
            for port in range(base, base + size):
                with socket.socket() as probe:
                    probe.bind(("0.0.0.0", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no free block of ports")


@dataclass
class Platform:
    url: str
    var_dir: Path
    process: subprocess.Popen
    log_path: Path
    http: requests.Session = field(default_factory=requests.Session)
    env: dict = field(default_factory=dict)  # what its processes were started with

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    def api(self, method: str, path: str, token: str | None = None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    relay: object | None = None  # the SMTP relay it sends through (tests.support.smtp)

    def mails_to(self, address: str) -> list[email.message.EmailMessage]:
        if self.relay is not None:
            to = f"To: {address}\r\n".encode()
            sent = [m for m in self.relay.messages if to in m]
        else:
            sent = [p.read_bytes()
                    for p in sorted(self.mail_dir.glob(f"{address}--*.eml"))]
        return [email.message_from_bytes(m, policy=policy.default) for m in sent]

    def invitation_token(self, address: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.mails_to(address):
                body = message.get_body(("plain",)).get_content()
                match = re.search(r"/invitations/([A-Za-z0-9_-]+)", body)
                if match:
                    return match.group(1)
            time.sleep(0.2)
        raise AssertionError(f"no invitation e-mail for {address} in {self.mail_dir}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def child_pid(self, name: str) -> int:
        """The launcher's child that runs ``name``."""
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid), "-f",
             f"services.common.runner {name}"], capture_output=True, text=True,
            check=True)
        return int(found.stdout.split()[0])


def start_platform(
    tmp_path: Path, amqp_uri: str, database_url: str | None = None,
    scale: list[str] = (), extra_env: dict | None = None,
) -> Platform:
    base = free_port_block()
    gateway_port = base
    env = {
        **os.environ,
        "AMQP_URI": amqp_uri,
        "VAR_DIR": str(tmp_path / "var"),
        "GATEWAY_PORT": str(gateway_port),
        "METRICS_PORT_BASE": str(base),
        "PUBLIC_URL": f"http://127.0.0.1:{gateway_port}",
        "OPERATOR_EMAIL": "ops@continuity.test",
        "OPERATOR_PASSWORD": "operator-secret-1",
        "TOKEN_SECRET": "test-secret-" + os.urandom(24).hex(),
        "OUTBOX_POLL_SECONDS": "0.5",
        # limits shared by every gateway process of this platform, and of no other
        "RATE_LIMIT_STORAGE": "redis://127.0.0.1:6379/0",
        "RATE_LIMIT_PREFIX": f"ct-{base}-{os.urandom(4).hex()}",
        **(extra_env or {}),
    }
    env = {name: value for name, value in env.items() if value is not None}  # None: unset
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    log_path = tmp_path / "platform.log"
    args = [sys.executable, "-m", "services.common.launcher"]
    for s in scale:
        args += ["--scale", s]
    process = subprocess.Popen(
        args, cwd=REPO, env=env, stdout=log_path.open("wb"), stderr=subprocess.STDOUT,
    )
    platform = Platform(f"http://127.0.0.1:{gateway_port}", tmp_path / "var", process,
                        log_path, env=env)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("platform exited early:\n" + platform.log()[-5000:])
        if "Continuity is running" in platform.log():
            return platform
        time.sleep(0.3)
    stop_platform(platform)
    raise AssertionError("platform not ready in 90 s:\n" + platform.log()[-5000:])


def start_gateway(platform: Platform, port: int, log_path: Path,
                  extra_env: dict | None = None) -> subprocess.Popen:
    """One more gateway process of a running platform (same broker, database and
    limit store), on ``port``: what a second pod behind the Ingress is."""
    env = {**platform.env, "GATEWAY_PORT": str(port), **(extra_env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "services.common.runner", "gateway"], cwd=REPO, env=env,
        stdout=log_path.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("gateway exited early:\n" + log_path.read_text()[-3000:])
        try:
            if requests.get(f"http://127.0.0.1:{port}/ready", timeout=2).ok:
                return process
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    process.kill()
    raise AssertionError("gateway not ready in 60 s:\n" + log_path.read_text()[-3000:])


def stop_platform(platform: Platform, timeout: float = 30) -> int:
    if platform.process.poll() is None:
        platform.process.send_signal(signal.SIGINT)
        try:
            platform.process.wait(timeout)
        except subprocess.TimeoutExpired:
            platform.process.kill()
            platform.process.wait()
    return platform.process.returncode
