#!/usr/bin/env bash
# Builds every image of the Dockerfile and tags it from the version:
#   <prefix>/<service>:<package.json version>   ingest scorer alerting crm-sync monitoring cli jobs-worker trainer
#   <prefix>/models:<models/active>             the model registry for the scorer's init container
# Needs a Docker engine with BuildKit. Usage:
#   deploy/docker/build-images.sh [--push] [target ...]     (CHURN_IMAGE_PREFIX, default churn-radar)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
prefix="${CHURN_IMAGE_PREFIX:-churn-radar}"
version="$(node -p "require('./package.json').version")"
model_version="$(tr -d '[:space:]' < models/active)"
push=false
targets=()
for arg in "$@"; do
  case "$arg" in
    --push) push=true ;;
    *) targets+=("$arg") ;;
  esac
done
[ "${#targets[@]}" -gt 0 ] || targets=(ingest scorer alerting crm-sync monitoring cli jobs-worker models trainer)

for target in "${targets[@]}"; do
  tag="$version"
  [ "$target" = models ] && tag="$model_version"
  image="$prefix/$target:$tag"
  echo "building $image" >&2
  DOCKER_BUILDKIT=1 docker build --target "$target" --build-arg "VERSION=$version" -t "$image" .
  if [ "$push" = true ]; then docker push "$image"; fi
done
