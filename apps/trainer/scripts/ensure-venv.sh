#!/usr/bin/env bash
# Creates (or reuses) the trainer's virtualenv at <repo>/.churn/venv.
# Idempotent: a stamp holding the hash of requirements.txt + the source path is
# kept in the venv, so a second run with nothing changed returns in well under a second.
set -euo pipefail

TRAINER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$TRAINER_DIR/../.." && pwd)"
VENV_DIR="${CHURN_VENV:-$REPO_DIR/.churn/venv}"
PYTHON="${PYTHON:-python3}"
REQUIREMENTS="$TRAINER_DIR/requirements.txt"
STAMP="$VENV_DIR/.churn-requirements.sha256"

wanted="$( { cat "$REQUIREMENTS"; echo "src=$TRAINER_DIR/src"; } | sha256sum | cut -d' ' -f1)"

if [[ -x "$VENV_DIR/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$wanted" ]]; then
  exit 0
fi

if [[ ! -x "$VENV_DIR/bin/python" ]]; then
  echo "[trainer] creating virtualenv at $VENV_DIR" >&2
  mkdir -p "$(dirname "$VENV_DIR")"
  "$PYTHON" -m venv "$VENV_DIR"
fi

echo "[trainer] installing pinned requirements into $VENV_DIR" >&2
"$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$REQUIREMENTS"

# The package is put on the path with a .pth file instead of an editable install:
# no build backend has to be fetched and the source stays importable as it is edited.
site_packages="$("$VENV_DIR/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$TRAINER_DIR/src" > "$site_packages/churn_trainer.pth"

echo "$wanted" > "$STAMP"
echo "[trainer] virtualenv ready" >&2
