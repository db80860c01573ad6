"""What operators watch during a surge stays complete as deploy/ changes: every queue
KEDA scales on has its backlog on the dashboard, the alert rules cover the four
things that must wake someone, and every Deployment has a PodDisruptionBudget.

Whether the platform exports each metric queried: tests/e2e/test_startup.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy/k8s"


def documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def dashboard_exprs() -> list[str]:
    dashboard = json.loads(
        (REPO / "deploy/grafana/dashboards/continuity.json").read_text())
    return [target["expr"] for panel in dashboard["panels"]
            for target in panel.get("targets", [])]


def keda_queues() -> set[str]:
    return {trigger["metadata"]["queueName"]
            for path in K8S.rglob("*.yaml") for doc in documents(path)
            if doc.get("kind") == "ScaledObject"
            for trigger in doc["spec"]["triggers"] if trigger["type"] == "rabbitmq"}


def test_the_dashboard_shows_the_backlog_of_every_queue_keda_scales_on():
    queues = keda_queues()
    assert "onboarding-roster-imports" in queues
    # KEDA counts ready and unacknowledged messages (protocol http): the panel too
    shown = {queue for expr in dashboard_exprs()
             if "rabbitmq_queue_messages_ready" in expr
             and "rabbitmq_queue_messages_unacked" in expr
             for selector in re.findall(r'queue=~"([^"]+)"', expr)
             for queue in selector.split("|")}
    assert queues - shown == set()


def alert_rules() -> dict[str, str]:
    rules = yaml.safe_load((REPO / "deploy/prometheus/alerts.yml").read_text())
    return {rule["alert"]: rule["expr"] for group in rules["groups"]
            for rule in group["rules"]}


@pytest.mark.parametrize("metric", [
    "continuity_time_to_active_seconds_bucket",  # time to active
    "rabbitmq_queue_messages_ready",  # backlog
    "continuity_dead_letters_total",  # dead letters
    "continuity_outbox_lag_seconds",  # outbox lag, per service
])
def test_an_alert_rule_watches(metric):
    assert [name for name, expr in alert_rules().items()
            if re.search(rf"\b{metric}\b", expr)]


def workloads_and_budgets(paths: list[Path]) -> tuple[dict, list[dict]]:
    deployments, budgets = {}, []
    for path in paths:
        for doc in documents(path):
            if doc.get("kind") == "Deployment":
                labels = doc["spec"]["template"]["metadata"]["labels"]
                deployments[doc["metadata"]["name"]] = labels
            elif doc.get("kind") == "PodDisruptionBudget":
                budgets.append(doc["spec"]["selector"]["matchLabels"])
    return deployments, budgets


def resources(directory: Path) -> list[Path]:
    """The files a kustomization renders, those of the bases it builds on included
    (patches are not resources)."""
    listed = yaml.safe_load((directory / "kustomization.yaml").read_text())["resources"]
    paths = []
    for name in listed:
        path = (directory / name).resolve()
        paths += resources(path) if path.is_dir() else [path]
    return paths


@pytest.mark.parametrize("overlay", ["base", "overlays/local"])
def test_every_deployment_has_a_disruption_budget(overlay):
    deployments, budgets = workloads_and_budgets(resources(K8S / overlay))
    assert len(deployments) >= 7
    unguarded = [name for name, labels in deployments.items()
                 if not any(selector.items() <= labels.items() for selector in budgets)]
    assert unguarded == []
