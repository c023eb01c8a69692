#!/usr/bin/env bash
# Validates the Prometheus rules and runs their unit tests with promtool (Debian: apt-get install -y prometheus).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v promtool >/dev/null; then
  echo "promtool not found: apt-get install -y prometheus" >&2
  exit 1
fi
promtool check rules rules/*.yml
promtool test rules tests/*.yml
