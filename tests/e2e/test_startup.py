"""Starting and stopping: what an operator sees when the broker is missing; ops ports"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time

import jwt
import pytest
import requests
import yaml

from tests.support.platform import REPO, free_port_block, start_platform, stop_platform

pytestmark = pytest.mark.e2e

NOWHERE = "amqp://guest:guest@127.0.0.1:1/"  # nothing listens on port 1


@pytest.mark.parametrize("command", [
    ["services.common.launcher"],
    *[["services.common.runner", name]
      for name in ("catalog", "onboarding", "licensing", "tracking", "lrs",
                   "gateway", "webhooks")],
])
def test_a_missing_broker_is_named_with_a_way_out_within_15_seconds(command, tmp_path):
    result = subprocess.run(  # TimeoutExpired: it kept trying instead of saying so
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True,
        timeout=15, env={**os.environ, "AMQP_URI": NOWHERE, "VAR_DIR": str(tmp_path),
                         "CONTINUITY_ENV": "development"},
    )
    assert result.returncode != 0
    assert "cannot reach RabbitMQ at amqp://guest:**@127.0.0.1:1/" in result.stderr
    assert "rabbitmq-server -detached" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_every_process_serves_metrics_health_and_readiness(tmp_path, rabbit_config):
    platform = start_platform(tmp_path, rabbit_config["AMQP_URI"])
    try:
        base = int(platform.url.rsplit(":", 1)[1])
        ports = {"gateway": base, "catalog": base + 1, "onboarding": base + 2,
                 "licensing": base + 3, "tracking": base + 4, "webhooks": base + 5,
                 "lrs": base + 6}
        exposed: set[str] = set()
        pages = []
        for name, port in ports.items():
            ops = f"http://127.0.0.1:{port}"
            assert requests.get(f"{ops}/health", timeout=5).status_code == 200, name
            ready = requests.get(f"{ops}/ready", timeout=5)
            assert ready.status_code == 200, (name, ready.text)
            assert ready.json()["checks"]["broker"] == "ok"
            metrics = requests.get(f"{ops}/metrics", timeout=5).text
            assert "continuity_entrypoint_duration_seconds" in metrics, name
            exposed |= series_names(metrics)
            pages.append(metrics)
            # bound to 127.0.0.1 like the gateway: another address of this host (the
            # whole 127/8 is loopback) finds nothing listening
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.2", port), timeout=5).close()
        assert "continuity_outbox_pending" in requests.get(
            f"http://127.0.0.1:{ports['catalog']}/metrics", timeout=5).text
        # what the dashboard draws and the alerts watch is what the processes export
        assert queried_metrics() - exposed == set()
        # the outbox lag, alerted on, is a gauge of each service that has an outbox
        lagging = set(re.findall(
            r'^continuity_outbox_lag_seconds\{service="(\w+)"\}', "\n".join(pages),
            re.MULTILINE))
        assert {"catalog", "onboarding", "licensing", "tracking"} <= lagging
    finally:
        assert stop_platform(platform) == 0


SUFFIXES = {"counter": ("", "_total"), "gauge": ("",),
            "histogram": ("_bucket", "_sum", "_count", "_created"),
            "summary": ("", "_sum", "_count", "_created"), "info": ("_info",)}


def series_names(exposition: str) -> set[str]:
    """Every series name a /metrics page can carry, from its TYPE lines (a labelled
    metric with no sample yet still has one)."""
    names = set()
    for family, kind in re.findall(r"^# TYPE (\S+) (\S+)$", exposition, re.MULTILINE):
        names |= {family + suffix for suffix in SUFFIXES.get(kind, ("",))}
    return names


def queried_metrics() -> set[str]:
    dashboard = json.loads((REPO / "deploy/grafana/dashboards/continuity.json")
                           .read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    alerts = yaml.safe_load((REPO / "deploy/prometheus/alerts.yml").read_text())
    exprs += [r["expr"] for g in alerts["groups"] for r in g["rules"]]
    return {name for expr in exprs for name in re.findall(r"\bcontinuity_\w+", expr)}


def test_a_port_in_use_stops_the_launcher_with_the_reason(tmp_path, rabbit_config):
    base = free_port_block()
    with socket.socket() as busy:  # tracking's ops port is taken by someone else
        busy.bind(("0.0.0.0", base + 4))
        busy.listen()
        result = subprocess.run(
            [sys.executable, "-m", "services.common.launcher", "--ready-timeout", "20"],
            cwd=REPO, capture_output=True, text=True, timeout=60,
            env={**os.environ, "AMQP_URI": rabbit_config["AMQP_URI"],
                 "VAR_DIR": str(tmp_path), "GATEWAY_PORT": str(base),
                 "METRICS_PORT_BASE": str(base), "CONTINUITY_ENV": "development"},
        )
    assert result.returncode == 1
    assert "tracking exited" in result.stderr


def without_secrets(**extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("TOKEN_SECRET", "OPERATOR_EMAIL", "OPERATOR_PASSWORD",
                        "CONTINUITY_ENV")}
    return {**env, **extra}


@pytest.mark.parametrize("command", [["services.common.launcher"],
                                     ["services.common.runner", "gateway"]])
@pytest.mark.parametrize("settings, named", [
    ({}, "TOKEN_SECRET must be set"),
    ({"TOKEN_SECRET": "short"}, "TOKEN_SECRET must be set"),
    ({"TOKEN_SECRET": "s" * 40, "OPERATOR_EMAIL": "ops@x.org"}, "OPERATOR_PASSWORD"),
    ({"TOKEN_SECRET": "s" * 40, "OPERATOR_EMAIL": "ops@x.org",
      "OPERATOR_PASSWORD": "short"}, "OPERATOR_PASSWORD"),
    ({"TOKEN_SECRET": "s" * 40}, "RATE_LIMIT_STORAGE must name the store"),
])
def test_outside_development_nothing_starts_on_a_default_or_weak_secret(
        command, settings, named, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True,
        timeout=30, env=without_secrets(VAR_DIR=str(tmp_path), AMQP_URI=NOWHERE,
                                        **settings),
    )
    assert result.returncode == 6, result.stderr
    assert named in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "development-secrets.json").exists()


def test_development_mode_makes_a_secret_and_an_operator_password_once(
        tmp_path, rabbit_config):
    """No constant opens the platform: the secret and the operator password are made
    on this machine, printed at start, and the same after a restart."""
    unset = {"TOKEN_SECRET": None, "OPERATOR_EMAIL": None, "OPERATOR_PASSWORD": None,
             "CONTINUITY_ENV": "development"}
    old_secret = "dev-only-secret-set-TOKEN_SECRET-in-production"
    platform = start_platform(tmp_path, rabbit_config["AMQP_URI"], extra_env=unset)
    try:
        shown = re.search(r"operator login  (\S+) / (\S+)", platform.log())
        assert shown, platform.log()[-2000:]
        email, password = shown.groups()
        for wrong in ("continuity-operator", "operator-password-change-me"):
            refused = platform.api("POST", "/api/v1/auth/token",
                                   json={"email": email, "password": wrong})
            assert refused.status_code == 401
        forged = jwt.encode(
            {"sub": "x", "role": "operator", "inst": None, "aud": "continuity-api",
             "iss": "continuity-gateway", "iat": int(time.time()),
             "exp": int(time.time()) + 600}, old_secret, algorithm="HS256")
        assert platform.api("GET", "/api/v1/me", forged).status_code == 401
        login = platform.api("POST", "/api/v1/auth/token",
                             json={"email": email, "password": password})
        assert login.status_code == 200 and login.json()["role"] == "operator"
        token = login.json()["access_token"]
    finally:
        assert stop_platform(platform) == 0
    kept = json.loads((tmp_path / "var" / "development-secrets.json").read_text())
    assert kept["OPERATOR_PASSWORD"] == password and len(kept["TOKEN_SECRET"]) >= 32
    assert (tmp_path / "var" / "development-secrets.json").stat().st_mode & 0o077 == 0

    again = start_platform(tmp_path, rabbit_config["AMQP_URI"], extra_env=unset)
    try:
        assert f"operator login  {email} / {password}" in again.log()
        assert again.api("GET", "/api/v1/me", token).status_code == 200
    finally:
        assert stop_platform(again) == 0
