# The kuberay-ts operator image. Sources run directly on Node 24 (type stripping: no build step).
# Build: docker build -t quay.io/kuberay/operator:nightly .
# The chart's default command is /manager (KubeRay's binary path), so the image provides /manager as a
# launcher for `node src/main/operator.ts`; every argument the chart passes reaches the operator unchanged.
# Runs as a non-root user and needs no writable path, so readOnlyRootFilesystem: true works.

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Runtime dependencies only; the `node` dev dependency is not needed (the base image is Node 24).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
RUN printf '#!/bin/sh\nexec node /app/src/main/operator.ts "$@"\n' > /manager && chmod 0555 /manager
# 65532 is the conventional "nonroot" uid (as in distroless images); the node user (1000) would do too.
USER 65532:65532
EXPOSE 8080 8082 9443
ENTRYPOINT ["/manager"]
