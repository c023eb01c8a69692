#!/usr/bin/env bash
# `npm run demo`: install what a fresh machine lacks (npm packages, the build, the Kafka jars on
# first start), bring the platform up, replay the Telco customers through it, print a summary, and
# keep running until Ctrl-C. Arguments go to `churn demo` (e.g. --fast, --rate 2000, --exit).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/bootstrap.sh"
CHURN_QUIET=1 source "$root/scripts/node-runtime.sh"
export KAFKAJS_NO_PARTITIONER_WARNING=1
exec node "$root/apps/cli/dist/main.js" demo "$@"
