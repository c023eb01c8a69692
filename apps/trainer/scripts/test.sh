#!/usr/bin/env bash
# Runs the trainer's lint (ruff) and pytest suite in the trainer venv; exits non-zero on any failure.
set -euo pipefail
TRAINER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$TRAINER_DIR/../.." && pwd)"
"$TRAINER_DIR/scripts/ensure-venv.sh"
VENV_DIR="${CHURN_VENV:-$REPO_DIR/.churn/venv}"
export MPLBACKEND=Agg
cd "$TRAINER_DIR"
# Lint and format first: a failure names the file and line before a long test run.
"$TRAINER_DIR/scripts/lint.sh"
exec "$VENV_DIR/bin/python" -m pytest tests "$@"
