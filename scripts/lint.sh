#!/usr/bin/env bash
# `npm run lint`: every linter of the repository, each run even when an earlier one fails, exiting
# non-zero if any did: eslint over libs and apps (module boundaries included), Prettier's check of
# the TypeScript, JavaScript and CSS layout (.prettierrc.json; `npx prettier --write .` fixes it),
# then ruff over the Python trainer (its rules in apps/trainer/pyproject.toml, ruff pinned in its
# requirements.txt).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/node-runtime.sh"
# Nx computes the project graph the boundary rule reads in-process instead of asking a daemon for a
# cached one, so lint sees the projects as they are on disk.
export NX_DAEMON=false NX_NO_CLOUD=true
status=0
npx --no-install eslint libs apps || status=1
npx --no-install prettier --check . --log-level warn || status=1
bash apps/trainer/scripts/lint.sh || status=1
exit "$status"
