#!/usr/bin/env bash
# Lints the trainer's Python with ruff (pinned in requirements.txt, rules in pyproject.toml): the
# rules, then the formatting; a failure names the file and line. Run by `npm run lint` and before the
# trainer's tests.
set -euo pipefail
TRAINER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$TRAINER_DIR/../.." && pwd)"
"$TRAINER_DIR/scripts/ensure-venv.sh"
VENV_DIR="${CHURN_VENV:-$REPO_DIR/.churn/venv}"
cd "$TRAINER_DIR"
"$VENV_DIR/bin/ruff" check src tests
"$VENV_DIR/bin/ruff" format --check src tests
