# syntax=docker/dockerfile:1.7
# The image of one app, built from the repository root:
#   docker build --build-arg APP=datastorage -t kubernaut/datastorage:dev .
# APP is a directory under apps/ with a server (datastorage, remediation-orchestrator, remediation-processor,
# ai-analysis). The container runs the app's package.json "main"; scripts/build-images.sh passes PORT from the
# app's package.json "config.port".
ARG NODE_IMAGE=node:22.23.3-bookworm-slim

FROM ${NODE_IMAGE} AS base
RUN npm install -g pnpm@10.34.8 turbo@2.11.11 && npm cache clean --force
WORKDIR /src

# Only the workspace packages the app depends on, with package.json files split out for layer caching.
FROM base AS prune
ARG APP
RUN test -n "${APP}" || { echo "set --build-arg APP=<app under apps/>" >&2; exit 1; }
COPY . .
RUN turbo prune "@kubernaut/${APP}" --docker

FROM base AS build
ARG APP
COPY --from=prune /src/out/json/ .
RUN --mount=type=cache,id=pnpm,target=/root/.local/share/pnpm/store pnpm install --frozen-lockfile
COPY --from=prune /src/out/full/ .
# turbo prune copies workspace packages only; every tsconfig extends the root one.
COPY tsconfig.base.json ./
RUN turbo run build --filter="@kubernaut/${APP}..."
RUN pnpm --filter "@kubernaut/${APP}" deploy --legacy --prod /app
# The migrations are not a workspace package, so turbo prune leaves them out; the storage service migrates from them.
COPY migrations /app/migrations

FROM ${NODE_IMAGE} AS runtime
ARG APP
ARG PORT=8080
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="kubernaut-${APP}" \
      org.opencontainers.image.description="Kubernaut Audit: ${APP}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/kubernaut/kubernaut-audit"
ENV NODE_ENV=production
ENV MIGRATIONS_DIR=/app/migrations
WORKDIR /app
COPY --from=build --chown=node:node /app /app
# Runs as the unprivileged "node" user (uid 1000) with a read-only root filesystem: nothing is written
# outside mounted volumes (/tmp and the data or spool directories).
USER 1000:1000
EXPOSE ${PORT}
# Exec form: node is PID 1 and receives SIGTERM directly; the app handles it and drains before exiting. "." is the
# app's package.json "main".
ENTRYPOINT ["node", "--enable-source-maps", "."]
