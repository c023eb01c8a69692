#!/usr/bin/env bash
# Validates the deployment artefacts without a Docker engine or a cluster, offline once its tools
# are installed (first run only: a Python venv at .churn/deploy-venv from deploy/validate/requirements.txt,
# and the CRD models at .churn/deploy-tools/node from deploy/validate/package-lock.json):
#   1. Dockerfile             hadolint; the monitoring image ships the dashboard bundle where the
#                             monitoring service serves it from (check-dashboard-image.mjs)
#   2. docker-compose.yml     the Compose specification schema (check-jsonschema's vendored
#                             compose-spec), then the project's rules (deploy/validate/validate_deploy.py)
#                             and the services' config schemas (check-service-env.mjs)
#   3. k8s/ base + overlays   rendered with kustomize; built-in kinds against the Kubernetes schemas
#                             (kubernetes-validate, strict), KEDA and Prometheus Operator resources
#                             against their CRD schemas (validate-crds.mjs), then the project's rules
#                             and the services' config schemas; the ServiceMonitor's job label against
#                             the rules' and dashboards'; the PrometheusRule against deploy/prometheus/rules
#   4. self-test              deliberately broken manifests (deploy/validate/fixtures) must be rejected
# Steps 1-3 read the compiled config schemas: run scripts/bootstrap.sh (the TypeScript build) first.
# Exits non-zero with a message naming the file, the resource and the problem.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
state="$root/.churn"
venv="$state/deploy-venv"
node_tools="$state/deploy-tools/node"
out="$state/deploy-validate"
validate_dir="$root/deploy/validate"

say() { printf '\033[36m▸\033[0m %s\n' "$*" >&2; }
fail() { printf 'validate-deploy: %s\n' "$*" >&2; exit 1; }

for tool in python3 node npm; do
  command -v "$tool" >/dev/null || fail "'$tool' is required but not on PATH"
done

# kustomize: kubectl's built-in one, a kustomize binary, or one built once with Go into .churn/.
kustomize=()
if command -v kubectl >/dev/null && kubectl kustomize --help >/dev/null 2>&1; then
  kustomize=(kubectl kustomize)
elif command -v kustomize >/dev/null; then
  kustomize=(kustomize build)
elif [ -x "$state/deploy-tools/bin/kustomize" ]; then
  kustomize=("$state/deploy-tools/bin/kustomize" build)
elif command -v go >/dev/null; then
  say "building kustomize v5.5.0 with Go (first run only)"
  GOBIN="$state/deploy-tools/bin" go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0 >&2 \
    || fail "could not build kustomize with Go; install kubectl (it includes kustomize) or kustomize"
  kustomize=("$state/deploy-tools/bin/kustomize" build)
else
  fail "kustomize is required: install kubectl (it includes kustomize), or kustomize, or Go so that this script can build it"
fi

# Python validators, pinned; reinstalled only when the requirements change.
wanted="$(sha256sum "$validate_dir/requirements.txt" | cut -c1-16)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.churn-stamp" 2>/dev/null)" != "$wanted" ]; then
  say "installing the deployment validators into $venv (first run only)"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" || fail "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$validate_dir/requirements.txt" \
    || fail "could not install deploy/validate/requirements.txt into $venv"
  echo "$wanted" > "$venv/.churn-stamp"
fi
# CRD models (KEDA, Prometheus Operator) from the lockfile; reinstalled only when it changes.
wanted="$(sha256sum "$validate_dir/package-lock.json" | cut -c1-16)"
if [ ! -d "$node_tools/node_modules" ] || [ "$(cat "$node_tools/.churn-stamp" 2>/dev/null)" != "$wanted" ]; then
  say "installing the CRD schemas into $node_tools (first run only)"
  mkdir -p "$node_tools"
  cp "$validate_dir/package.json" "$validate_dir/package-lock.json" "$node_tools/"
  (cd "$node_tools" && npm ci --ignore-scripts --no-audit --no-fund --engine-strict=false --loglevel=error >&2) \
    || fail "could not install deploy/validate/package-lock.json into $node_tools"
  echo "$wanted" > "$node_tools/.churn-stamp"
fi
for tool in hadolint check-jsonschema; do
  [ -x "$venv/bin/$tool" ] || fail "$tool is missing from $venv; delete $venv and run again"
done

rm -rf "$out" && mkdir -p "$out"
py="$venv/bin/python"
checker="$validate_dir/validate_deploy.py"
export CHURN_CRD_MODULES="$node_tools/node_modules"

# Runs one kustomization through every check; prints the problems, returns non-zero on any.
validate_kustomization() {
  local dir="$1" label="$2" status=0
  local rendered="$out/$label.yaml" crds="$out/$label.crds.json"
  if ! "${kustomize[@]}" "$dir" > "$rendered" 2> "$out/$label.err"; then
    printf '  ✗ %s: kustomize failed:\n' "$label"; sed 's/^/      /' "$out/$label.err"; return 1
  fi
  "$py" "$checker" k8s "$rendered" --label "$label" --crd-out "$crds" || status=1
  if [ -f "$crds" ]; then node "$validate_dir/validate-crds.mjs" "$label" "$crds" || status=1; fi
  node "$validate_dir/check-service-env.mjs" k8s "$rendered" --label "$label" || status=1
  return "$status"
}

validate_compose() {
  local file="$1" label="$2" status=0
  "$venv/bin/check-jsonschema" --builtin-schema vendor.compose-spec "$file" > "$out/$label.schema.log" 2>&1 \
    || { printf '  ✗ %s: not valid against the Compose specification:\n' "$label"; sed 's/^/      /' "$out/$label.schema.log"; status=1; }
  "$py" "$checker" compose "$file" || status=1
  node "$validate_dir/check-service-env.mjs" compose "$file" || status=1
  return "$status"
}

failed=()

say "Dockerfile (hadolint)"
"$venv/bin/hadolint" --failure-threshold warning Dockerfile || failed+=(Dockerfile)
node "$validate_dir/check-dashboard-image.mjs" Dockerfile || failed+=(Dockerfile)
# The images run the Node release the project's own scripts install and test on.
node_tested="$(sed -n 's/^CHURN_NODE_VERSION=//p' scripts/node-runtime.sh)"
node_image="$(sed -n 's/^ARG NODE_IMAGE=node:\([0-9.]*\)-.*/\1/p' Dockerfile)"
if [ -z "$node_tested" ] || [ "$node_image" != "$node_tested" ]; then
  echo "  ✗ Dockerfile: NODE_IMAGE is Node '${node_image}', the tests run on '${node_tested}' (scripts/node-runtime.sh CHURN_NODE_VERSION)" >&2
  failed+=(Dockerfile)
fi

say "docker-compose.yml (Compose specification + project rules)"
validate_compose docker-compose.yml docker-compose || failed+=(docker-compose.yml)

say "k8s/overlays/prod/prometheusrule.yaml = deploy/prometheus/rules/*.yml"
node deploy/prometheus/prometheusrule.mjs --check || failed+=(k8s/overlays/prod/prometheusrule.yaml)

rendered_count=0
for dir in k8s/base k8s/overlays/*/; do
  dir="${dir%/}"
  [ -f "$dir/kustomization.yaml" ] || continue
  label="${dir#k8s/}"; label="${label//\//-}"
  say "$dir (kustomize → Kubernetes and CRD schemas + project rules)"
  if validate_kustomization "$dir" "$label"; then
    rendered_count=$((rendered_count + $(grep -c '^kind:' "$out/$label.yaml")))
  else
    failed+=("$dir")
  fi
done

# The checks must be able to fail: each broken fixture has to be rejected, with the expected reasons.
say "self-test: broken fixtures must be rejected"
expect_rejected() {
  local label="$1" log="$out/self-test-$1.log"; shift
  local patterns=()
  while [ "$1" != -- ]; do patterns+=("$1"); shift; done; shift
  if "$@" > "$log" 2>&1; then
    printf '  ✗ self-test: %s was accepted; the validator cannot fail\n' "$label"; return 1
  fi
  local pattern
  for pattern in "${patterns[@]}"; do
    grep -qF -- "$pattern" "$log" || { printf '  ✗ self-test: %s rejected, but not for "%s":\n' "$label" "$pattern"; sed 's/^/      /' "$log"; return 1; }
  done
}
broken_k8s() {
  local status=0
  "$py" "$checker" k8s "$validate_dir/fixtures/broken-k8s.yaml" --label broken --crd-out "$out/broken.crds.json" || status=1
  node "$validate_dir/validate-crds.mjs" broken "$out/broken.crds.json" || status=1
  node "$validate_dir/check-service-env.mjs" k8s "$validate_dir/fixtures/broken-k8s.yaml" --label broken || status=1
  return "$status"
}
expect_rejected broken-k8s \
  "schema: spec.replicas" "imagePullPolicyy" "DATABASE_URL has a literal value" "is not pinned" \
  "livenessProbe must GET /health/live" "terminationGracePeriodSeconds 5" "no PodDisruptionBudget" \
  "exceeds the 6 partitions of customer-events" "consumerGroup 'ingest'" "must have required property scaleTargetRef" \
  "SMTP_URL can be set, but ALERT_EMAIL_TO cannot" "DASHBOARD_URL is not set" \
  "ServiceMonitor/churn-radar: scrapes with job='ingest'" "no NetworkPolicy selects its pods" \
  "FEATURE_SPEC_FILE differs between the services that read it: Deployment/ingest /specs/acme.yaml; Deployment/scorer (default)" \
  -- broken_k8s || failed+=(self-test)
expect_rejected broken-compose \
  "not valid against the Compose specification" "SLACK_WEBHOOK_URL must be a" "depends_on 'brokr'" "apache/kafka:latest" \
  "SMTP_URL can be set, but ALERT_EMAIL_TO cannot" "ALERTING_URL is not set" \
  -- validate_compose "$validate_dir/fixtures/broken-compose.yml" broken-compose || failed+=(self-test)
# A rule changed without regenerating the PrometheusRule.
mkdir -p "$out/changed-rules" && cp deploy/prometheus/rules/*.yml "$out/changed-rules/"
sed -i 's/up{job="churn"} == 0/up{job="churn"} < 1/' "$out/changed-rules/churn-platform.yml"
expect_rejected prometheusrule-out-of-date "differs from the rules" \
  -- node deploy/prometheus/prometheusrule.mjs --check --rules "$out/changed-rules" || failed+=(self-test)
# The Dockerfile without the line that copies the dashboard bundle into the monitoring image.
grep -v -- '--from=build /app/apps/dashboard/dist/web' Dockerfile > "$out/Dockerfile.no-dashboard"
expect_rejected dockerfile-without-dashboard "copies nothing to /app/apps/dashboard/dist/web" \
  -- node "$validate_dir/check-dashboard-image.mjs" "$out/Dockerfile.no-dashboard" || failed+=(self-test)

if [ "${#failed[@]}" -gt 0 ]; then
  fail "INVALID: ${failed[*]} (rendered manifests and logs in ${out#"$root"/})"
fi
echo "validate-deploy: ok — Dockerfile, docker-compose.yml, $rendered_count rendered Kubernetes resources; broken fixtures rejected"
