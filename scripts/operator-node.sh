#!/bin/sh
# Runs node with the operator's Node/V8 flags, then the given arguments (more node flags, the entry script and
# its arguments). The image's /manager is `operator-node /app/src/main/operator.js "$@"`; bench/compare.ts starts
# our operator through this script too, so it measures what the image runs.
#
# The flags, each measured in docs/performance.md:
# - --max-semi-space-size=2 (MiB): a small young generation. Under a burst of watch events V8's default lets it
#   grow to tens of MiB of garbage (peak RSS at 20 x 100 pods 258 -> 163 MiB).
# - --max-old-space-size=1024, only when this process's cgroup sets no memory limit. With a limit (the Helm
#   charts set resources.limits.memory, 512Mi by default) Node sizes the heap from it, and we leave that alone.
#   Without one V8 allows a heap of a quarter of the machine's memory, up to 4 GiB, and, for a heap that may
#   become that large, lets it grow up to 4x between full collections; with 1024 MiB it grows at most about 1.6x. Peak RSS
#   at 20 x 100 pods: c1 137 -> 106 MiB, c10 182 -> 123 MiB, with the same CPU (two alternated runs each).
#   1024 MiB holds the live heap of about 300,000 pods (3.2 KiB each). NODE_OPTIONS with its own
#   --max-old-space-size wins: the flag is then not added.
#
# KUBERAY_TS_CGROUP_FS and KUBERAY_TS_PROC_SELF_CGROUP are for tests only (scripts/operator-node.test.ts).
set -eu

fs=${KUBERAY_TS_CGROUP_FS:-/sys/fs/cgroup}
self=${KUBERAY_TS_PROC_SELF_CGROUP:-/proc/self/cgroup}

# Prints this process's memory limit as the kernel holds it ("max" or bytes), or nothing if it cannot be read.
memory_limit() {
  [ -r "$self" ] || return 0
  if [ -e "$fs/cgroup.controllers" ]; then
    # cgroup v2: the line "0::<path>".
    path=$(awk -F: '$1 == "0" && $2 == "" { print $3; exit }' "$self")
    own="$fs$path/memory.max" root="$fs/memory.max"
  else
    # cgroup v1: the line "<n>:memory:<path>" (the controller may share a line with others).
    path=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3; exit }' "$self")
    own="$fs/memory$path/memory.limit_in_bytes" root="$fs/memory/memory.limit_in_bytes"
  fi
  # Inside a container without a cgroup namespace the path is the host's, and the container's own cgroup is
  # mounted as the root.
  for file in "$own" "$root"; do
    if [ -r "$file" ]; then
      cat "$file"
      return 0
    fi
  done
}

old_space=
case " ${NODE_OPTIONS:-} " in
*--max-old-space-size=* | *--max_old_space_size=*) ;;
*)
  limit=$(memory_limit || true)
  case $limit in
  max) old_space=--max-old-space-size=1024 ;;
  '' | *[!0-9]*) ;; # unknown: Node's own sizing
  *)
    # cgroup v1 says "no limit" with a number near 2^63; anything of 16 digits or more (over 900 TiB) is none.
    if [ ${#limit} -ge 16 ]; then old_space=--max-old-space-size=1024; fi
    ;;
  esac
  ;;
esac

# shellcheck disable=SC2086 # $old_space is one word or empty
exec node --max-semi-space-size=2 $old_space "$@"
