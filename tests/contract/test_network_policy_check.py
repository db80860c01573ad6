"""The NetworkPolicy part of deploy/check.sh refuses what would open the cluster.

`test_deploy_files.py` proves the shipped manifests pass; this proves the check would
notice them changed for the worse: the webhooks worker (the one process that connects
where partners choose) given a private range, IPv4 or IPv6, another pod given the
whole internet, a pod left without its default deny.
"""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "deploy" / "k8s" / "base"
_spec = importlib.util.spec_from_file_location("check_manifests",
                                               ROOT / "deploy" / "check_manifests.py")
check_manifests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_manifests)


def base_objects() -> dict[tuple[str, str], dict]:
    """The base's Deployments and NetworkPolicies, labelled as kustomize renders them
    (its `labels` add part-of to every pod template)."""
    index = {}
    for path in sorted(BASE.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if not doc or doc.get("kind") not in ("Deployment", "NetworkPolicy"):
                continue
            if doc["kind"] == "Deployment":
                doc["spec"]["template"]["metadata"].setdefault("labels", {})[
                    "app.kubernetes.io/part-of"] = "continuity"
            index[(doc["kind"], doc["metadata"]["name"])] = doc
    return index


def problems(index: dict) -> list[str]:
    report = check_manifests.Report()
    check_manifests.check_network_policies("k8s[test]", index, report)
    return report.problems


def webhooks_blocks(index: dict) -> dict[str, dict]:
    rule = index[("NetworkPolicy", "webhooks")]["spec"]["egress"][0]
    return {peer["ipBlock"]["cidr"]: peer["ipBlock"] for peer in rule["to"]}


@pytest.fixture
def index():
    objects = base_objects()
    assert {("Deployment", "webhooks"), ("Deployment", "gateway")} <= set(objects)
    return objects


def test_the_shipped_policies_pass(index):
    assert problems(index) == []


@pytest.mark.parametrize("cidr, private", [
    ("0.0.0.0/0", "10.0.0.0/8"),        # the cluster's pods and services
    ("0.0.0.0/0", "169.254.0.0/16"),    # the cloud's metadata address
    ("::/0", "fc00::/7"),               # IPv6 unique local: a dual-stack cluster's
    ("::/0", "fe80::/10"),              # IPv6 link-local
])
def test_the_webhooks_worker_given_a_private_range_fails(index, cidr, private):
    webhooks_blocks(index)[cidr]["except"].remove(private)
    [problem] = problems(index)
    assert "webhooks" in problem and private in problem


def test_another_pod_given_the_whole_internet_fails(index):
    gateway = index[("NetworkPolicy", "gateway")]["spec"]
    gateway["egress"].append(copy.deepcopy(
        index[("NetworkPolicy", "webhooks")]["spec"]["egress"][0]))
    found = problems(index)
    assert found and all("gateway" in p for p in found)
    assert any("only the webhooks worker may reach any address" in p for p in found)


def test_a_new_process_without_policies_fails(index):
    newcomer = copy.deepcopy(index[("Deployment", "catalog")])
    newcomer["metadata"]["name"] = "reports"
    newcomer["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"] = \
        "reports"
    index[("Deployment", "reports")] = newcomer
    [problem] = problems(index)
    assert "Deployment/reports" in problem
    assert "denies its traffic by default" in problem
