#!/usr/bin/env bash
# Convenience wrapper used by `bin/churn train`: ensures the venv, then trains from the repo root.
# Defaults: --data data/telco/train.csv --out models --activate (override by passing flags).
set -euo pipefail
TRAINER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$TRAINER_DIR/../.." && pwd)"
"$TRAINER_DIR/scripts/ensure-venv.sh"
VENV_DIR="${CHURN_VENV:-$REPO_DIR/.churn/venv}"
cd "$REPO_DIR"
if [[ $# -eq 0 ]]; then
  set -- --data data/telco/train.csv --out models --activate
fi
exec "$VENV_DIR/bin/python" -m churn_trainer train "$@"
