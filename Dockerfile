# syntax=docker/dockerfile:1
# One image for every role: the command picks it (api, worker, migrate, token, sim, import, start, demo).
#   docker build -t tunnelwatch:local .        docker compose up -d        (see docs/operations.md)

ARG NODE_IMAGE=node:20-bookworm-slim

# Dependencies: only the manifests, so this layer is rebuilt when a manifest or the lock file changes, not on
# every source edit. Every workspace's package.json must be listed (npm ci checks them against the lock file).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# The lock file and the root package.json's allowScripts are written by npm 11.
RUN npm install -g npm@11.19.1 --no-audit --no-fund
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/cli/package.json apps/cli/
COPY apps/worker/package.json apps/worker/
COPY packages/config/package.json packages/config/
COPY packages/db/package.json packages/db/
COPY packages/inventory/package.json packages/inventory/
COPY packages/model/package.json packages/model/
COPY packages/parser/package.json packages/parser/
COPY packages/sim/package.json packages/sim/
COPY packages/ssh/package.json packages/ssh/
COPY bench/package.json bench/
COPY deploy/package.json deploy/
COPY e2e/package.json e2e/
RUN npm ci --no-audit --no-fund

# Build every package, then drop the dev dependencies (vitest, turbo, typescript, …) from node_modules.
FROM deps AS build
ENV TURBO_TELEMETRY_DISABLED=1
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Runtime: the built tree, owned by root and read-only to the unprivileged `node` user the process runs as.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    TUNNELWATCH_DATA_DIR=/var/lib/tunnelwatch
WORKDIR /app
# The only writable place. Named volumes mounted here start with this ownership.
RUN mkdir -p /var/lib/tunnelwatch/secrets /var/lib/tunnelwatch/demo && chown -R node:node /var/lib/tunnelwatch
COPY --from=build /app /app
USER node
EXPOSE 8080
# The API's liveness endpoint; roles without an HTTP listener (worker, one-shot commands) disable it in compose.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/apps/cli/bin/tunnelwatch.js"]
CMD ["start"]
