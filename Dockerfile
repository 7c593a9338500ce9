# The kuberay-ts operator image. The sources are compiled to JavaScript (`npm run build`, no bundling): the
# compiled operator starts with about 30 MiB less RSS than the same sources run through Node's type stripping
# (docs/performance.md); development and tests run the TypeScript sources directly.
# Build: docker build -t quay.io/kuberay/operator:nightly .
# The chart's default command is /manager (KubeRay's binary path), so the image provides /manager as a
# launcher for `node src/main/operator.js`; every argument the chart passes reaches the operator unchanged.
# Runs as a non-root user and needs no writable path, so readOnlyRootFilesystem: true works.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
RUN npm run build

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Runtime dependencies only; the `node` dev dependency is not needed (the base image is Node 24).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# dist/ holds package.json and src/**/*.js (and the generated JSON files they import).
COPY --from=build /app/dist/ ./
# --max-semi-space-size=2 (MiB): a small young generation; under a burst of watch events V8's default lets it grow
# to tens of MiB of garbage. Measured: peak RSS at 20 x 100 pods 258 -> 163 MiB (docs/performance.md).
# bench/compare.ts runs our operator with the same flag.
RUN printf '#!/bin/sh\nexec node --max-semi-space-size=2 /app/src/main/operator.js "$@"\n' > /manager && chmod 0555 /manager
# 65532 is the conventional "nonroot" uid (as in distroless images); the node user (1000) would do too.
USER 65532:65532
EXPOSE 8080 8082 9443
ENTRYPOINT ["/manager"]
