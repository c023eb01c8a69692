#!/usr/bin/env bash
# Checks the Grafana dashboards against their generator and the Prometheus rules, offline:
#  1. the committed deploy/grafana/dashboards/*.json are exactly what the generator writes
#     (deploy/grafana/generator/src/dashboards.ts is the source of truth);
#  2. every dashboard has what Grafana needs, every PromQL expression (dashboards and rules) parses
#     with promtool, every metric it selects exists in the code, every alert has a firing unit test
#     (generator/src/validate.ts);
#     and every alert's runbook_url names an existing section of a docs/ page;
#  3. self-tests: a broken expression, an unknown metric, an untested alert and a runbook_url to a
#     missing section are each rejected.
# Needs node_modules (scripts/bootstrap.sh) and promtool (Debian: apt-get install -y prometheus).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
if ! command -v promtool >/dev/null; then
  echo "deploy/grafana/check.sh: promtool not found: apt-get install -y prometheus" >&2
  exit 1
fi
[ -d node_modules/@grafana/grafana-foundation-sdk ] || { echo "deploy/grafana/check.sh: node_modules incomplete: run scripts/bootstrap.sh (npm ci)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

npx --no-install tsc -b deploy/grafana/generator
generate() { node deploy/grafana/generator/dist/generate.js "$1" >/dev/null; }
validate() { node deploy/grafana/generator/dist/validate.js "$@"; }

echo "• committed dashboards = generator output"
generate "$work/generated"
if ! diff -ru "$work/generated" deploy/grafana/dashboards; then
  echo "✗ deploy/grafana/dashboards/ differs from the generator's output (above). Edit deploy/grafana/generator/src/dashboards.ts," >&2
  echo "  then: npx tsc -b deploy/grafana/generator && node deploy/grafana/generator/dist/generate.js, and commit the JSON" >&2
  exit 1
fi

echo "• dashboards, PromQL, metric names, alert tests"
validate

# Self-tests: the checks above must be able to fail.
expect_rejected() {
  local what="$1" pattern="$2"; shift 2
  local out
  if out="$(validate "$@" 2>&1)"; then
    echo "✗ self-test: validation accepted $what" >&2; exit 1
  fi
  if ! grep -qF -- "$pattern" <<<"$out"; then
    echo "✗ self-test: $what was rejected, but without '$pattern':" >&2; echo "$out" >&2; exit 1
  fi
  echo "  self-test ok: $what rejected"
}
# replace_once FILE NEEDLE REPLACEMENT (fails when NEEDLE is absent, so a self-test cannot pass vacuously)
replace_once() {
  node -e '
    const fs = require("fs");
    const [file, needle, replacement] = process.argv.slice(1);
    const text = fs.readFileSync(file, "utf8");
    if (!text.includes(needle)) { console.error(`self-test setup: ${needle} not in ${file}`); process.exit(1); }
    fs.writeFileSync(file, text.replace(needle, replacement));
  ' "$@"
}
mkdir -p "$work/broken-expr" "$work/unknown-metric" "$work/untested-alert"
cp deploy/grafana/dashboards/*.json "$work/broken-expr/"
cp deploy/grafana/dashboards/*.json "$work/unknown-metric/"
replace_once "$work/broken-expr/pipeline-health.json" 'sum by (service, topic) (rate(' 'sum by (service, topic) ((rate('
replace_once "$work/unknown-metric/model-quality.json" 'monitoring_model_brier_score' 'monitoring_model_brier_scores'
expect_rejected "a dashboard expression with an unbalanced parenthesis" "PromQL does not parse" --dashboards "$work/broken-expr"
expect_rejected "a dashboard metric the code does not export" "metric monitoring_model_brier_scores is not defined" --dashboards "$work/unknown-metric"
cp deploy/prometheus/rules/*.yml "$work/untested-alert/"
cat > "$work/untested-alert/extra.yml" <<'YAML'
groups:
  - name: self-test
    rules:
      - alert: ChurnSelfTestUntested
        expr: up{job="churn"} == 0
YAML
expect_rejected "an alerting rule without a unit test" "alert ChurnSelfTestUntested has no unit test" --rules "$work/untested-alert"
mkdir -p "$work/missing-runbook"
cp deploy/prometheus/rules/*.yml "$work/missing-runbook/"
replace_once "$work/missing-runbook/churn-platform.yml" 'docs/runbooks.md#churnservicedown' 'docs/runbooks.md#churnservicedwn'
expect_rejected "a runbook_url naming a section that does not exist" "docs/runbooks.md has no section #churnservicedwn" --rules "$work/missing-runbook"

echo "deploy/grafana/check.sh: ok"
