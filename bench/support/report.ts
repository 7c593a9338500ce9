/** One measurement of bench/compare.ts (the fields it prints; `operator` is ours, kuberay or raw). */
export interface Row {
  readonly operator: string;
  readonly concurrency: number;
  readonly exact: boolean;
  readonly load: readonly [number, number];
  readonly [measure: string]: unknown;
}

export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const fmt = (n: number | undefined, digits: number) => (n === undefined ? '-' : n.toFixed(digits));

/** "median (all values)" of one measure over the exact runs of one operator and concurrency. */
export function cell(
  rows: readonly Row[],
  measure: string,
  digits: number,
): { text: string; median?: number } {
  const xs = rows.filter((r) => r.exact && typeof r[measure] === 'number').map((r) => r[measure] as number);
  const m = median(xs);
  if (m === undefined) return { text: '-' };
  return {
    text: xs.length > 1 ? `${fmt(m, digits)} (${xs.map((x) => fmt(x, digits)).join(', ')})` : fmt(m, digits),
    median: m,
  };
}

const measures: readonly (readonly [string, string, number])[] = [
  ['secondsUntilAllPodsExist', 'seconds until all pods exist', 1],
  ['serverCpuSecondsUntilAllPodsExist', 'API server + etcd CPU seconds until all pods exist', 1],
  ['operatorCpuSecondsUntilAllPodsExist', 'operator CPU seconds until all pods exist', 1],
  ['schedulerKwokCpuSecondsUntilAllPodsExist', 'kube-scheduler + KWOK CPU seconds until all pods exist', 1],
  ['benchCpuSecondsUntilAllPodsExist', 'the bench process’s CPU seconds until all pods exist', 1],
  ['machineBusyUntilAllPodsExist', 'share of the machine’s CPU busy until all pods exist', 2],
  ['meanInFlightAtServer', 'requests in flight at the API server during the pod creates (mean)', 1],
  ['shareWithNoneInFlight', 'share of the pod creates’ window with no request in flight', 2],
  ['rssMiBBeforeAnyCluster', 'operator RSS before any cluster (MiB)', 0],
  ['peakRssMiB', 'operator peak RSS (MiB)', 0],
  ['cpuSecondsUntilSettled', 'operator CPU seconds from the first create until settled', 1],
  ['idleCpuSeconds', 'operator CPU seconds in the idle window', 2],
  ['requestsUntilSettled', 'requests until settled', 0],
  ['requestsWhileIdle', 'requests in the idle window', 0],
  [
    'fairnessCreatedSeconds',
    'fairness: seconds until the small cluster’s head and worker pods are created (audit log)',
    2,
  ],
  ['fairnessSeconds', 'fairness: seconds until the bench’s pod watch saw the small cluster’s worker', 2],
  ['restartPeakRssMiB', 'after a restart with every pod present: peak RSS (MiB)', 0],
  ['restartRssMiB', 'after a restart with every pod present: RSS at the end of the window (MiB)', 0],
  ['writesAfterRestart', 'after a restart with every pod present: writes', 0],
];

/** The markdown table: one line per measure and concurrency; ratio = kuberay-ts / KubeRay of the medians. */
export function renderTable(
  rows: readonly Row[],
  meta: { clusters: number; workers: number; fairness: number; idleSeconds: number; memoryLimitMiB?: number },
): string {
  const concurrencies = [...new Set(rows.filter((r) => r.operator !== 'raw').map((r) => r.concurrency))].sort(
    (a, b) => a - b,
  );
  // The raw client's column holds the measures its runs took (its creates' time and what they cost the machine).
  const rawRows = rows.filter((r) => r.operator === 'raw');
  const loads = rows.map((r) => Math.max(...r.load));
  const lines = [
    `${meta.clusters} x ${meta.workers} (${meta.clusters * (meta.workers + 1)} pods), fairness 0 -> ${meta.fairness}, idle window ${meta.idleSeconds} s; ${meta.memoryLimitMiB ? `operators in a memory cgroup of ${meta.memoryLimitMiB} MiB; ` : ''}load average during the runs ${fmt(Math.min(...loads), 1)}-${fmt(Math.max(...loads), 1)}`,
    '',
    '| measure | kuberay-ts | KubeRay | ratio | raw parallel creates |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const c of concurrencies)
    for (const [key, label, digits] of measures) {
      const ours = cell(
        rows.filter((r) => r.operator === 'ours' && r.concurrency === c),
        key,
        digits,
      );
      const theirs = cell(
        rows.filter((r) => r.operator === 'kuberay' && r.concurrency === c),
        key,
        digits,
      );
      const ratio =
        ours.median !== undefined && theirs.median !== undefined && theirs.median !== 0
          ? fmt(ours.median / theirs.median, 2)
          : '-';
      // A measure no run took (the restart case with --restart-seconds 0, fairness with --fairness 0) has no line.
      if (ours.median === undefined && theirs.median === undefined) continue;
      const raw = cell(rawRows, key, digits);
      const rawText = raw.median === undefined ? '' : raw.text;
      lines.push(`| ${label}, c${c} | ${ours.text} | ${theirs.text} | ${ratio} | ${rawText} |`);
    }
  return lines.join('\n');
}
