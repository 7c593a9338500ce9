/** Where the init container points a user whose worker waits too long for the GCS (KubeRay's FAQ link). */
export const gcsWaitFaqUrl = 'https://docs.ray.io/en/master/cluster/kubernetes/troubleshooting.html';

/** The first two minutes are quiet (health-check output hidden); after that its errors are shown. */
const quietSeconds = 120;
const pollSeconds = 5;

/**
 * The `wait-gcs-ready` init container's bash script, as KubeRay v1.5.0 behaves: every 5 s it runs
 * `ray health-check` against the head's GCS and prints `<n> seconds elapsed: Waiting for GCS to be ready.`;
 * after 120 s it stops hiding the health check's output and says where to look for help. It exits 0 as soon
 * as the GCS answers. `address` is `host:port` of the head's GCS. The text is byte-identical to KubeRay's,
 * which keeps the indentation of its Go source (a leading newline, tabs), so pods compare equal across operators.
 */
export function waitGcsReadyScript(address: string): string {
  const check = `ray health-check --address ${address}`;
  const lines = [
    'SECONDS=0',
    'while true; do',
    `  if (( SECONDS <= ${quietSeconds} )); then`,
    `    if ${check} > /dev/null 2>&1; then`,
    '      echo "GCS is ready."',
    '      break',
    '    fi',
    '    echo "$SECONDS seconds elapsed: Waiting for GCS to be ready."',
    '  else',
    `    if ${check}; then`,
    '      echo "GCS is ready. Any error messages above can be safely ignored."',
    '      break',
    '    fi',
    `    echo "$SECONDS seconds elapsed: Still waiting for GCS to be ready. For troubleshooting, refer to the FAQ at ${gcsWaitFaqUrl}."`,
    '  fi',
    `  sleep ${pollSeconds}`,
    'done',
  ];
  const goIndented = lines.map((l) => '\t'.repeat(5 + (l.length - l.trimStart().length) / 2) + l.trimStart());
  return `\n${goIndented.join('\n')}\n\t\t\t\t`;
}
