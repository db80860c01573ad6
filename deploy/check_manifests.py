"""Offline consistency checks for Continuity's deployment files (deploy/check.sh).

Needs only PyYAML. What it checks, beyond "every YAML/JSON document parses":

* Kubernetes (rendered kustomize output, one file per overlay): every workload's
  probes and prometheus.io/port point at a declared container port, selectors
  match their pod templates, every container has requests and limits, every
  reference (ConfigMap, Secret and key, Service, scale target, operator cluster)
  names an object in the same output, autoscaled Deployments declare no replicas,
  and the example Secrets' URIs agree with the accounts the operators create.
* docker compose: depends_on targets, bind-mount sources and Dockerfile paths
  exist; every process's METRICS_PORT is what Prometheus scrapes.
* Grafana: every panel has a PromQL expression and the dashboard's metric names
  are the ones the application exports.
* Dockerfile: the contract (python:3.11.<patch>-slim, requirements/runtime.lock
  installed with --require-hashes, ARG SERVICE baked into ENV SERVICE, non-root final
  USER, CMD continuity-service).
* Images: every engine's image (compose, Kubernetes) names its full version.
* NetworkPolicies: every Continuity pod denied by default, allowed narrowly.
* Dead letters (RabbitMQ): compose's definitions and the Kubernetes resources
  declare the dead-letter exchange, its quorum queue and binding, and a policy on
  the event queues whose delivery limit and dead-letter exchange are the ones the
  processes declare (services/common/topology.py).

Usage: check_manifests.py --root REPO [--rendered NAME=FILE ...]
Exit status 1 if any check fails; one line per problem on stdout.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

PROCESS_PORTS = {
    "catalog": 9101,
    "onboarding": 9102,
    "licensing": 9103,
    "tracking": 9104,
    "lrs": 9106,
    "gateway": 8000,
    "webhooks": 9105,
}
# Processes that are another process type of a service and use its database
# (services/common/config.py SHARES_DATABASE_OF): no database of their own.
SHARES_DATABASE_OF = {"webhooks": "gateway"}
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet"}
# Metric names the dashboard may use (application contract plus RabbitMQ's plugin).
KNOWN_METRIC_PREFIXES = (
    "continuity_http_requests_total",
    "continuity_http_request_duration_seconds",
    "continuity_entrypoint_duration_seconds",
    "continuity_outbox_lag_seconds",
    "continuity_outbox_pending",
    "continuity_outbox_published_total",
    "continuity_applications_total",
    "continuity_time_to_active_seconds",
    "continuity_seats_assigned_total",
    "continuity_seats_waitlisted_total",
    "continuity_roster_rows_total",
    "continuity_progress_accepted_total",
    "continuity_statements_mapped_total",
    "continuity_webhook_deliveries_total",
    "continuity_webhook_attempts_total",
    "continuity_webhook_endpoints_disabled_total",
    "continuity_webhook_delivery_lag_seconds",
    "continuity_webhook_deliveries_due",
    "continuity_dead_letters_total",
    "continuity_event_loop_",
    "rabbitmq_",
)


class Report:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.checked = 0

    def check(self, ok: bool, where: str, message: str) -> bool:
        self.checked += 1
        if not ok:
            self.problems.append(f"{where}: {message}")
        return ok


# --------------------------------------------------------------------- parsing --


def parse_all(root: Path, report: Report) -> None:
    """Every YAML and JSON file we own must parse."""
    files = [root / "docker-compose.yml"]
    files += sorted(p for p in (root / "deploy").rglob("*") if p.is_file())
    for path in files:
        rel = path.relative_to(root)
        if path.suffix in (".yml", ".yaml"):
            try:
                docs = [
                    d for d in yaml.safe_load_all(path.read_text()) if d is not None
                ]
                report.check(bool(docs), str(rel), "no YAML document")
            except yaml.YAMLError as exc:
                report.check(False, str(rel), f"YAML does not parse: {exc}")
        elif path.suffix == ".json":
            try:
                json.loads(path.read_text())
                report.check(True, str(rel), "")
            except ValueError as exc:
                report.check(False, str(rel), f"JSON does not parse: {exc}")


# ------------------------------------------------------------------ kubernetes --


def key(obj: dict) -> tuple[str, str]:
    return obj.get("kind", "?"), obj.get("metadata", {}).get("name", "?")


def label_match(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def container_ports(container: dict) -> tuple[set[str], set[int]]:
    names, numbers = set(), set()
    for port in container.get("ports") or []:
        numbers.add(int(port["containerPort"]))
        if "name" in port:
            names.add(port["name"])
    return names, numbers


def port_declared(port, names: set[str], numbers: set[int]) -> bool:
    if isinstance(port, int) or (isinstance(port, str) and port.isdigit()):
        return int(port) in numbers
    return port in names


def check_rendered(name: str, docs: list[dict], report: Report) -> None:
    where = f"k8s[{name}]"
    index: dict[tuple[str, str], dict] = {}
    for doc in docs:
        ok = all(doc.get(f) for f in ("apiVersion", "kind")) and doc.get(
            "metadata", {}
        ).get("name")
        report.check(
            bool(ok), where, f"object without apiVersion/kind/name: {doc!r:.80}"
        )
        report.check(key(doc) not in index, where, f"duplicate {key(doc)}")
        index[key(doc)] = doc

    def exists(kind: str, obj_name: str) -> bool:
        return (kind, obj_name) in index

    secrets = {
        n: {**(o.get("data") or {}), **(o.get("stringData") or {})}
        for (k, n), o in index.items()
        if k == "Secret"
    }
    # Targets of an autoscaler must not pin replicas (every apply would reset them).
    autoscaled = {
        o["spec"]["scaleTargetRef"]["name"]
        for (k, _), o in index.items()
        if k in ("HorizontalPodAutoscaler", "ScaledObject")
    }

    for (kind, obj_name), obj in sorted(index.items()):
        w = f"{where} {kind}/{obj_name}"
        spec = obj.get("spec") or {}

        # (its own test, not a branch below: a Cluster has more to check there)
        if kind in ("RabbitmqCluster", "Cluster") and (
                spec.get("image") or spec.get("imageName")):
            image = spec.get("image") or spec.get("imageName")
            report.check(image_pinned(image), w,
                         f"image {image!r} is not pinned to a full version")

        if kind in WORKLOAD_KINDS:
            template = spec.get("template", {})
            labels = template.get("metadata", {}).get("labels", {})
            report.check(
                kind != "Deployment"
                or labels.get("app.kubernetes.io/part-of") != "continuity"
                or any(
                    label_match(o["spec"].get("selector", {}).get("matchLabels", {}),
                                labels)
                    for (k, _), o in index.items() if k == "PodDisruptionBudget"),
                w,
                "no PodDisruptionBudget covers its pods: a drain may stop them all",
            )
            report.check(
                label_match(spec.get("selector", {}).get("matchLabels", {}), labels),
                w,
                "selector.matchLabels does not match the pod template labels",
            )
            if obj_name in autoscaled:
                report.check(
                    "replicas" not in spec,
                    w,
                    "autoscaled, so it must not declare spec.replicas",
                )
            pod = template.get("spec", {})
            for c in pod.get("containers", []) + pod.get("initContainers", []):
                report.check(image_pinned(c.get("image", "")), w,
                             f"image {c.get('image')!r} is not pinned to a "
                             "full version")
            all_names: set[str] = set()
            all_numbers: set[int] = set()
            for c in pod.get("containers", []):
                cw = f"{w} container {c.get('name')}"
                names, numbers = container_ports(c)
                all_names |= names
                all_numbers |= numbers
                for probe_kind in ("readinessProbe", "livenessProbe", "startupProbe"):
                    probe = c.get(probe_kind)
                    if not probe:
                        continue
                    handler = (
                        probe.get("httpGet")
                        or probe.get("tcpSocket")
                        or probe.get("grpc")
                    )
                    if handler and "port" in handler:
                        report.check(
                            port_declared(handler["port"], names, numbers),
                            cw,
                            f"{probe_kind} port {handler['port']!r} is not one of its "
                            f"container ports {sorted(names) + sorted(numbers)}",
                        )
                resources = c.get("resources") or {}
                for part in ("requests", "limits"):
                    report.check(
                        {"cpu", "memory"} <= set(resources.get(part) or {}),
                        cw,
                        f"resources.{part} must set cpu and memory",
                    )
                for ref in c.get("envFrom") or []:
                    if "configMapRef" in ref:
                        report.check(
                            exists("ConfigMap", ref["configMapRef"]["name"]),
                            cw,
                            f"ConfigMap {ref['configMapRef']['name']} not defined",
                        )
                    if "secretRef" in ref:
                        report.check(
                            exists("Secret", ref["secretRef"]["name"]),
                            cw,
                            f"Secret {ref['secretRef']['name']} not defined",
                        )
                env = {e["name"]: e.get("value") for e in c.get("env") or []}
                if "METRICS_PORT" in env:
                    report.check(
                        int(env["METRICS_PORT"]) in numbers,
                        cw,
                        f"METRICS_PORT={env['METRICS_PORT']} is not a container port",
                    )
                if labels.get("app.kubernetes.io/name") in PROCESSES:
                    # The application's own processes: both probes, and on the
                    # port the process really serves them on.
                    process = labels.get("app.kubernetes.io/name")
                    for probe_kind, path in (
                        ("readinessProbe", "/ready"),
                        ("livenessProbe", "/health"),
                    ):
                        probe = c.get(probe_kind) or {}
                        http = probe.get("httpGet") or {}
                        report.check(
                            http.get("path") == path,
                            cw,
                            f"{probe_kind} must GET {path}",
                        )
                    if process in PROCESS_PORTS:
                        report.check(
                            PROCESS_PORTS[process] in numbers,
                            cw,
                            f"{process} serves its ops endpoints on "
                            f"{PROCESS_PORTS[process]}, which is not a container port",
                        )
            annotations = template.get("metadata", {}).get("annotations") or {}
            if annotations.get("prometheus.io/scrape") == "true":
                report.check(
                    port_declared(
                        annotations.get("prometheus.io/port", ""),
                        all_names,
                        all_numbers,
                    ),
                    w,
                    "prometheus.io/port is not a container port",
                )

        elif kind == "Service" and spec.get("selector"):
            pods = [
                o
                for (k, _), o in index.items()
                if k in WORKLOAD_KINDS
                and label_match(
                    spec["selector"],
                    o["spec"]["template"]["metadata"].get("labels", {}),
                )
            ]
            if report.check(bool(pods), w, "selector matches no workload"):
                for port in spec.get("ports", []):
                    target = port.get("targetPort", port.get("port"))
                    ok = any(
                        port_declared(target, *container_ports(c))
                        for o in pods
                        for c in o["spec"]["template"]["spec"]["containers"]
                    )
                    report.check(
                        ok, w, f"targetPort {target!r} not exposed by its pods"
                    )

        elif kind == "Ingress":
            for rule in spec.get("rules", []):
                for path in rule.get("http", {}).get("paths", []):
                    svc = path["backend"]["service"]
                    target = index.get(("Service", svc["name"]))
                    if report.check(
                        target is not None, w, f"Service {svc['name']} not defined"
                    ):
                        port = svc.get("port", {})
                        ports = target["spec"].get("ports", [])
                        ok = (
                            any(p.get("name") == port.get("name") for p in ports)
                            if "name" in port
                            else any(p.get("port") == port.get("number") for p in ports)
                        )
                        report.check(ok, w, f"Service {svc['name']} has no port {port}")

        elif kind == "PodDisruptionBudget":
            sel = spec.get("selector", {}).get("matchLabels", {})
            report.check(
                any(
                    label_match(
                        sel, o["spec"]["template"]["metadata"].get("labels", {})
                    )
                    for (k, _), o in index.items()
                    if k in WORKLOAD_KINDS
                ),
                w,
                "selector matches no workload",
            )
            report.check(
                ("minAvailable" in spec) != ("maxUnavailable" in spec),
                w,
                "set exactly one of minAvailable / maxUnavailable",
            )

        elif kind in ("HorizontalPodAutoscaler", "ScaledObject"):
            target = spec.get("scaleTargetRef", {})
            report.check(
                exists(target.get("kind", "Deployment"), target.get("name", "")),
                w,
                f"scale target {target} not defined",
            )
            if kind == "ScaledObject":
                lo, hi = (
                    spec.get("minReplicaCount", 0),
                    spec.get("maxReplicaCount", 100),
                )
                report.check(0 <= lo <= hi, w, "minReplicaCount > maxReplicaCount")
                for trig in spec.get("triggers", []):
                    auth = (trig.get("authenticationRef") or {}).get("name")
                    if auth:
                        report.check(
                            exists("TriggerAuthentication", auth),
                            w,
                            f"TriggerAuthentication {auth} not defined",
                        )
                    if trig.get("type") == "rabbitmq":
                        md = trig.get("metadata", {})
                        report.check(
                            bool(md.get("queueName")),
                            w,
                            "rabbitmq trigger without queueName",
                        )
                        report.check(
                            md.get("mode") in ("QueueLength", "MessageRate"),
                            w,
                            "rabbitmq trigger mode must be QueueLength or MessageRate",
                        )
            else:
                report.check(
                    spec.get("minReplicas", 1) <= spec.get("maxReplicas", 0),
                    w,
                    "minReplicas > maxReplicas",
                )

        elif kind == "TriggerAuthentication":
            for ref in spec.get("secretTargetRef", []):
                report.check(
                    ref["key"] in secrets.get(ref["name"], {}),
                    w,
                    f"Secret {ref['name']} has no key {ref['key']}",
                )

        elif kind in ("Vhost", "User", "Permission", "Queue", "Policy", "Exchange",
                      "Binding"):
            ref = (spec.get("rabbitmqClusterReference") or {}).get("name")
            report.check(
                exists("RabbitmqCluster", ref or ""),
                w,
                f"rabbitmqClusterReference {ref} not defined",
            )
            creds = (spec.get("importCredentialsSecret") or {}).get("name")
            if creds:
                report.check(
                    {"username", "password"} <= set(secrets.get(creds, {})),
                    w,
                    f"Secret {creds} needs username and password",
                )
            user = (spec.get("userReference") or {}).get("name")
            if user:
                report.check(exists("User", user), w, f"User {user} not defined")

        elif kind == "Database" and obj.get("apiVersion", "").startswith(
            "postgresql.cnpg.io"
        ):
            ref = spec.get("cluster", {}).get("name", "")
            report.check(
                exists("Cluster", ref), w, f"CloudNativePG Cluster {ref} not defined"
            )

        elif kind == "Cluster" and obj.get("apiVersion", "").startswith(
            "postgresql.cnpg.io"
        ):
            secret = (
                spec.get("bootstrap", {})
                .get("initdb", {})
                .get("secret", {})
                .get("name")
            )
            if secret:
                report.check(
                    {"username", "password"} <= set(secrets.get(secret, {})),
                    w,
                    f"Secret {secret} needs username and password",
                )
            # the object store's credentials, where the WAL and backups go
            store = (spec.get("backup") or {}).get("barmanObjectStore") or {}
            for ref in (store.get("s3Credentials") or {}).values():
                report.check(
                    ref.get("key") in secrets.get(ref.get("name"), {}),
                    w,
                    f"Secret {ref.get('name')} needs {ref.get('key')} (backups)",
                )
            report.check(
                not store or any(
                    o["spec"].get("cluster", {}).get("name") == obj_name
                    for (k, _), o in index.items() if k == "ScheduledBackup"),
                w, "a Cluster that archives to object storage has a ScheduledBackup",
            )

        elif kind == "ScheduledBackup":
            ref = spec.get("cluster", {}).get("name", "")
            report.check(
                exists("Cluster", ref), w, f"ScheduledBackup's Cluster {ref} not defined"
            )

    check_secret_consistency(where, index, secrets, report)
    check_network_policies(where, index, report)


def selects(selector: dict, labels: dict) -> bool:
    """A label selector (matchLabels and matchExpressions) against a pod's labels."""
    wanted = selector.get("matchLabels", {})
    if any(labels.get(k) != v for k, v in wanted.items()):
        return False
    for expr in selector.get("matchExpressions", []):
        value, values = labels.get(expr["key"]), expr.get("values", [])
        ok = {"In": value in values, "NotIn": value not in values,
              "Exists": expr["key"] in labels,
              "DoesNotExist": expr["key"] not in labels}[expr["operator"]]
        if not ok:
            return False
    return True


# Continuity's own process types (what `continuity-service NAME` runs)
PROCESSES = {"catalog", "onboarding", "licensing", "tracking", "lrs", "gateway",
             "webhooks"}


# what no process but the webhooks worker may reach, and that worker never
PRIVATE_RANGES = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
                  "127.0.0.0/8", "100.64.0.0/10"}
# the same for IPv6 (a dual-stack cluster's pods and nodes): loopback, unique local,
# link-local
PRIVATE_RANGES_V6 = {"::1/128", "fc00::/7", "fe80::/10"}


def check_network_policies(where: str, index: dict, report: Report) -> None:
    """Each of our pods is denied by default and allowed only narrow ways out."""
    policies = [o for (k, _), o in index.items() if k == "NetworkPolicy"]
    for (kind, name), obj in sorted(index.items()):
        labels = obj.get("spec", {}).get("template", {}).get("metadata", {}).get(
            "labels", {})
        ours = labels.get("app.kubernetes.io/part-of") == "continuity"
        if kind != "Deployment" or not ours:
            continue
        w = f"{where} {kind}/{name}"
        mine = [p for p in policies
                if selects(p["spec"].get("podSelector", {}), labels)]
        types = {t for p in mine for t in p["spec"].get("policyTypes", [])}
        if not report.check({"Ingress", "Egress"} <= types, w,
                            "no NetworkPolicy denies its traffic by default "
                            f"(policy types {sorted(types)})"):
            continue
        ingress_ports = {port.get("port") for p in mine
                         for rule in p["spec"].get("ingress", [])
                         for port in rule.get("ports", [])}
        pod = obj["spec"]["template"]["spec"]
        for c in pod.get("containers", []):
            for port in c.get("ports", []):
                report.check(port.get("containerPort") in ingress_ports, w,
                             f"port {port.get('containerPort')} is reachable by no one "
                             "(no ingress rule allows it)")
        for p in mine:
            for rule in p["spec"].get("egress", []):
                rw = f"{w} NetworkPolicy/{p['metadata']['name']}"
                report.check(bool(rule.get("to") or rule.get("ports")), rw,
                             "an egress rule without peers nor ports opens everything")
                for peer in rule.get("to", []):
                    block = peer.get("ipBlock")
                    if not block or block.get("cidr") not in ("0.0.0.0/0", "::/0"):
                        continue
                    report.check(name == "webhooks", rw,
                                 "only the webhooks worker may reach any address")
                    private = (PRIVATE_RANGES if block["cidr"] == "0.0.0.0/0"
                               else PRIVATE_RANGES_V6)
                    missing = private - set(block.get("except", []))
                    report.check(not missing, rw,
                                 "the internet, but private ranges "
                                 f"{sorted(missing)} are not excluded")


def _creds(uri: str) -> tuple[str | None, str | None]:
    parts = urlsplit(uri)
    return parts.username, parts.password


def check_secret_consistency(where, index, secrets, report) -> None:
    """The example Secrets repeat credentials; make sure each pair agrees."""
    app = secrets.get("continuity-secrets", {})
    # Only meaningful where plain-text example values are present.
    pairs = []
    for (kind, name), obj in index.items():
        spec = obj.get("spec") or {}
        if kind == "User" and obj.get("apiVersion", "").startswith("rabbitmq.com"):
            pairs.append((name, spec.get("importCredentialsSecret", {}).get("name")))
    users = {name: secrets.get(secret or "", {}) for name, secret in pairs}
    pg_secret = None
    for (kind, _), obj in index.items():
        if kind == "Cluster" and obj.get("apiVersion", "").startswith(
            "postgresql.cnpg.io"
        ):
            pg_secret = (
                obj["spec"]
                .get("bootstrap", {})
                .get("initdb", {})
                .get("secret", {})
                .get("name")
            )
    w = f"{where} secrets"
    if "AMQP_URI" in app and "continuity-app" in users:
        u = users["continuity-app"]
        report.check(
            _creds(app["AMQP_URI"]) == (u.get("username"), u.get("password")),
            w,
            "AMQP_URI credentials differ from the RabbitMQ app user's Secret",
        )
    if "DATABASE_URL" in app and pg_secret in secrets:
        p = secrets[pg_secret]
        report.check(
            _creds(app["DATABASE_URL"]) == (p.get("username"), p.get("password")),
            w,
            "DATABASE_URL credentials differ from the CloudNativePG owner Secret",
        )
        db = urlsplit(app["DATABASE_URL"]).path.lstrip("/")
        for proc in PROCESS_PORTS:
            if proc in SHARES_DATABASE_OF:
                continue  # checked through the process whose database it uses
            report.check(
                any(
                    o.get("spec", {}).get("name") == f"{db}_{proc}"
                    for (k, _), o in index.items()
                    if k == "Database"
                ),
                w,
                f"no CloudNativePG Database {db}_{proc} for {proc}",
            )
    keda = secrets.get("continuity-keda-rabbitmq", {})
    if "host" in keda and "continuity-keda" in users:
        u = users["continuity-keda"]
        report.check(
            _creds(keda["host"]) == (u.get("username"), u.get("password")),
            w,
            "KEDA host credentials differ from the RabbitMQ keda user's Secret",
        )
    for sname, values in secrets.items():
        for k, v in values.items():
            if isinstance(v, str) and "://" in v:
                pw = urlsplit(v).password or ""
                report.check(
                    re.fullmatch(r"[A-Za-z0-9._~-]*", pw) is not None,
                    w,
                    f"{sname}.{k}: password must be URL-safe",
                )


# --------------------------------------------------------------------- compose --


# an engine's image names its full version (x.y.z, optionally a suffix such as
# -management): a registry's "15" or "latest" moves under a deployment. Our own
# images are pinned by the tag kustomize or CONTINUITY_TAG gives them.
PINNED_TAG = re.compile(r":v?\d+\.\d+\.\d+([-.][\w.-]+)?$")
# PostgreSQL's releases are numbered major.minor (15.10): that is its full version
TWO_PART = {"postgres", "ghcr.io/cloudnative-pg/postgresql"}
PINNED_TWO_PART = re.compile(r":\d+\.\d+([-.][\w.-]+)?$")


def image_pinned(image: str) -> bool:
    if image.startswith("continuity/"):
        return True
    pattern = PINNED_TWO_PART if image.rpartition(":")[0] in TWO_PART else PINNED_TAG
    return bool(pattern.search(image))


def check_compose(root: Path, report: Report) -> dict:
    path = root / "docker-compose.yml"
    compose = yaml.safe_load(path.read_text())
    services = compose.get("services", {})
    w = "docker-compose.yml"
    for name, svc in services.items():
        deps = svc.get("depends_on") or {}
        for dep in deps if isinstance(deps, list) else deps.keys():
            report.check(dep in services, w, f"{name} depends on unknown service {dep}")
        if isinstance(deps, dict):
            for dep, cond in deps.items():
                if cond.get("condition") == "service_healthy":
                    report.check(
                        "healthcheck" in services.get(dep, {}),
                        w,
                        f"{name} waits for {dep} to be healthy; it has no healthcheck",
                    )
        report.check(image_pinned(svc.get("image", "")), w,
                     f"{name}: image {svc.get('image')!r} is not pinned to a full "
                     "version")
        build = svc.get("build")
        if build:
            ctx = root / build.get("context", ".")
            report.check(
                (ctx / build.get("dockerfile", "Dockerfile")).is_file(),
                w,
                f"{name}: Dockerfile {build.get('dockerfile')} not found",
            )
            arg = (build.get("args") or {}).get("SERVICE")
            report.check(
                arg == name, w, f"{name}: build arg SERVICE={arg!r}, expected {name!r}"
            )
        for vol in svc.get("volumes") or []:
            src = (
                vol.split(":", 1)[0] if isinstance(vol, str) else vol.get("source", "")
            )
            if src.startswith("./"):
                report.check(
                    (root / src).exists(), w, f"{name}: bind mount {src} not found"
                )
        if name in PROCESS_PORTS:
            env = svc.get("environment") or {}
            port = int(
                env.get("GATEWAY_PORT" if name == "gateway" else "METRICS_PORT", 0)
            )
            report.check(
                port == PROCESS_PORTS[name],
                w,
                f"{name}: ops port {port}, expected {PROCESS_PORTS[name]}",
            )
    return services


def check_prometheus(root: Path, services: dict, report: Report) -> None:
    path = root / "deploy/prometheus/prometheus.yml"
    config = yaml.safe_load(path.read_text())
    w = str(path.relative_to(root))
    scraped: dict[str, int] = {}
    for job in config.get("scrape_configs", []):
        for sd in job.get("dns_sd_configs", []):
            for n in sd.get("names", []):
                scraped[n] = int(sd.get("port", 0))
        for sc in job.get("static_configs", []):
            for target in sc.get("targets", []):
                host, _, port = target.partition(":")
                scraped[host] = int(port or 0)
    for proc, port in PROCESS_PORTS.items():
        report.check(scraped.get(proc) == port, w, f"{proc} must be scraped on :{port}")
    report.check(
        scraped.get("rabbitmq") == 15692, w, "rabbitmq must be scraped on :15692"
    )
    for host in scraped:
        report.check(
            host in services or host == "localhost",
            w,
            f"scrape target {host} is not a compose service",
        )


def check_dashboard(root: Path, report: Report) -> None:
    path = root / "deploy/grafana/dashboards/continuity.json"
    dash = json.loads(path.read_text())
    w = str(path.relative_to(root))
    ids = set()
    for panel in dash.get("panels", []):
        if panel.get("type") == "row":
            continue
        report.check(
            panel.get("id") not in ids, w, f"duplicate panel id {panel.get('id')}"
        )
        ids.add(panel.get("id"))
        targets = panel.get("targets") or []
        report.check(bool(targets), w, f"panel {panel.get('title')!r} has no query")
        for t in targets:
            expr = t.get("expr", "")
            report.check(
                bool(expr.strip()), w, f"panel {panel.get('title')!r}: empty expr"
            )
            report.check(
                expr.count("(") == expr.count(")"),
                w,
                f"panel {panel.get('title')!r}: unbalanced parentheses",
            )
            for metric in re.findall(r"\b((?:continuity|rabbitmq)_[a-z_]+)", expr):
                report.check(
                    metric.startswith(KNOWN_METRIC_PREFIXES),
                    w,
                    f"panel {panel.get('title')!r}: unknown metric {metric}",
                )


def check_alerts(root: Path, report: Report) -> None:
    path = root / "deploy/prometheus/alerts.yml"
    w = str(path.relative_to(root))
    rules = [r for g in yaml.safe_load(path.read_text())["groups"] for r in g["rules"]]
    report.check(bool(rules), w, "no alert rules")
    for rule in rules:
        name = rule.get("alert", "?")
        expr = rule.get("expr", "")
        report.check(bool(expr.strip()), w, f"{name}: empty expr")
        report.check(expr.count("(") == expr.count(")"), w, f"{name}: unbalanced ( )")
        report.check(bool(rule.get("labels", {}).get("severity")), w,
                     f"{name}: no severity label")
        report.check(bool(rule.get("annotations", {}).get("summary")), w,
                     f"{name}: no summary")
    config = yaml.safe_load((root / "deploy/prometheus/prometheus.yml").read_text())
    report.check("/etc/prometheus/alerts.yml" in config.get("rule_files", []), w,
                 "prometheus.yml does not load the alert rules")


def check_dockerfile(root: Path, report: Report) -> None:
    path = root / "deploy/Dockerfile"
    text = path.read_text()
    w = str(path.relative_to(root))
    # (INSTRUCTION, arguments) with continuation lines joined and comments dropped.
    instr: list[tuple[str, str]] = []
    for line in re.sub(r"\\\n", " ", text).splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            head, _, rest = line.strip().partition(" ")
            instr.append((head.upper(), rest.strip()))
    report.check(bool(re.search(r"python:3\.11\.\d+-slim", text)), w,
                 "base image must be python:3.11.<patch>-slim (pinned)")
    report.check(
        any(i == "ARG" and a.split("=")[0] == "SERVICE" for i, a in instr),
        w,
        "needs ARG SERVICE",
    )
    report.check(
        any(i == "ENV" and re.search(r"\bSERVICE=\$\{?SERVICE\b", a) for i, a in instr),
        w,
        "ARG SERVICE must be baked into ENV SERVICE",
    )
    report.check(
        any(i == "RUN" and "--require-hashes" in a and "requirements/runtime.lock" in a
            and "--no-deps --no-build-isolation ." in a for i, a in instr),
        w,
        "must install requirements/runtime.lock with --require-hashes, then the "
        "project with --no-deps --no-build-isolation",
    )
    users = [a.split(":")[0] for i, a in instr if i == "USER"]
    report.check(
        bool(users) and users[-1] not in ("root", "0"),
        w,
        "the final USER must be non-root",
    )
    cmd = [a for i, a in instr if i == "CMD"]
    report.check(
        bool(cmd) and "continuity-service" in cmd[-1] and "SERVICE" in cmd[-1],
        w,
        "CMD must run continuity-service $SERVICE",
    )


# -------------------------------------------------------------- dead letters --


def topology_constants(root: Path) -> dict:
    """ATTEMPTS and the dead letters' names, read from the code without importing it."""
    import ast

    tree = ast.parse((root / "services/common/topology.py").read_text())
    wanted = {"ATTEMPTS", "DEAD_LETTER_EXCHANGE", "DEAD_LETTER_QUEUE"}
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            name = getattr(node.targets[0], "id", None)
            if name in wanted and isinstance(node.value, ast.Constant):
                found[name] = node.value.value
    return found


def check_dead_letter_topology(where: str, exchanges: list[dict], queues: list[dict],
                               bindings: list[dict], policies: list[dict],
                               code: dict, report: Report) -> None:
    """The same dead-letter topology, whichever way a deployment describes it:
    dicts with name/type/durable, name/type, source/destination, and
    pattern/apply_to/definition."""
    dlx, dlq = code.get("DEAD_LETTER_EXCHANGE"), code.get("DEAD_LETTER_QUEUE")
    report.check(any(e.get("name") == dlx and e.get("type") == "fanout"
                     and e.get("durable") for e in exchanges),
                 where, f"needs the durable fanout exchange {dlx}")
    report.check(any(q.get("name") == dlq and q.get("type") == "quorum"
                     for q in queues),
                 where, f"needs the quorum queue {dlq}")
    report.check(any(b.get("source") == dlx and b.get("destination") == dlq
                     for b in bindings),
                 where, f"needs a binding of {dlq} to {dlx}")
    event_policies = [p for p in policies
                      if re.match(str(p.get("pattern", "$^")), "evt-a-b.c.v1--d.e")
                      and p.get("apply_to") in ("quorum_queues", "queues", "all")]
    report.check(bool(event_policies), where,
                 "needs a policy on the event queues (pattern matching evt-...)")
    for policy in event_policies:
        definition = policy.get("definition") or {}
        report.check(
            definition.get("delivery-limit") == code.get("ATTEMPTS")
            and definition.get("dead-letter-exchange") == dlx,
            where,
            f"the event queues' policy must say delivery-limit "
            f"{code.get('ATTEMPTS')} and dead-letter-exchange {dlx}, as "
            "services/common/topology.py declares them",
        )


def check_dead_letters(root: Path, report: Report) -> None:
    code = topology_constants(root)
    report.check(len(code) == 3, "services/common/topology.py",
                 "ATTEMPTS, DEAD_LETTER_EXCHANGE and DEAD_LETTER_QUEUE not found")
    # compose: definitions loaded at boot by the broker
    where = "deploy/rabbitmq/definitions.json"
    definitions = json.loads((root / where).read_text())
    check_dead_letter_topology(
        where,
        definitions.get("exchanges", []),
        [{"name": q.get("name"),
          "type": (q.get("arguments") or {}).get("x-queue-type", "classic")}
         for q in definitions.get("queues", [])],
        definitions.get("bindings", []),
        [{**p, "apply_to": p.get("apply-to")} for p in definitions.get("policies", [])],
        code, report)
    report.check(bool(definitions.get("users")), where,
                 "definitions loaded at boot skip the default user: declare one")
    conf = (root / "deploy/rabbitmq/rabbitmq.conf").read_text()
    path = re.search(r"^definitions\.local\.path\s*=\s*(\S+)", conf, re.M)
    compose = (root / "docker-compose.yml").read_text()
    report.check(bool(path) and f"definitions.json:{path.group(1)}" in compose,
                 "deploy/rabbitmq/rabbitmq.conf",
                 "definitions.local.path must be where docker-compose.yml mounts "
                 "deploy/rabbitmq/definitions.json")
    # Kubernetes: the Messaging Topology Operator's resources
    where = "deploy/k8s/base/rabbitmq.yaml"
    docs = [d for d in yaml.safe_load_all((root / where).read_text()) if d]

    def specs(kind: str) -> list[dict]:
        return [d.get("spec") or {} for d in docs if d.get("kind") == kind]

    check_dead_letter_topology(
        where, specs("Exchange"), specs("Queue"), specs("Binding"),
        [{**p, "apply_to": p.get("applyTo")} for p in specs("Policy")],
        code, report)


# ------------------------------------------------------------------------ main --


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root", type=Path, default=Path(__file__).resolve().parent.parent
    )
    parser.add_argument(
        "--rendered",
        action="append",
        default=[],
        metavar="NAME=FILE",
        help="kustomize build output to check (repeatable)",
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    report = Report()

    parse_all(root, report)
    services = check_compose(root, report)
    check_prometheus(root, services, report)
    check_dashboard(root, report)
    check_alerts(root, report)
    check_dockerfile(root, report)
    check_dead_letters(root, report)
    for item in args.rendered:
        name, _, file = item.partition("=")
        docs = [d for d in yaml.safe_load_all(Path(file).read_text()) if d]
        check_rendered(name, docs, report)

    for problem in report.problems:
        print(f"  FAIL {problem}")
    scope = f" over {len(args.rendered)} rendered overlay(s)" if args.rendered else ""
    print(f"  {report.checked} checks, {len(report.problems)} problems{scope}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
