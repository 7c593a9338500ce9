import type { ContainerStateTerminated, Pod } from '../../api/index.ts';
import { goTimeString } from '../common/go-format.ts';

/** The Ray container's (the first container's) terminated state, if it has one. */
export function rayContainerTerminated(pod: Pod): ContainerStateTerminated | undefined {
  const name = pod.spec.containers[0]?.name;
  const status = pod.status?.containerStatuses?.find((s) => s.name === name);
  return status?.state?.terminated;
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
