/**
 * What `GET /containerLogs/{ns}/{pod}/{container}` means at a kubelet, without the I/O: which run of the
 * container a request reads (with the kubelet's errors when there is none), and the query parameters.
 */

import type { ContainerStatus } from '../../api/k8s-types.ts';
import { type LogQuery, parseTime } from './cri-log.ts';

/**
 * The run whose log file a request reads (our file of run n is `<n>.log`, n = restartCount when it
 * started), or the kubelet's message (a 400) when there is none: a container that is waiting to start, or
 * no previous run.
 */
export function logRun(
  pod: string,
  container: string,
  cs: ContainerStatus,
  previous: boolean,
): number | string {
  const n = cs.restartCount;
  const { waiting, running, terminated } = cs.state ?? {};
  const last = cs.lastState?.terminated;
  // While a container waits to restart, its last run is the one that just ended (run n); once it runs
  // again, that one is run n-1.
  if (previous) {
    if (!last) return `previous terminated container "${container}" in pod "${pod}" not found`;
    return waiting ? n : n - 1;
  }
  if (running || terminated) return n;
  if (last) return n;
  switch (waiting?.reason) {
    case 'ErrImagePull':
      return `container "${container}" in pod "${pod}" is waiting to start: image can't be pulled`;
    case 'ImagePullBackOff':
      return `container "${container}" in pod "${pod}" is waiting to start: trying and failing to pull image`;
    case undefined:
      return `container "${container}" in pod "${pod}" is waiting to start - no logs yet`;
    default:
      return `container "${container}" in pod "${pod}" is waiting to start: ${waiting?.reason}`;
  }
}

export interface ContainerLogRequest extends LogQuery {
  readonly follow: boolean;
  readonly previous: boolean;
}

/**
 * The query of a containerLogs request (the API server has validated the PodLogOptions already; this
 * checks again, as the kubelet does, and names the parameter at fault).
 */
export function parseLogRequest(q: URLSearchParams, nowNs: bigint): ContainerLogRequest | string {
  const flag = (k: string) => ['true', '1'].includes(q.get(k) ?? '');
  const count = (k: string, min: number): number | string | undefined => {
    const v = q.get(k);
    if (v === null || v === '') return undefined;
    if (!/^-?\d+$/.test(v) || Number(v) < min) return `${k}: must be an integer >= ${min}, got "${v}"`;
    return Number(v);
  };
  const tailLines = count('tailLines', 0);
  const limitBytes = count('limitBytes', 1);
  const sinceSeconds = count('sinceSeconds', 1);
  for (const v of [tailLines, limitBytes, sinceSeconds]) if (typeof v === 'string') return v;
  const sinceTimeText = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTimeText)
    return 'sinceSeconds and sinceTime: at most one of them may be specified';
  let sinceNs: bigint | undefined;
  if (sinceTimeText) {
    sinceNs = parseTime(sinceTimeText);
    if (sinceNs === undefined) return `sinceTime: not an RFC3339 time: "${sinceTimeText}"`;
  } else if (sinceSeconds !== undefined) {
    sinceNs = nowNs - BigInt(sinceSeconds as number) * 1_000_000_000n;
  }
  return {
    follow: flag('follow'),
    previous: flag('previous'),
    timestamps: flag('timestamps'),
    ...(tailLines !== undefined ? { tailLines: tailLines as number } : {}),
    ...(limitBytes !== undefined ? { limitBytes: limitBytes as number } : {}),
    ...(sinceNs !== undefined ? { sinceNs } : {}),
  };
}
