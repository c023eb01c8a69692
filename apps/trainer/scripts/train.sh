#!/usr/bin/env bash
# Used by `bin/churn train` and `churn retrain`: ensures the venv, then trains from the repo root with the
# flags given (--spec JSON --data CSV --out DIR ...). With no flags it runs `bin/churn train`, which trains
# on the Telco table with specs/telco.yaml (the spec reaches the trainer normalized by libs/feature-spec).
set -euo pipefail
TRAINER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$TRAINER_DIR/../.." && pwd)"
"$TRAINER_DIR/scripts/ensure-venv.sh"
VENV_DIR="${CHURN_VENV:-$REPO_DIR/.churn/venv}"
cd "$REPO_DIR"
if [[ $# -eq 0 ]]; then
  exec "$REPO_DIR/bin/churn" train
fi
exec "$VENV_DIR/bin/python" -m churn_trainer train "$@"
