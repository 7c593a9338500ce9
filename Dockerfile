# The kuberay-ts images: the operator (the default target) and the API server with the web dashboard
# (`--target apiserver`). The sources are compiled to JavaScript (`npm run build`, no bundling): the
# compiled operator starts with about 30 MiB less RSS than the same sources run through Node's type stripping
# (docs/performance.md); development and tests run the TypeScript sources directly.
# Build: docker build -t quay.io/kuberay/operator:nightly .
#        docker build --target apiserver -t quay.io/kuberay/apiserver:nightly .
# The chart's default command is /manager (KubeRay's binary path), so the image provides /manager as a
# launcher for `node src/main/operator.js`; every argument the chart passes reaches the operator unchanged.
# The apiserver chart gives only args (KubeRay's image entrypoint is the server), so that image's entrypoint is
# /apiserver, a launcher for `node src/main/apiserver.js`. The dashboard is built into /app/dashboard/dist, where
# the API server looks when no --dashboard-dir is given (the chart's `dashboard.enabled: false` passes
# --dashboard-dir=none). Both images are the same files; only the entrypoint differs.
# Runs as a non-root user and needs no writable path, so readOnlyRootFilesystem: true works.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY dashboard/package.json ./dashboard/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
RUN npm run build
# The web dashboard (React + Vite) -> dashboard/dist: static files, no runtime dependency.
COPY dashboard ./dashboard
RUN npm run build:dashboard

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY dashboard/package.json ./dashboard/
# Runtime dependencies only; the `node` dev dependency is not needed (the base image is Node 24).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# dist/ holds package.json and src/**/*.js (and the generated JSON files they import).
COPY --from=build /app/dist/ ./
COPY --from=build /app/dashboard/dist/ ./dashboard/dist/
# operator-node runs node with the operator's heap flags (a small young generation; a capped old space when the
# container has no memory limit); the script says why, with the figures of docs/performance.md. bench/compare.ts
# starts our operator through the same script.
COPY scripts/operator-node.sh /usr/local/bin/operator-node
RUN chmod 0555 /usr/local/bin/operator-node \
  && printf '#!/bin/sh\nexec operator-node /app/src/main/operator.js "$@"\n' > /manager && chmod 0555 /manager
RUN printf '#!/bin/sh\nexec node /app/src/main/apiserver.js "$@"\n' > /apiserver && chmod 0555 /apiserver
# 65532 is the conventional "nonroot" uid (as in distroless images); the node user (1000) would do too.
USER 65532:65532

FROM runtime AS apiserver
EXPOSE 8888 8887
ENTRYPOINT ["/apiserver"]

# The last stage is the default target: the operator.
FROM runtime AS operator
EXPOSE 8080 8082 9443
ENTRYPOINT ["/manager"]
