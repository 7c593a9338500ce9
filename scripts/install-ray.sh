#!/usr/bin/env bash
# Creates (once) the Python virtual environment that stands in for the rayproject/ray images on the local node:
# the pinned ray[default,serve] from PyPI in ${KUBERAY_TS_CACHE:-~/.cache/kuberay-ts}/ray-venv-<version>.
# Idempotent: a venv marked complete is kept; a half-built one is rebuilt. The version must match RAY_VERSION
# in src/devcluster/node/images.ts.
# Usage: scripts/install-ray.sh        (KUBERAY_TS_RAY_VERSION overrides the version)
set -euo pipefail
RAY_VERSION="${KUBERAY_TS_RAY_VERSION:-2.52.1}"
CACHE="${KUBERAY_TS_CACHE:-$HOME/.cache/kuberay-ts}"
VENV="$CACHE/ray-venv-$RAY_VERSION"
log() { printf '[install-ray] %s\n' "$*" >&2; }

# protobuf 7 dropped FieldDescriptor.label, which Ray 2.52's Serve still reads (every deploy fails with an
# AttributeError); Ray pins no upper bound, so we do.
PINS=("protobuf<7")
SERVE_CHECK="import ray.serve, fastapi, starlette, uvicorn, google.protobuf as p; assert int(p.__version__.split('.')[0]) < 7, p.__version__"
if [ -x "$VENV/bin/ray" ] && [ -f "$VENV/.complete" ]; then
  if "$VENV/bin/python" -c "$SERVE_CHECK" 2>/dev/null; then
    log "Ray $RAY_VERSION already installed in $VENV"
    exit 0
  fi
  # A venv from before Serve was needed (RayService e2e tests): add the serve extra in place.
  log "adding ray[serve]==$RAY_VERSION to $VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q "ray[default,serve]==$RAY_VERSION" "${PINS[@]}"
  "$VENV/bin/python" -c "$SERVE_CHECK"
  exit 0
fi

PYTHON="${KUBERAY_TS_PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || { log "python3 is missing (apt-get install python3 python3-venv)"; exit 1; }
t0=$(date +%s)
log "creating $VENV with $("$PYTHON" --version 2>&1)"
rm -rf "$VENV"
mkdir -p "$CACHE"
trap 'rm -rf "$VENV"; log "failed; removed the half-built $VENV"' ERR
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q --upgrade pip
log "installing ray[default,serve]==$RAY_VERSION from PyPI (a few minutes the first time)"
"$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off "ray[default,serve]==$RAY_VERSION" "${PINS[@]}" \
  > "$CACHE/ray-install-$RAY_VERSION.log" 2>&1 || { tail -20 "$CACHE/ray-install-$RAY_VERSION.log" >&2; false; }
grep -E '^Successfully installed' "$CACHE/ray-install-$RAY_VERSION.log" | cut -c1-300 >&2 || true
"$VENV/bin/python" -c "$SERVE_CHECK"
"$VENV/bin/python" -c "import ray, ray.dashboard.modules.job.sdk; assert ray.__version__ == '$RAY_VERSION', ray.__version__"
trap - ERR
touch "$VENV/.complete"
log "Ray $RAY_VERSION installed in $VENV in $(( $(date +%s) - t0 ))s"
