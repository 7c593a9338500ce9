import type { Pod } from '../../builders/raycluster/index.ts';

/** The fields of a terminated container state KubeRay prints (all of core/v1 ContainerStateTerminated). */
interface TerminatedState {
  exitCode?: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Go's `time.Time.String()` of an API timestamp as the operator holds it (UTC):
 * `2025-01-02 03:04:05 +0000 UTC`; an absent time is Go's zero time.
 */
export function goTimeString(iso: string | undefined): string {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) return '0001-01-01 00:00:00 +0000 UTC';
  const d = new Date(ms);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const frac = d.getUTCMilliseconds() ? `.${pad(d.getUTCMilliseconds(), 3).replace(/0+$/, '')}` : '';
  return `${date} ${time}${frac} +0000 UTC`;
}

/** The Ray container's (the first container's) terminated state, if it has one. */
export function rayContainerTerminated(pod: Pod): TerminatedState | undefined {
  const name = pod.spec.containers[0]?.name;
  const status = pod.status?.containerStatuses?.find((s) => s.name === name);
  return status?.state?.terminated as TerminatedState | undefined;
}

/**
 * Go's `%v` of KubeRay's `*corev1.ContainerStateTerminated` for the Ray container: `nil`, or the generated
 * protobuf String() form `&ContainerStateTerminated{ExitCode:1,Signal:0,Reason:Error,...,}`.
 */
export function goTerminatedString(pod: Pod): string {
  const t = rayContainerTerminated(pod);
  if (!t) return 'nil';
  return [
    '&ContainerStateTerminated{',
    `ExitCode:${t.exitCode ?? 0},`,
    `Signal:${t.signal ?? 0},`,
    `Reason:${t.reason ?? ''},`,
    `Message:${t.message ?? ''},`,
    `StartedAt:${goTimeString(t.startedAt)},`,
    `FinishedAt:${goTimeString(t.finishedAt)},`,
    `ContainerID:${t.containerID ?? ''},`,
    '}',
  ].join('');
}
