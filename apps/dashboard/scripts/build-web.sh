#!/usr/bin/env bash
# Builds the browser bundle of the monitoring dashboard into apps/dashboard/dist/web (served by
# apps/monitoring at `/`): type-checks the browser code, then `vite build`. Skipped when neither
# the sources (src/web, and src/logic: the browser-free rules it imports, unit-tested on Node), the
# API's response types it checks against (libs/contracts/src), the build configuration nor the
# lockfile changed since the last build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
out="$here/dist/web"
stamp="$here/dist/web.stamp"
inputs_hash="$(
  { find "$here/src/web" "$here/src/logic" "$root/libs/contracts/src" -type f -print0 | sort -z | xargs -0 sha256sum
    sha256sum "$here/vite.config.mts" "$here/tsconfig.web.json" package-lock.json; } | sha256sum | cut -c1-16
)"
if [ -f "$out/index.html" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs_hash" ]; then
  exit 0
fi
npx --no-install tsc -p "$here/tsconfig.web.json"
npx --no-install vite build --config "$here/vite.config.mts" --logLevel warn
echo "$inputs_hash" > "$stamp"
