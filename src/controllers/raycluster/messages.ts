import type { Pod } from '../../api/index.ts';
import { errorText } from '../common/error-text.ts';
import { goTerminatedString } from './terminated-state.ts';

/**
 * The texts of the RayCluster controller's Events, as KubeRay v1.5.0 writes them for the same reasons (so
 * tools that match on them keep working). Pure; `err` is any thrown value, shown as Go's `err.Error()` would
 * show it (errorText). Where KubeRay has no such event, the text follows the same pattern.
 */

const at = (ns: string | undefined, name: string | undefined) => `${ns ?? ''}/${name ?? ''}`;

/** Invalid metadata, spec or status: `err` is the validator's message. */
export function invalidClusterMessage(
  part: 'metadata' | 'spec' | 'status',
  ns: string | undefined,
  name: string | undefined,
  err: string,
): string {
  return part === 'status'
    ? `The RayCluster status is invalid ${at(ns, name)}, ${err}`
    : `The RayCluster ${part} is invalid ${at(ns, name)}: ${err}`;
}

/** How KubeRay names each child kind in its Events. */
const childNames: Record<string, string> = {
  ServiceAccount: 'service account',
  Role: 'role',
  RoleBinding: 'role binding',
  Service: 'service',
  Ingress: 'ingress',
  Route: 'route',
};
const childName = (kind: string) => childNames[kind] ?? kind;

/** The writes of a child object that get an Event. */
export type ChildVerb = 'Create' | 'Update';
const pastTense: Record<ChildVerb, string> = { Create: 'Created', Update: 'Updated' };
const gerund: Record<ChildVerb, string> = { Create: 'creating', Update: 'updating' };

export const childWrittenMessage = (
  verb: ChildVerb,
  kind: string,
  ns: string | undefined,
  name: string | undefined,
) => `${pastTense[verb]} ${childName(kind)} ${at(ns, name)}`;

export const childWriteFailedMessage = (
  verb: ChildVerb,
  kind: string,
  ns: string | undefined,
  name: string | undefined,
  err: unknown,
) => `Failed ${gerund[verb]} ${childName(kind)} ${at(ns, name)}, ${errorText(err)}`;

export const createdChildMessage = childWrittenMessage.bind(null, 'Create');
export const failedToCreateChildMessage = childWriteFailedMessage.bind(null, 'Create');

/** The head Pod names a ServiceAccount that does not exist. */
export const autoscalerServiceAccountNotFoundMessage = (
  ns: string | undefined,
  cluster: string | undefined,
  sa: string,
) =>
  `Failed to reconcile RayCluster ${at(ns, cluster)}. If users specify ServiceAccountName for the head Pod, they need to create a ServiceAccount themselves. However, ServiceAccount ${sa} is not found. Please create one. See the PR description of https://github.com/ray-project/kuberay/pull/1128 for more details.`;

export const createdRedisCleanupJobMessage = (ns: string | undefined, name: string | undefined) =>
  `Created Redis cleanup Job ${at(ns, name)}`;

export const failedToCreateRedisCleanupJobMessage = (
  ns: string | undefined,
  name: string | undefined,
  err: unknown,
) => `Failed to create Redis cleanup Job ${at(ns, name)}, ${errorText(err)}`;

export const createdPodMessage = (head: boolean, ns: string | undefined, name: string | undefined) =>
  `Created ${head ? 'head' : 'worker'} Pod ${at(ns, name)}`;

/** KubeRay names the head Pod (empty before the server generates it) but the cluster for a worker. */
export function failedToCreatePodMessage(
  head: boolean,
  ns: string | undefined,
  names: { pod: string; cluster: string | undefined },
  err: unknown,
): string {
  return head
    ? `Failed to create head Pod ${at(ns, names.pod)}, ${errorText(err)}`
    : `Failed to create worker Pod for the cluster ${at(ns, names.cluster)}, ${errorText(err)}`;
}

/** Every Pod of the cluster deleted at once: for suspension, or (not in KubeRay v1.5.0) a Recreate upgrade. */
export const deletedAllPodsMessage = (
  ns: string | undefined,
  cluster: string | undefined,
  why: 'suspend' | 'recreate',
) =>
  why === 'suspend'
    ? `Deleted Pods for RayCluster ${at(ns, cluster)} due to suspension`
    : `Deleted Pods for RayCluster ${at(ns, cluster)} due to the Recreate upgradeStrategy`;

export const failedToDeleteAllPodsMessage = (
  ns: string | undefined,
  cluster: string | undefined,
  why: 'suspend' | 'recreate',
  err: unknown,
) =>
  why === 'suspend'
    ? `Failed deleting Pods due to suspension for RayCluster ${at(ns, cluster)}, ${errorText(err)}`
    : `Failed deleting Pods due to the Recreate upgradeStrategy for RayCluster ${at(ns, cluster)}, ${errorText(err)}`;

export const deletedSuspendedGroupMessage = (
  ns: string | undefined,
  cluster: string | undefined,
  group: string,
) => `Deleted all pods for suspended worker group ${group} in RayCluster ${at(ns, cluster)}`;

export const failedToDeleteSuspendedGroupMessage = (
  ns: string | undefined,
  cluster: string | undefined,
  group: string,
  err: unknown,
) =>
  `Failed deleting worker Pods for suspended group ${group} in RayCluster ${at(ns, cluster)}, ${errorText(err)}`;

/** Why a single Pod is deleted; KubeRay words each case differently. */
export type PodDeletion =
  /** The head, or a single-host worker, that shouldDeletePod condemned. */
  | { readonly kind: 'unhealthy'; readonly head: boolean }
  /** A single-host worker named in scaleStrategy.workersToDelete. */
  | { readonly kind: 'workersToDelete' }
  /** A single-host worker removed to scale down (no autoscaler, or random deletion allowed). */
  | { readonly kind: 'scaleDown' }
  /** A Pod of a multi-host replica, with KubeRay's reason for the replica. */
  | { readonly kind: 'replica'; readonly group: string; readonly reason: string };

const podState = (pod: Pod) =>
  `Pod status: ${pod.status?.phase ?? ''}; Pod restart policy: ${pod.spec.restartPolicy ?? ''}; Ray container terminated status: ${goTerminatedString(pod)}`;

/** `pod` is the cached Pod (only its name is known for workersToDelete and random scale-down). */
export function deletedPodMessage(
  d: PodDeletion,
  ns: string | undefined,
  name: string | undefined,
  pod: Pod | undefined,
): string {
  switch (d.kind) {
    case 'unhealthy':
      return `Deleted ${d.head ? 'head' : 'worker'} Pod ${at(ns, name)}; ${pod ? podState(pod) : ''}`;
    case 'workersToDelete':
      return `Deleted pod ${at(ns, name)}`;
    case 'scaleDown':
      return `Deleted Pod ${at(ns, name)}`;
    case 'replica':
      return `Deleted worker Pod ${at(ns, name)} for group ${d.group}: ${d.reason}`;
  }
}

export function failedToDeletePodMessage(
  d: PodDeletion,
  ns: string | undefined,
  name: string | undefined,
  pod: Pod | undefined,
  err: unknown,
): string {
  const e = errorText(err);
  switch (d.kind) {
    case 'unhealthy':
      return `Failed deleting ${d.head ? 'head' : 'worker'} Pod ${at(ns, name)}; ${pod ? podState(pod) : ''}, ${e}`;
    case 'workersToDelete':
      return `Failed deleting pod ${at(ns, name)}, ${e}`;
    case 'scaleDown':
      return `Failed deleting Pod ${at(ns, name)}, ${e}`;
    case 'replica':
      return `Failed deleting worker Pod ${at(ns, name)} for group ${d.group}; ${pod ? podState(pod) : ''}, ${e}`;
  }
}

/** KubeRay's shouldDeletePod reasons (also the reconcile error after the head Pod is deleted). */
export function podHealthReason(
  pod: Pod,
  nodeType: 'head' | 'worker',
  verdict: 'terminal' | 'never' | 'restarts' | 'fine',
): string {
  const name = pod.metadata.name ?? '';
  const phase = pod.status?.phase ?? '';
  const term = goTerminatedString(pod);
  const policy = pod.spec.restartPolicy ?? '';
  switch (verdict) {
    case 'terminal':
      return `The ${nodeType} Pod ${name} status is ${phase} which is a terminal state. KubeRay will delete the Pod and create new Pods in the next reconciliation if necessary.`;
    case 'never':
      return `The Pod status of the ${nodeType} Pod ${name} is ${phase}, and the Ray container terminated status is ${term}. The container is unable to restart due to its restart policy ${policy}, so KubeRay will delete it.`;
    case 'restarts':
      return `The Pod status of the ${nodeType} Pod ${name} is ${phase}, and the Ray container terminated status is ${term}. However, KubeRay will not delete the Pod because its restartPolicy is set to ${policy} and it should be able to restart automatically.`;
    case 'fine':
      return `KubeRay does not need to delete the ${nodeType} Pod ${name}. The Pod status is ${phase}, and the Ray container terminated status is ${term}.`;
  }
}
