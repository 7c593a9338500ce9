import type { BatchJob, Pod, RayCluster, RayJob, Service } from '../../api/index.ts';
import type { KubeClient } from '../../k8s/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { DashboardClientFactory } from '../../ray/index.ts';
import type { CacheReader } from '../../runtime/store.ts';
import type { EventRecorder } from '../common/events.ts';
import type { RayJobConfig } from './config.ts';
import type { RayJobMetrics } from './metrics.ts';

type Cached<T> = CacheReader<T & { metadata: { name?: string } } & Record<string, unknown>>;

/** Everything the RayJob reconciler needs; tests pass a fake dashboard factory and a memory event recorder. */
export interface RayJobDeps {
  readonly client: KubeClient;
  readonly rayJobs: Pick<Cached<RayJob>, 'get' | 'list'>;
  readonly rayClusters: Pick<Cached<RayCluster>, 'get'>;
  readonly jobs: Pick<Cached<BatchJob>, 'get'>;
  readonly services: Pick<Cached<Service>, 'get'>;
  /** SidecarMode head pods; default: a label-selected list from the API server. */
  readonly listHeadPods?: (namespace: string, cluster: string) => Promise<Pod[]>;
  readonly dashboards: DashboardClientFactory;
  readonly events: EventRecorder;
  readonly config: RayJobConfig;
  readonly clock: Clock;
  /** Random source for name suffixes, in [0, 1); default Math.random. */
  readonly random?: () => number;
  readonly metrics?: RayJobMetrics;
  /** PodGroup writes already made (key -> content hash), so steady passes make no write; default: none kept. */
  readonly podGroupWrites?: Map<string, string>;
  readonly logger: Logger;
}
