#!/usr/bin/env bash
# Runs the trainer's lint (ruff) and pytest suite in the trainer venv; exits non-zero on any failure.
set -euo pipefail
TRAINER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$TRAINER_DIR/../.." && pwd)"
"$TRAINER_DIR/scripts/ensure-venv.sh"
VENV_DIR="${CHURN_VENV:-$REPO_DIR/.churn/venv}"
export MPLBACKEND=Agg
cd "$TRAINER_DIR"
# Lint and format first (ruff, configured in pyproject.toml): a failure names the file and line.
"$VENV_DIR/bin/ruff" check src tests
"$VENV_DIR/bin/ruff" format --check src tests
exec "$VENV_DIR/bin/python" -m pytest tests "$@"
