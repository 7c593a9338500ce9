#!/usr/bin/env bash
# Builds the pinned control-plane binaries (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl), KWOK and helm from the Go module proxy into a cache outside the
# repository, keyed by version. A second run finds them and returns at once.
#
# Usage: scripts/build-controlplane.sh [--only NAME[,NAME...]]
# Env:   KUBERAY_TS_CACHE (default ~/.cache/kuberay-ts)
set -euo pipefail

K8S_VERSION=1.34.1
ETCD_VERSION=3.6.4
KWOK_VERSION=0.7.0
HELM_VERSION=3.19.0

CACHE="${KUBERAY_TS_CACHE:-$HOME/.cache/kuberay-ts}"
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY="$2"; shift 2 ;;
    --print-bin-dir) echo "$CACHE/bin"; exit 0 ;;
    -h|--help)
      sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-controlplane: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
wanted() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }

if ! command -v go >/dev/null 2>&1; then
  echo "build-controlplane: 'go' is not on PATH; install Go 1.24 or newer" >&2; exit 1
fi

BIN="$CACHE/bin"
mkdir -p "$BIN" "$CACHE/src"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export CGO_ENABLED=0

log() { printf '[build-controlplane %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# build_one NAME VERSION DIR PKG: build PKG in module DIR into $BIN/NAME-VERSION, link $BIN/NAME.
build_one() {
  local name=$1 version=$2 dir=$3 pkg=$4
  local out="$BIN/$name-$version"
  if [ -x "$out" ]; then
    log "$name $version: cached ($out)"
  else
    log "$name $version: building $pkg (this can take several minutes on a cold cache)"
    local start=$SECONDS
    (cd "$dir" && go build -trimpath -ldflags "-s -w $5" -o "$out.tmp" "$pkg")
    mv "$out.tmp" "$out"
    log "$name $version: built in $((SECONDS - start))s"
  fi
  ln -sf "$name-$version" "$BIN/$name"
}

k8s_module() {
  local dir="$CACHE/src/k8s-$K8S_VERSION"
  if [ ! -f "$dir/.ready" ]; then
    log "preparing scratch module for k8s.io/kubernetes v$K8S_VERSION"
    mkdir -p "$dir"
    local minor=${K8S_VERSION#1.}
    local staging
    staging=$(curl -fsSL "${GOPROXY_URL:-https://proxy.golang.org}/k8s.io/kubernetes/@v/v$K8S_VERSION.mod" \
      | awk '/^replace \(/{r=1;next} r&&/^\)/{r=0} r&&/=> .\/staging/{print $1}')
    if [ -z "$staging" ]; then
      log "could not read the staging module list of k8s.io/kubernetes v$K8S_VERSION"; exit 1
    fi
    {
      echo "module kuberayts.local/k8sbuild"
      echo
      echo "go 1.24.0"
      echo
      echo "require k8s.io/kubernetes v$K8S_VERSION"
      echo
      echo "replace ("
      for m in $staging; do echo "	$m => $m v0.$minor"; done
      echo ")"
    } > "$dir/go.mod"
    cat > "$dir/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
    (cd "$dir" && go mod tidy -e >&2 2>"$dir/tidy.log" || { cat "$dir/tidy.log" >&2; exit 1; })
    touch "$dir/.ready"
  fi
  echo "$dir"
}

k8s_ldflags() {
  local p=k8s.io/component-base/version
  echo "-X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=${K8S_VERSION#1.} -X $p.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=v$K8S_VERSION"
}

etcd_module() {
  local dir="$CACHE/src/etcd-$ETCD_VERSION"
  if [ ! -f "$dir/.ready" ]; then
    log "preparing scratch module for etcd v$ETCD_VERSION"
    mkdir -p "$dir"
    cat > "$dir/go.mod" <<MOD
module kuberayts.local/etcdbuild

go 1.24.0

require go.etcd.io/etcd/server/v3 v$ETCD_VERSION
MOD
    cat > "$dir/tools.go" <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
    (cd "$dir" && go mod tidy -e 2>"$dir/tidy.log" || { cat "$dir/tidy.log" >&2; exit 1; })
    touch "$dir/.ready"
  fi
  echo "$dir"
}

simple_module() { # name modulepath version
  local dir="$CACHE/src/$1-$3"
  if [ ! -f "$dir/.ready" ]; then
    log "preparing scratch module for $2 v$3"
    mkdir -p "$dir"
    printf 'module kuberayts.local/%sbuild\n\ngo 1.24.0\n\nrequire %s v%s\n' "$1" "$2" "$3" > "$dir/go.mod"
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$4" > "$dir/tools.go"
    (cd "$dir" && go mod tidy -e 2>"$dir/tidy.log" || { cat "$dir/tidy.log" >&2; exit 1; })
    touch "$dir/.ready"
  fi
  echo "$dir"
}

if wanted etcd; then
  d=$(etcd_module); build_one etcd "$ETCD_VERSION" "$d" go.etcd.io/etcd/server/v3 ""
fi
need_k8s=""
for n in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  if wanted $n && [ ! -x "$BIN/$n-$K8S_VERSION" ]; then need_k8s=1; fi
done
for n in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  if wanted $n; then
    if [ -n "$need_k8s" ]; then d=$(k8s_module); else d=/tmp; fi
    build_one $n "$K8S_VERSION" "$d" "k8s.io/kubernetes/cmd/$n" "$(k8s_ldflags)"
  fi
done
if wanted kwok; then
  if [ ! -x "$BIN/kwok-$KWOK_VERSION" ]; then d=$(simple_module kwok sigs.k8s.io/kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok); else d=/tmp; fi
  build_one kwok "$KWOK_VERSION" "$d" sigs.k8s.io/kwok/cmd/kwok ""
fi
if wanted helm; then
  if [ ! -x "$BIN/helm-$HELM_VERSION" ]; then d=$(simple_module helm helm.sh/helm/v3 "$HELM_VERSION" helm.sh/helm/v3/cmd/helm); else d=/tmp; fi
  build_one helm "$HELM_VERSION" "$d" helm.sh/helm/v3/cmd/helm "-X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION"
fi
log "binaries ready in $BIN"
