#!/usr/bin/env bash
# Makes a fresh clone runnable: npm packages (from the lockfile), then the TypeScript build.
# Cheap on a second run: each step is skipped when its inputs have not changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
state="$root/.churn"
mkdir -p "$state"

say() { [ "${CHURN_QUIET:-}" = 1 ] || printf '\033[36m▸\033[0m %s\n' "$*" >&2; }
# Quiet (bin/churn): no npm spinner on the terminal ahead of the command's own lines.
[ "${CHURN_QUIET:-}" = 1 ] && export npm_config_progress=false

for tool in node npm java mvn python3; do
  command -v "$tool" >/dev/null || { echo "churn: '$tool' is required but not on PATH" >&2; exit 1; }
done
source "$root/scripts/node-runtime.sh"

lock_hash="$(sha256sum package-lock.json | cut -c1-16)"
if [ ! -d node_modules ] || [ "$(cat "$state/npm.stamp" 2>/dev/null)" != "$lock_hash" ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$state/npm.stamp"
fi

say "building TypeScript (incremental)"
npx --no-install tsc -b tsconfig.json

say "building the dashboard bundle (Vite; skipped when unchanged)"
bash apps/dashboard/scripts/build-web.sh
