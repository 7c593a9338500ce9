import type { Pod, RayCluster, Service } from '../../api/index.ts';
import type { BuilderConfig } from '../../builders/raycluster/index.ts';
import type { KubeClient } from '../../k8s/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { CacheReader } from '../../runtime/store.ts';
import type { EventRecorder } from '../common/events.ts';
import type { ScaleExpectations } from '../common/expectations.ts';

/** Settings of the RayCluster controller: the builder settings plus the reconcile loop's own. */
export interface RayClusterControllerConfig extends BuilderConfig {
  /** RAYCLUSTER_DEFAULT_REQUEUE_SECONDS_ENV; default 300. */
  readonly requeueSeconds: number;
  /** Pod creates/deletes in flight per group (ours; KubeRay issues them one at a time). Default 10. */
  readonly podWriteConcurrency: number;
  /** OpenShift detected at startup (Route instead of Ingress). */
  readonly isOpenShift: boolean;
}

export interface RayClusterDeps {
  readonly client: KubeClient;
  readonly clusters: CacheReader<RayCluster>;
  readonly pods: CacheReader<Pod>;
  readonly services: CacheReader<Service>;
  readonly events: EventRecorder;
  readonly expectations: ScaleExpectations;
  readonly config: RayClusterControllerConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Five random lowercase letters/digits (multi-host replica names). */
  readonly randomSuffix: () => string;
  /** n random bytes (auth token). */
  readonly randomBytes: (n: number) => Uint8Array;
}

/**
 * A batch scheduler's DoBatchSchedulingOnSubmission (KubeRay's BatchScheduler interface): brings a cluster's gang
 * objects to what its pods need, before they are created. `memory` is the reconciler's, kept per cluster across
 * reconciles (what was applied last, or that an event was already emitted).
 */
export type DoBatchSchedulingOnSubmission = (
  deps: RayClusterDeps,
  memory: Map<string, string>,
  rc: RayCluster,
) => Promise<void>;
