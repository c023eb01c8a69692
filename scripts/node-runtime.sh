# Sourced by the project's scripts (bootstrap, bin/churn, demo, test, CI): makes `node` a maintained
# LTS. A system Node 22 or newer is used as it is; with an older one, Node $CHURN_NODE_VERSION is
# installed once from the npm registry (the `node-<platform>-<arch>` package the `node` package itself
# installs) into .churn/node and put first on PATH, so npm, tsc, the CLI, the services and the tests
# all run on it. Needs $root (the repository root).
CHURN_NODE_VERSION=24.22.3
CHURN_NODE_MIN_MAJOR=22

# onnxruntime-node's install script reads this (script/install-utils.js); it ships its CPU binaries
# in the package and would otherwise try to download GPU ones from outside the npm registry.
export ONNXRUNTIME_NODE_INSTALL=skip

churn_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(churn_node_major)" -lt "$CHURN_NODE_MIN_MAJOR" ]; then
  churn_node_home="$root/.churn/node"
  if [ "$(cat "$churn_node_home/VERSION" 2>/dev/null)" != "$CHURN_NODE_VERSION" ] || [ ! -x "$churn_node_home/bin/node" ]; then
    churn_node_package="$(node -p '`node-${process.platform}-${process.arch}`')@$CHURN_NODE_VERSION"
    [ "${CHURN_QUIET:-}" = 1 ] || printf '\033[36m▸\033[0m %s\n' "Node $(node --version) is older than $CHURN_NODE_MIN_MAJOR: installing Node $CHURN_NODE_VERSION ($churn_node_package from the npm registry) into .churn/node" >&2
    mkdir -p "$root/.churn"
    churn_node_tmp="$(mktemp -d "$root/.churn/node-download.XXXXXX")"
    (cd "$churn_node_tmp" && npm pack "$churn_node_package" --silent >/dev/null) \
      && mkdir -p "$churn_node_tmp/node" \
      && tar xzf "$churn_node_tmp"/*.tgz -C "$churn_node_tmp/node" --strip-components=1 package/bin/node package/LICENSE \
      && echo "$CHURN_NODE_VERSION" > "$churn_node_tmp/node/VERSION" \
      && rm -rf "$churn_node_home" && mv "$churn_node_tmp/node" "$churn_node_home" \
      || { rm -rf "$churn_node_tmp"; echo "churn: could not install Node $CHURN_NODE_VERSION from the npm registry; install Node $CHURN_NODE_MIN_MAJOR or newer" >&2; exit 1; }
    rm -rf "$churn_node_tmp"
  fi
  export PATH="$churn_node_home/bin:$PATH"
fi

# kafkajs 2.2.4 sets a timer to (throttledUntil = -1) - Date.now() on every connection; Node clamps
# it to 1 ms as it always did, but Node 23 and later also print a TimeoutNegativeWarning for it
# (tulios/kafkajs#1751, unfixed in the 2.x line). The same clamping, without the noise.
case " ${NODE_OPTIONS:-} " in
  *" --disable-warning=TimeoutNegativeWarning "*) ;;
  *) export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--disable-warning=TimeoutNegativeWarning" ;;
esac
