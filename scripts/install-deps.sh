#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine, idempotently: Debian packages, the npm
# dependencies (which bring Node 24), the pinned control-plane binaries and KubeRay's operator with its
# sample manifests (built once into the cache).
# Usage: scripts/install-deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[install-deps] %s\n' "$*" >&2; }

# Debian packages: openssl (certificates), util-linux (setpriv), iproute2 (pod network namespaces),
# curl, and Go for the control-plane build.
need_apt=()
command -v openssl >/dev/null || need_apt+=(openssl)
command -v setpriv >/dev/null || need_apt+=(util-linux)
command -v ip >/dev/null || need_apt+=(iproute2)
command -v curl >/dev/null || need_apt+=(curl)
command -v go >/dev/null || need_apt+=(golang-go)
# The local node: redis-server (the redis image), wget (KubeRay's Ray probes), python3 + venv (the Ray image).
# redis-server must be on the PATH pods get (CONTAINER_DEFAULT_PATH in src/devcluster/node/images.ts).
PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" command -v redis-server >/dev/null || need_apt+=(redis-server)
command -v wget >/dev/null || need_apt+=(wget)
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c 'import ensurepip, venv' 2>/dev/null || need_apt+=(python3-venv)
# Chromium (headless) for the end-to-end check that the Ray dashboard renders through kubectl port-forward.
command -v chromium >/dev/null || need_apt+=(chromium)
for pkg in ${KUBERAY_TS_EXTRA_APT:-}; do dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg"); done
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# npm dependencies (the `node` dev dependency puts Node 24 first on the PATH of npm scripts).
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

log "control-plane binaries (cached in ${KUBERAY_TS_CACHE:-$HOME/.cache/kuberay-ts}/bin)"
bash scripts/build-controlplane.sh

log "KubeRay's operator v1.5.0 and its sample manifests (the compatibility suite's reference; cached)"
bash scripts/build-kuberay.sh

# The Go tools that check our Go-JSON hashes against KubeRay's own code (scripts/gen-go-field-order.test.ts):
# built here, once, so the test layer never compiles Go while other tests run.
log "Go-JSON check tools (cached in ${KUBERAY_TS_CACHE:-$HOME/.cache/kuberay-ts}/go-field-order)"
node_modules/.bin/node -e "const m = await import('./scripts/gen-go-field-order.ts'); m.buildGoTool('.'); m.buildGoTool('./cmd/kuberay-hash');"

log "Ray for the local node's rayproject/ray image (a venv in the cache)"
bash scripts/install-ray.sh

# The Python clients' test venv (clients/python; its pytest suite is the `python` test layer): Debian's python3
# with pinned test dependencies from PyPI and the package installed editable. Reused while the pins match.
PYC_VENV="${KUBERAY_TS_CACHE:-$HOME/.cache/kuberay-ts}/python-client-venv"
PYC_PINS="kubernetes==37.0.2 requests==2.34.2 pytest==9.2.0 mypy==2.4.1 types-requests==2.33.0.20261030"
if [ "$(cat "$PYC_VENV/.pins" 2>/dev/null)" != "$PYC_PINS" ]; then
  log "Python client test venv ($PYC_VENV)"
  rm -rf "$PYC_VENV"
  python3 -m venv "$PYC_VENV"
  # shellcheck disable=SC2086
  "$PYC_VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q $PYC_PINS
  "$PYC_VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q -e ./clients/python
  echo "$PYC_PINS" > "$PYC_VENV/.pins"
fi
