"""Offline validation of the deployment artefacts (run by scripts/validate-deploy.sh).

  validate_deploy.py k8s RENDERED.yaml --label NAME --crd-out CRDS.json
      Every built-in resource against the Kubernetes JSON schemas shipped in kubernetes-validate
      (strict: unknown fields are errors); custom resources (KEDA, Prometheus Operator) are written
      to CRDS.json for validate-crds.mjs; then the project's rules: probes on the health endpoints,
      requests and limits, non-root, grace period longer than the shutdown budget, secrets only by
      reference, KEDA groups/topics/brokers consistent with churn-config and the topics' partitions,
      a PodDisruptionBudget and a scrape path for every Deployment.
  validate_deploy.py compose docker-compose.yml
      The project's rules on top of the Compose specification schema (checked before by
      check-jsonschema): references resolve, the broker is the local broker's version, secrets are
      interpolated, the services are health-gated, mounted provisioning exists and matches.

Prints one line per problem and exits 1 when there is any.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S_VERSIONS = ("1.30.0", "1.34.0")
SERVICES = {"ingest": 3001, "scorer": 3002, "alerting": 3003, "crm-sync": 3004, "monitoring": 3005}
SECRET_NAMES = re.compile(
    r"^(DATABASE_URL|SLACK_WEBHOOK_URL|SMTP_URL|AUTH_JWT_SECRET|ADMIN_JWT_SECRET|KAFKA_SASL_PASSWORD|"
    r"KAFKA_SASL_USERNAME|POSTGRES_PASSWORD|GF_SECURITY_ADMIN_PASSWORD|SALESFORCE_\w+|HUBSPOT_\w+)$"
)
CRD_KINDS = {
    ("keda.sh", "ScaledObject"),
    ("keda.sh", "TriggerAuthentication"),
    ("monitoring.coreos.com", "ServiceMonitor"),
    ("monitoring.coreos.com", "PrometheusRule"),
}


class Problems:
    def __init__(self, label: str):
        self.label = label
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{self.label}: {where}: {message}")


def topic_partitions() -> dict[str, int]:
    """Partition counts from libs/contracts (TOPIC_SPECS), so that a changed count is noticed here."""
    source = (ROOT / "libs/contracts/src/topics/topics.ts").read_text()
    names = dict(re.findall(r"^\s*(\w+):\s*'([^']+)',", source, re.M))
    specs = re.findall(r"\{\s*name:\s*Topics\.(\w+),\s*partitions:\s*(\d+)", source)
    return {names[key]: int(count) for key, count in specs if key in names}


def local_kafka_version() -> str:
    pom = (ROOT / "deploy/local/kafka/pom.xml").read_text()
    match = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom)
    return match.group(1) if match else "?"


def selected_jobs() -> dict[str, set[str]]:
    """The `job` values the rules, the Grafana dashboards and compose's Prometheus use: job -> where."""
    where: dict[str, set[str]] = {}
    sources = sorted((ROOT / "deploy/prometheus/rules").glob("*.yml")) + sorted((ROOT / "deploy/grafana/dashboards").glob("*.json"))
    for file in sources:
        for job in re.findall(r'\bjob\s*=~?\s*\\?"([^"\\]+)', file.read_text()):
            where.setdefault(job, set()).add(str(file.relative_to(ROOT)))
    prometheus = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text()) or {}
    for job in prometheus.get("scrape_configs") or []:
        targets = [t for s in job.get("static_configs") or [] for t in s.get("targets") or []]
        if any(t == f"{name}:{port}" for name, port in SERVICES.items() for t in targets):
            where.setdefault(job["job_name"], set()).add("deploy/prometheus/prometheus.yml")
    return where


def service_monitor_jobs(monitor: dict, services: list[dict]) -> set[str]:
    """The job label the Prometheus Operator gives a ServiceMonitor's targets: a relabeling that sets it,
    else the selected Services' `jobLabel` label, else the Services' names."""
    spec = monitor.get("spec") or {}
    selector = (spec.get("selector") or {}).get("matchLabels") or {}
    selected = [s for s in services if _selects(selector, s["metadata"].get("labels") or {})]
    jobs: set[str] = set()
    for endpoint in spec.get("endpoints") or []:
        replaced = [
            r.get("replacement")
            for r in endpoint.get("relabelings") or []
            if r.get("targetLabel") == "job" and r.get("action", "replace") == "replace" and not r.get("sourceLabels")
        ]
        if replaced:
            jobs.add(str(replaced[-1]))
        elif spec.get("jobLabel"):
            jobs |= {str((s["metadata"].get("labels") or {}).get(spec["jobLabel"], s["metadata"]["name"])) for s in selected}
        else:
            jobs |= {s["metadata"]["name"] for s in selected}
    return jobs


PROMETHEUS_NAMESPACE = "monitoring"
# Egress an integration needs when its variable is wired into a container: Slack over HTTPS, SMTP
# submission and implicit TLS; the CRMs (crm-sync's churn-crm Secret) over HTTPS.
INTEGRATION_PORTS = {"SLACK_WEBHOOK_URL": (443,), "SMTP_URL": (587, 465)}
CRM_SECRET = "churn-crm"


def _matches(selector: dict | None, labels: dict) -> bool:
    """A NetworkPolicy label selector: an empty one selects every pod."""
    match = (selector or {}).get("matchLabels") or {}
    return all(labels.get(k) == v for k, v in match.items())


def _allows_port(rule: dict, port: int, protocol: str = "TCP") -> bool:
    ports = rule.get("ports")
    return not ports or any(p.get("port") == port and p.get("protocol", "TCP") == protocol for p in ports)


def network_policy_problems(by_kind: dict, config: dict, problems: Problems) -> None:
    """Every workload's pods are selected by a NetworkPolicy for both directions; Prometheus may scrape
    them; they reach DNS, Kafka, Postgres, the integrations they are given and the services they call."""
    policies = by_kind.get("NetworkPolicy", [])
    services = {s["metadata"]["name"]: s for s in by_kind.get("Service", [])}
    kafka_ports = {int(b.rsplit(":", 1)[1]) for b in str(config.get("KAFKA_BROKERS", "")).split(",") if ":" in b}
    workloads = by_kind.get("Deployment", []) + by_kind.get("Job", [])
    labels_of = {w["metadata"]["name"]: w["spec"]["template"]["metadata"].get("labels") or {} for w in workloads}

    def selecting(labels: dict, direction: str) -> list[dict]:
        return [p for p in policies if _matches(p["spec"].get("podSelector"), labels) and direction in (p["spec"].get("policyTypes") or [])]

    def egress_allows(labels: dict, port: int, protocol: str = "TCP", to: dict | None = None) -> bool:
        for policy in selecting(labels, "Egress"):
            for rule in policy["spec"].get("egress") or []:
                peers = rule.get("to") or []
                reaches = not peers or (to is not None and any("podSelector" in p and "namespaceSelector" not in p and _matches(p["podSelector"], to) for p in peers))
                if reaches and _allows_port(rule, port, protocol):
                    return True
        return False

    def ingress_allows(labels: dict, port: int, peer) -> bool:
        for policy in selecting(labels, "Ingress"):
            for rule in policy["spec"].get("ingress") or []:
                peers = rule.get("from") or []
                if (not peers or any(peer(p) for p in peers)) and _allows_port(rule, port):
                    return True
        return False

    for workload in workloads:
        where = name_of(workload)
        labels = labels_of[workload["metadata"]["name"]]
        if not selecting(labels, "Ingress") or not selecting(labels, "Egress"):
            problems.add(where, "no NetworkPolicy selects its pods for both Ingress and Egress")
            continue
        needs = [("DNS", 53, "UDP"), ("Postgres", 5432, "TCP")] + [("Kafka", p, "TCP") for p in sorted(kafka_ports)]
        pod = workload["spec"]["template"]["spec"]
        for container in containers_of(pod):
            env = {e.get("name") for e in container.get("env") or []}
            for name, ports in INTEGRATION_PORTS.items():
                if name in env:
                    needs += [(name, port, "TCP") for port in ports]
            if any((s.get("secretRef") or {}).get("name") == CRM_SECRET for s in container.get("envFrom") or []):
                needs.append(("the CRM APIs", 443, "TCP"))
        for what, port, protocol in needs:
            if not egress_allows(labels, port, protocol):
                problems.add(where, f"its NetworkPolicy blocks egress to {what} ({protocol} {port})")
        annotations = workload["spec"]["template"]["metadata"].get("annotations") or {}
        scrape_port = annotations.get("prometheus.io/port")
        prometheus = lambda peer: ((peer.get("namespaceSelector") or {}).get("matchLabels") or {}).get("kubernetes.io/metadata.name") == PROMETHEUS_NAMESPACE  # noqa: E731
        if scrape_port and not ingress_allows(labels, int(scrape_port), prometheus):
            problems.add(where, f"its NetworkPolicy blocks Prometheus (namespace {PROMETHEUS_NAMESPACE}) from scraping port {scrape_port}")
        # Services it calls by URL (ALERTING_URL=http://alerting:3003): egress there, and their ingress from it.
        for container in containers_of(pod):
            for env in container.get("env") or []:
                url = re.match(r"^https?://([a-z0-9-]+)(?:\.[a-z0-9.-]+)?(?::(\d+))?", str(env.get("value", "")))
                if not url or url.group(1) not in services:
                    continue
                service = services[url.group(1)]
                target = service["spec"].get("selector") or {}
                port = int(url.group(2) or 80)
                target_port = next((p.get("targetPort") for p in service["spec"].get("ports") or [] if p.get("port") == port), port)
                target_labels = next((l for l in labels_of.values() if _selects(target, l)), target)
                target_port = target_port if isinstance(target_port, int) else port
                if not egress_allows(labels, target_port, to=target_labels):
                    problems.add(where, f"its NetworkPolicy blocks egress to {env['name']} ({url.group(0)})")
                caller = lambda peer: "podSelector" in peer and "namespaceSelector" not in peer and _matches(peer["podSelector"], labels)  # noqa: E731
                if not ingress_allows(target_labels, target_port, caller):
                    problems.add(f"Service/{url.group(1)}", f"its pods' NetworkPolicy blocks {where}, which calls it ({env['name']})")


def name_of(doc: dict) -> str:
    return f"{doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}"


def containers_of(pod_spec: dict) -> list[dict]:
    return list(pod_spec.get("initContainers") or []) + list(pod_spec.get("containers") or [])


def image_pinned(image: str) -> bool:
    tail = image.rsplit("/", 1)[-1]
    return ("@" in tail) or (":" in tail and not tail.endswith(":latest"))


# ----------------------------------------------------------------------------------------------
# Kubernetes


def validate_k8s(rendered: Path, label: str, crd_out: Path) -> list[str]:
    from kubernetes_validate import utils as kv  # noqa: PLC0415  (only the k8s mode needs it)

    problems = Problems(label)
    docs = [d for d in yaml.safe_load_all(rendered.read_text()) if d]
    if not docs:
        problems.add(str(rendered), "rendered nothing")
        return problems.items

    custom: list[dict] = []
    for doc in docs:
        group = doc.get("apiVersion", "").split("/")[0] if "/" in doc.get("apiVersion", "") else ""
        if (group, doc.get("kind")) in CRD_KINDS:
            custom.append(doc)
            continue
        for version in K8S_VERSIONS:
            try:
                errors = schema_errors(kv, doc, version)
            except kv.SchemaNotFoundError:
                problems.add(name_of(doc), f"no schema for {doc.get('apiVersion')} {doc.get('kind')} (not a Kubernetes {version} kind)")
                break
            for error in errors:
                path = ".".join(str(p) for p in error.path) or "(root)"
                problems.add(name_of(doc), f"Kubernetes {version[:4]} schema: {path}: {error.message}")
            if errors:
                break
    crd_out.write_text(json.dumps(custom))

    by_kind: dict[str, list[dict]] = {}
    for doc in docs:
        by_kind.setdefault(doc.get("kind", "?"), []).append(doc)
    config = {}
    for cm in by_kind.get("ConfigMap", []):
        if cm["metadata"]["name"].startswith("churn-config"):
            config = cm.get("data") or {}
    if not config:
        problems.add("ConfigMap/churn-config", "missing")
    for cm in by_kind.get("ConfigMap", []):
        for key in cm.get("data") or {}:
            if SECRET_NAMES.match(key):
                problems.add(name_of(cm), f"{key} is a secret: it belongs in a Secret, by reference")
    for secret in by_kind.get("Secret", []):
        if secret.get("data") or secret.get("stringData"):
            problems.add(name_of(secret), "a Secret with values in the manifests; create it out of band and reference it")

    budget = float(config.get("SHUTDOWN_TIMEOUT_SECONDS", 10))
    deployments = by_kind.get("Deployment", [])
    pod_labels = {d["metadata"]["name"]: d["spec"]["template"]["metadata"].get("labels") or {} for d in deployments}

    for workload in deployments + by_kind.get("Job", []):
        pod = workload["spec"]["template"]["spec"]
        where = name_of(workload)
        security = pod.get("securityContext") or {}
        if not security.get("runAsNonRoot"):
            problems.add(where, "pod securityContext.runAsNonRoot must be true")
        for container in containers_of(pod):
            cwhere = f"{where} container {container.get('name')}"
            if not image_pinned(container.get("image", "")):
                problems.add(cwhere, f"image {container.get('image')!r} is not pinned to a tag or digest")
            resources = container.get("resources") or {}
            for section in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    if resource not in (resources.get(section) or {}):
                        problems.add(cwhere, f"resources.{section}.{resource} missing")
            for env in container.get("env") or []:
                if SECRET_NAMES.match(env.get("name", "")) and "value" in env:
                    problems.add(cwhere, f"{env['name']} has a literal value; use valueFrom.secretKeyRef")
                ref = (env.get("valueFrom") or {}).get("configMapKeyRef")
                if ref and SECRET_NAMES.match(env.get("name", "")):
                    problems.add(cwhere, f"{env['name']} comes from a ConfigMap; use a Secret")
        if workload["kind"] != "Deployment":
            continue
        grace = pod.get("terminationGracePeriodSeconds", 30)
        for container in pod.get("containers") or []:
            cwhere = f"{where} container {container.get('name')}"
            probes = {p: (container.get(p) or {}).get("httpGet", {}).get("path") for p in ("livenessProbe", "readinessProbe")}
            if probes["livenessProbe"] != "/health/live":
                problems.add(cwhere, "livenessProbe must GET /health/live")
            if probes["readinessProbe"] != "/health/ready":
                problems.add(cwhere, "readinessProbe must GET /health/ready")
            pre_stop = ((container.get("lifecycle") or {}).get("preStop") or {}).get("exec", {}).get("command") or []
            pause = float(pre_stop[-1]) if pre_stop[:1] == ["sleep"] and pre_stop[-1].replace(".", "").isdigit() else 0
            if not grace > budget + pause:
                problems.add(where, f"terminationGracePeriodSeconds {grace} must exceed SHUTDOWN_TIMEOUT_SECONDS {budget:g} + preStop {pause:g}")
            for env in container.get("env") or []:
                if env.get("name") == "SHUTDOWN_TIMEOUT_SECONDS":
                    problems.add(cwhere, "SHUTDOWN_TIMEOUT_SECONDS belongs in churn-config, where the grace check reads it")
        labels = pod_labels[workload["metadata"]["name"]]
        if not any(_selects((p["spec"].get("selector") or {}).get("matchLabels") or {}, labels) for p in by_kind.get("PodDisruptionBudget", [])):
            problems.add(where, "no PodDisruptionBudget selects its pods")
        annotations = workload["spec"]["template"]["metadata"].get("annotations") or {}
        scraped = annotations.get("prometheus.io/scrape") == "true" or any(
            _selects(((s.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}, svc["metadata"].get("labels") or {})
            and _selects(svc["spec"].get("selector") or {}, labels)
            for s in by_kind.get("ServiceMonitor", [])
            for svc in by_kind.get("Service", [])
        )
        if not scraped:
            problems.add(where, "neither prometheus.io/scrape nor a ServiceMonitor covers its /metrics")

    for service in by_kind.get("Service", []):
        selector = service["spec"].get("selector") or {}
        if not any(_selects(selector, labels) for labels in pod_labels.values()):
            problems.add(name_of(service), f"selector {selector} matches no Deployment's pods")

    partitions = topic_partitions()
    prefix = config.get("KAFKA_GROUP_PREFIX", "churn")
    scaled_targets = set()
    for so in by_kind.get("ScaledObject", []):
        where = name_of(so)
        spec = so.get("spec") or {}
        target = (spec.get("scaleTargetRef") or {}).get("name")
        scaled_targets.add(target)
        if target not in pod_labels:
            problems.add(where, f"scaleTargetRef {target!r} is no Deployment of this render")
        for trigger in spec.get("triggers") or []:
            if trigger.get("type") != "kafka":
                continue
            meta = trigger.get("metadata") or {}
            topic, group = meta.get("topic"), meta.get("consumerGroup", "")
            if topic not in partitions:
                problems.add(where, f"topic {topic!r} is not one of the contract's topics")
            elif not isinstance(spec.get("maxReplicaCount"), int):
                problems.add(where, "maxReplicaCount must be set, as a number, to at most the topic's partitions")
            elif spec["maxReplicaCount"] > partitions[topic]:
                problems.add(where, f"maxReplicaCount {spec.get('maxReplicaCount')} exceeds the {partitions[topic]} partitions of {topic}")
            service = group.split(".", 1)[1] if "." in group else ""
            if group.split(".", 1)[0] != prefix or service not in SERVICES:
                problems.add(where, f"consumerGroup {group!r} is not <KAFKA_GROUP_PREFIX={prefix}>.<service>")
            if meta.get("bootstrapServers") != config.get("KAFKA_BROKERS"):
                problems.add(where, f"bootstrapServers {meta.get('bootstrapServers')!r} differ from churn-config KAFKA_BROKERS {config.get('KAFKA_BROKERS')!r}")
            if not str(meta.get("lagThreshold", "")).isdigit():
                problems.add(where, "lagThreshold must be a whole number in a string")
    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        target = hpa["spec"]["scaleTargetRef"]["name"]
        if target in scaled_targets:
            problems.add(name_of(hpa), f"{target} is also scaled by a ScaledObject; one autoscaler per Deployment")
        if target not in pod_labels:
            problems.add(name_of(hpa), f"scaleTargetRef {target!r} is no Deployment of this render")
    for name in SERVICES:
        if name not in pod_labels:
            problems.add("Deployment/" + name, "missing")

    network_policy_problems(by_kind, config, problems)

    wanted = selected_jobs()
    for monitor in by_kind.get("ServiceMonitor", []):
        jobs = service_monitor_jobs(monitor, by_kind.get("Service", []))
        for job, files in sorted(wanted.items()):
            if jobs != {job}:
                problems.add(
                    name_of(monitor),
                    f"scrapes with job={', '.join(sorted(repr(j) for j in jobs)) or 'nothing'}, but {', '.join(sorted(files))} select job={job!r}",
                )
    return problems.items


_VALIDATORS: dict = {}
_CACHE: dict = {}


def _cached(loader):
    def load(filename: str, version: str):
        if filename not in _CACHE:
            _CACHE[filename] = loader(filename, version)
        return _CACHE[filename]

    return load


def schema_errors(kv, doc: dict, version: str) -> list:
    """Every violation, not only the first: kubernetes_validate.utils.validate's lookup, iter_errors."""
    import jsonschema  # noqa: PLC0415
    from referencing import Registry, Resource  # noqa: PLC0415

    api_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", doc["apiVersion"])
    load = _cached(kv.schema_contents)
    directory = f"kubernetes-json-schema/v{version}-local-strict"
    try:
        schema = load(f"{directory}/{doc['kind'].lower()}-{api_version}.json", version)
    except FileNotFoundError:
        raise kv.SchemaNotFoundError(version=version, kind=doc["kind"], api_version=doc["apiVersion"]) from None
    key = (directory, doc["kind"], api_version)
    if key not in _VALIDATORS:
        definitions = load(f"{directory}/_definitions.json", version)
        registry = Resource.from_contents(definitions) @ (Resource.from_contents(schema) @ Registry())
        _VALIDATORS[key] = jsonschema.validators.Draft202012Validator(schema, registry=registry)
    validator = _VALIDATORS[key]
    return sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.path)))


def _selects(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


# ----------------------------------------------------------------------------------------------
# Compose


def validate_compose(path: Path) -> list[str]:
    problems = Problems(path.name)
    spec = yaml.safe_load(path.read_text())
    services: dict = spec.get("services") or {}
    volumes = set((spec.get("volumes") or {}).keys())
    base = path.parent

    kafka_image = (services.get("kafka") or {}).get("image", "")
    expected = f"apache/kafka:{local_kafka_version()}"
    if kafka_image != expected:
        problems.add("kafka", f"image {kafka_image!r}; the local broker is {expected} (deploy/local/kafka/pom.xml)")
    for name in ("postgres", "prometheus", "alertmanager", "grafana", "setup"):
        if name not in services:
            problems.add(name, "missing")

    for name, service in services.items():
        image = service.get("image", "")
        if image and not image_pinned(image.replace("${CHURN_VERSION:-", "").replace("}", "")):
            problems.add(name, f"image {image!r} is not pinned")
        depends = service.get("depends_on") or {}
        for dependency in depends if isinstance(depends, (list, dict)) else []:
            if dependency not in services:
                problems.add(name, f"depends_on {dependency!r}, which is not a service")
            elif isinstance(depends, dict):
                condition = depends[dependency].get("condition")
                if condition == "service_healthy" and "healthcheck" not in services[dependency]:
                    problems.add(name, f"waits for {dependency} to be healthy, which has no healthcheck")
        environment = service.get("environment") or {}
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) if "=" in item else (item, None) for item in environment)
        for key, value in environment.items():
            if SECRET_NAMES.match(key) and value is not None:
                if key == "DATABASE_URL":
                    if not re.search(r"\$\{POSTGRES_PASSWORD(:\?[^}]*)?\}", str(value)):
                        problems.add(name, "DATABASE_URL must take its password from ${POSTGRES_PASSWORD:?...}")
                elif not re.fullmatch(r"\$\{\w+(:\?[^}]*)?\}", str(value)):
                    problems.add(name, f"{key} must be a ${{VAR:?}} interpolation, not a literal")
        for volume in service.get("volumes") or []:
            source = volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source", "")
            if source.startswith("."):
                if not (base / source).exists():
                    problems.add(name, f"mounts {source}, which does not exist")
            elif source and source not in volumes:
                problems.add(name, f"volume {source!r} is not declared under volumes:")
        for env_file in service.get("env_file") or []:
            entry = env_file if isinstance(env_file, dict) else {"path": env_file, "required": True}
            if entry.get("required", True) is not False:
                problems.add(name, f"env_file {entry.get('path')} must be optional (required: false)")

    for name, port in SERVICES.items():
        service = services.get(name)
        if not service:
            problems.add(name, "missing")
            continue
        if "healthcheck" not in service:
            problems.add(name, "no healthcheck (the start order is gated on health)")
        if not (service.get("depends_on") or {}):
            problems.add(name, "starts before the setup job / upstream services")
        grace = str(service.get("stop_grace_period", "10s"))
        seconds = float(grace.rstrip("s")) if re.fullmatch(r"\d+(\.\d+)?s", grace) else 0
        if seconds <= 10:
            problems.add(name, f"stop_grace_period {grace} must exceed SHUTDOWN_TIMEOUT_SECONDS (10 s)")
        if str((service.get("environment") or {}).get("PORT")) != str(port):
            problems.add(name, f"PORT must be {port} (contract)")
    demo = services.get("demo") or {}
    if "demo" not in (demo.get("profiles") or []):
        problems.add("demo", "missing, or not in the `demo` profile")

    prometheus_file = base / "deploy/prometheus/prometheus.yml"
    if prometheus_file.exists():
        prometheus = yaml.safe_load(prometheus_file.read_text()) or {}
        targets = {
            target
            for job in prometheus.get("scrape_configs") or []
            for static in job.get("static_configs") or []
            for target in static.get("targets") or []
        }
        for name, port in SERVICES.items():
            if f"{name}:{port}" not in targets:
                problems.add("deploy/prometheus/prometheus.yml", f"does not scrape {name}:{port}")
        alertmanagers = {
            target
            for manager in (prometheus.get("alerting") or {}).get("alertmanagers") or []
            for static in manager.get("static_configs") or []
            for target in static.get("targets") or []
        }
        if "alertmanager" in services and "alertmanager:9093" not in alertmanagers:
            problems.add("deploy/prometheus/prometheus.yml", "does not send its alerts to alertmanager:9093")
    problems.items.extend(f"{path.name}: {p}" for p in alertmanager_problems(base / "deploy/alertmanager/alertmanager.yml"))
    for file in sorted((base / "deploy/grafana").rglob("*")):
        try:
            if file.suffix in (".yml", ".yaml"):
                yaml.safe_load(file.read_text())
            elif file.suffix == ".json":
                json.loads(file.read_text())
        except Exception as error:  # noqa: BLE001
            problems.add(str(file.relative_to(base)), f"does not parse: {error}")
    return problems.items


def alertmanager_problems(file: Path) -> list[str]:
    """Alertmanager's route names defined receivers, each receiver sends somewhere, URLs come from files."""
    if not file.exists():
        return [f"{file.name}: missing"]
    config = yaml.safe_load(file.read_text()) or {}
    where = str(file.relative_to(ROOT)) if file.is_relative_to(ROOT) else str(file)
    receivers = {r.get("name"): r for r in config.get("receivers") or []}
    problems = []
    pending = [config.get("route") or {}]
    if not pending[0].get("receiver"):
        problems.append(f"{where}: route has no receiver")
    while pending:
        route = pending.pop()
        if route.get("receiver") and route["receiver"] not in receivers:
            problems.append(f"{where}: route receiver {route['receiver']!r} is not defined under receivers")
        pending.extend(route.get("routes") or [])
    for name, receiver in receivers.items():
        configs = {k: v for k, v in receiver.items() if k.endswith("_configs")}
        if not configs:
            problems.append(f"{where}: receiver {name!r} sends nowhere")
        for kind, entries in configs.items():
            for entry in entries or []:
                for key in ("url", "api_url"):
                    if key in entry:
                        problems.append(f"{where}: receiver {name!r} {kind} has a literal {key}; use {key}_file (secrets stay out of the file)")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    k8s = sub.add_parser("k8s")
    k8s.add_argument("rendered", type=Path)
    k8s.add_argument("--label", required=True)
    k8s.add_argument("--crd-out", type=Path, required=True)
    compose = sub.add_parser("compose")
    compose.add_argument("file", type=Path)
    args = parser.parse_args()
    problems = validate_k8s(args.rendered, args.label, args.crd_out) if args.mode == "k8s" else validate_compose(args.file)
    for problem in problems:
        print(f"  ✗ {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
