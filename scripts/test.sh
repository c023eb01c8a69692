#!/usr/bin/env bash
# `npm test`: everything from nothing on a fresh machine — install, build, lint (module boundaries
# included), unit specs, integration specs against a real Kafka broker and a real Postgres that it
# starts itself, and the Python trainer's tests. Prints one closing line: "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export NX_DAEMON=false NX_NO_CLOUD=true KAFKAJS_NO_PARTITIONER_WARNING=1
source "$root/scripts/node-runtime.sh"
results="$root/.churn/test-results"
rm -rf "$results" && mkdir -p "$results"
failed_phases=()

phase() {
  local name="$1"; shift
  printf '\n\033[1m== %s ==\033[0m\n' "$name"
  local started=$SECONDS
  "$@" 2>&1 | tee "$results/$name.log"
  local status=${PIPESTATUS[0]}
  printf '== %s: %s in %ss ==\n' "$name" "$([ "$status" = 0 ] && echo ok || echo FAILED)" "$((SECONDS - started))"
  [ "$status" = 0 ] || failed_phases+=("$name")
  return "$status"
}

# Debian packages some checks drive for real: Prometheus (promtool, the targets-up test) and
# Chromium (the dashboard's end-to-end test). CI runs as root on a fresh machine and installs what
# is missing; elsewhere a missing package makes its check fail with the command to run.
missing=()
{ command -v promtool >/dev/null && [ -x /usr/bin/prometheus ]; } || missing+=(prometheus)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" = 0 ]; then
  printf '\n== installing Debian packages: %s ==\n' "${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

phase bootstrap bash scripts/bootstrap.sh || { echo "bootstrap failed"; echo "0 passed, 1 failed"; exit 1; }
phase lint bash scripts/lint.sh
phase deploy bash scripts/validate-deploy.sh
phase prometheus bash deploy/prometheus/check.sh
phase grafana bash deploy/grafana/check.sh
phase unit node scripts/run-tests.mjs all unit
phase integration node libs/local-stack/dist/run-integration.js
phase chaos node libs/local-stack/dist/run-integration.js --suite chaos
# The previous Kafka line stays a tested option: the broker and consumer-layer specs again on 3.9
# (its own test stack, beside the default's ports).
phase kafka-3.9 env CHURN_KAFKA_VERSION=3.9.1 CHURN_TEST_PORT_OFFSET=500 node libs/local-stack/dist/run-integration.js libs/local-stack libs/kafka
if [ -x apps/trainer/scripts/test.sh ]; then
  phase trainer bash apps/trainer/scripts/test.sh
fi

# One closing line over every runner: Node's ("ℹ pass N") and pytest's ("N passed").
passed=0; failed=0
for log in "$results"/unit.log "$results"/integration.log "$results"/chaos.log "$results"/kafka-3.9.log; do
  [ -f "$log" ] || continue
  p=$(grep -E '^ℹ pass [0-9]+' "$log" | tail -1 | awk '{print $3}'); f=$(grep -E '^ℹ fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ -f "$results/trainer.log" ]; then
  p=$(grep -Eo '[0-9]+ passed' "$results/trainer.log" | tail -1 | awk '{print $1}'); f=$(grep -Eo '[0-9]+ failed' "$results/trainer.log" | tail -1 | awk '{print $1}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
fi
# A phase that failed without a test failing (lint, a crashed runner) still fails the run.
if [ "${#failed_phases[@]}" -gt 0 ] && [ "$failed" = 0 ]; then failed=${#failed_phases[@]}; fi
echo
[ "${#failed_phases[@]}" -gt 0 ] && echo "failed phases: ${failed_phases[*]}"
echo "$passed passed, $failed failed"
[ "${#failed_phases[@]}" = 0 ]
