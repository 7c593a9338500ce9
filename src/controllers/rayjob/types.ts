import type { BatchJob, Pod, RayCluster, RayJob, RayJobStatus, Service } from '../../api/index.ts';
import type { PodGroupShape } from '../../builders/rayjob/index.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import type { RayJobInfo, RayJobRequest } from '../../ray/index.ts';
import type { EventType } from '../common/events.ts';
import type { RayJobConfig } from './config.ts';

/** The answer of GetJobInfo for `status.jobId`. */
export type JobInfoResult =
  | { readonly kind: 'ok'; readonly info: RayJobInfo }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'error'; readonly message: string };

/** What the reconciler read before deciding. `null` means looked up and absent; `undefined` means not looked up. */
export interface Observed {
  /** The RayCluster named `status.rayClusterName`. */
  readonly cluster?: RayCluster | null;
  /** The cluster's head Service. */
  readonly clusterHeadService?: Service | null;
  /** The RayJob's own head Service `<rayjob>-head-svc`. */
  readonly jobHeadService?: Service | null;
  /** The K8sJobMode submitter Job `<rayjob>`. */
  readonly submitterJob?: BatchJob | null;
  /** SidecarMode: the cluster's head pods. */
  readonly headPods?: readonly Pod[];
  /** Running: the Ray job's info from the dashboard. */
  readonly jobInfo?: JobInfoResult;
}

export interface MachineInput {
  readonly rayJob: RayJob;
  readonly observed: Observed;
  readonly config: RayJobConfig;
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** Random 5-character suffix for generated names (apimachinery alphabet). */
  readonly suffix: () => string;
}

export type Action =
  | { readonly type: 'addFinalizer' }
  | { readonly type: 'createCluster'; readonly cluster: RayCluster }
  | { readonly type: 'createSubmitterJob'; readonly job: BatchJob }
  | { readonly type: 'createJobHeadService'; readonly service: Service }
  | { readonly type: 'updateJobHeadService'; readonly service: Service }
  | { readonly type: 'submitHttpJob'; readonly request: RayJobRequest | Error }
  | { readonly type: 'deleteCluster'; readonly name: string }
  | { readonly type: 'deleteSubmitterJob'; readonly name: string }
  | { readonly type: 'suspendWorkerGroups'; readonly cluster: RayCluster }
  | { readonly type: 'deleteSelf' }
  /** Batch scheduling (volcano): create or update the RayJob's PodGroup before the cluster exists. */
  | { readonly type: 'applyPodGroup'; readonly podGroup: KubeObject }
  /** Batch-scheduler cleanup: shrink the RayJob's PodGroup (if it exists) to this shape. */
  | { readonly type: 'shrinkPodGroup'; readonly name: string; readonly shape: PodGroupShape }
  | {
      readonly type: 'event';
      readonly eventType: EventType;
      readonly reason: string;
      readonly message: string;
      readonly action?: string;
    };

export interface Decision {
  /** The new status (a copy; the input is never mutated). */
  readonly status: RayJobStatus;
  /** Whether the status must be written (it changed meaningfully). */
  readonly writeStatus: boolean;
  /** Side effects to perform, in order. */
  readonly actions: readonly Action[];
  /** Requeue after this many ms; undefined means no timed requeue. */
  readonly requeueAfterMs: number | undefined;
  /** The pass ended in a terminal or Retrying state for the first time: observe the execution duration. */
  readonly finishedAttempt: boolean;
}
