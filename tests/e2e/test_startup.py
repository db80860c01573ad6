"""Starting and stopping: what an operator sees when the broker is missing, and ops ports."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests

from tests.support.platform import REPO, free_port_block, start_platform, stop_platform

pytestmark = pytest.mark.e2e

NOWHERE = "amqp://guest:guest@127.0.0.1:1/"  # nothing listens on port 1


@pytest.mark.parametrize("command", [
    ["services.common.launcher"],
    *[["services.common.runner", name]
      for name in ("catalog", "onboarding", "licensing", "tracking", "gateway",
                   "webhooks")],
])
def test_a_missing_broker_is_named_with_a_way_out_within_15_seconds(command, tmp_path):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True,
        timeout=30, env={**os.environ, "AMQP_URI": NOWHERE, "VAR_DIR": str(tmp_path)},
    )
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    assert elapsed < 15
    assert "cannot reach RabbitMQ at amqp://guest:**@127.0.0.1:1/" in result.stderr
    assert "rabbitmq-server -detached" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_every_process_serves_metrics_health_and_readiness(tmp_path, rabbit_config):
    platform = start_platform(tmp_path, rabbit_config["AMQP_URI"])
    try:
        base = int(platform.url.rsplit(":", 1)[1])
        ports = {"gateway": base, "tracking": base + 1, "licensing": base + 2,
                 "onboarding": base + 3, "webhooks": base + 4, "catalog": base + 5}
        for name, port in ports.items():
            ops = f"http://127.0.0.1:{port}"
            assert requests.get(f"{ops}/health", timeout=5).status_code == 200, name
            ready = requests.get(f"{ops}/ready", timeout=5)
            assert ready.status_code == 200, (name, ready.text)
            assert ready.json()["checks"]["broker"] == "ok"
            metrics = requests.get(f"{ops}/metrics", timeout=5).text
            assert "continuity_entrypoint_duration_seconds" in metrics, name
        assert "continuity_outbox_pending" in requests.get(
            f"http://127.0.0.1:{ports['catalog']}/metrics", timeout=5).text
    finally:
        assert stop_platform(platform) == 0


def test_a_port_in_use_stops_the_launcher_with_the_reason(tmp_path, rabbit_config):
    import socket

    base = free_port_block()
    with socket.socket() as busy:  # tracking's ops port is taken by someone else
        busy.bind(("0.0.0.0", base + 1))
        busy.listen()
        result = subprocess.run(
            [sys.executable, "-m", "services.common.launcher", "--ready-timeout", "20"],
            cwd=REPO, capture_output=True, text=True, timeout=60,
            env={**os.environ, "AMQP_URI": rabbit_config["AMQP_URI"],
                 "VAR_DIR": str(tmp_path), "GATEWAY_PORT": str(base),
                 "METRICS_PORT_BASE": str(base)},
        )
    assert result.returncode == 1
    assert "tracking exited" in result.stderr
