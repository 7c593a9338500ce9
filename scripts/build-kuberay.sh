#!/usr/bin/env bash
# Builds KubeRay's operator (the reference the compatibility suite compares against) from the Go module
# proxy into the cache, keyed by version, and copies the module's sample manifests (config/samples) beside
# it. A second run finds both and returns at once.
#
# Usage: scripts/build-kuberay.sh [--print-samples-dir]
# Env:   KUBERAY_TS_CACHE (default ~/.cache/kuberay-ts)
set -euo pipefail

KUBERAY_VERSION=1.5.0
MODULE=github.com/ray-project/kuberay/ray-operator

CACHE="${KUBERAY_TS_CACHE:-$HOME/.cache/kuberay-ts}"
BIN="$CACHE/bin"
SAMPLES="$CACHE/kuberay-samples-$KUBERAY_VERSION"
case "${1:-}" in
  --print-samples-dir) echo "$SAMPLES"; exit 0 ;;
  -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "build-kuberay: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

if ! command -v go >/dev/null 2>&1; then
  echo "build-kuberay: 'go' is not on PATH; install Go 1.24 or newer" >&2; exit 1
fi
log() { printf '[build-kuberay %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

mkdir -p "$BIN" "$CACHE/src"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export CGO_ENABLED=0
out="$BIN/kuberay-operator-$KUBERAY_VERSION"

if [ -x "$out" ] && [ -f "$SAMPLES/.ready" ]; then
  log "kuberay-operator $KUBERAY_VERSION: cached ($out, samples in $SAMPLES)"
  ln -sf "kuberay-operator-$KUBERAY_VERSION" "$BIN/kuberay-operator"
  exit 0
fi

# A scratch module that requires the operator module and replicates its replace directives (v1.5.0 has
# none today; a later version might), so `go build` resolves the same dependency versions as KubeRay's own.
dir="$CACHE/src/kuberay-$KUBERAY_VERSION"
if [ ! -f "$dir/.ready" ]; then
  log "preparing scratch module for $MODULE v$KUBERAY_VERSION"
  mkdir -p "$dir"
  start=$SECONDS
  modfile=$(cd "$dir" && GOFLAGS=-mod=mod go mod download -json "$MODULE@v$KUBERAY_VERSION" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  if [ -z "$modfile" ] || [ ! -f "$modfile" ]; then
    log "could not download $MODULE v$KUBERAY_VERSION from the Go module proxy"; exit 1
  fi
  {
    printf 'module kuberayts.local/kuberaybuild\n\ngo 1.24.0\n\nrequire %s v%s\n\n' "$MODULE" "$KUBERAY_VERSION"
    # Single-line and block replace directives, except those pointing at local paths of KubeRay's repo.
    awk '/^replace \(/{r=1;next} r&&/^\)/{r=0;next} r&&$0!~/=> *\./{print "replace " $0}
         /^replace [^(]/ && $0!~/=> *\./{print}' "$modfile"
  } > "$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$MODULE" > "$dir/tools.go"
  (cd "$dir" && go mod tidy -e 2>"$dir/tidy.log" || { cat "$dir/tidy.log" >&2; exit 1; })
  touch "$dir/.ready"
  log "scratch module ready in $((SECONDS - start))s"
fi

if [ ! -x "$out" ]; then
  log "kuberay-operator $KUBERAY_VERSION: building $MODULE (several minutes on a cold cache)"
  start=$SECONDS
  (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$out.tmp" "$MODULE")
  mv "$out.tmp" "$out"
  log "kuberay-operator $KUBERAY_VERSION: built in $((SECONDS - start))s"
fi
ln -sf "kuberay-operator-$KUBERAY_VERSION" "$BIN/kuberay-operator"

if [ ! -f "$SAMPLES/.ready" ]; then
  src="$(cd "$dir" && go list -m -f '{{.Dir}}' "$MODULE")/config/samples"
  if [ ! -d "$src" ]; then log "no sample folder in the module: $src"; exit 1; fi
  rm -rf "$SAMPLES.tmp" && mkdir -p "$SAMPLES.tmp"
  cp -R "$src/." "$SAMPLES.tmp/"
  chmod -R u+w "$SAMPLES.tmp"
  touch "$SAMPLES.tmp/.ready"
  rm -rf "$SAMPLES" && mv "$SAMPLES.tmp" "$SAMPLES"
  log "samples copied to $SAMPLES ($(find "$SAMPLES" -name '*.yaml' | wc -l) manifests)"
fi
log "kuberay-operator ready: $out"
