import type { Registry } from 'prom-client';
import type { BatchJob, Pod, RayCluster, RayJob, Service } from '../../api/index.ts';
import type { KubeClient } from '../../k8s/client.ts';
import { Resources } from '../../k8s/resources.ts';
import { type Clock, systemClock } from '../../lib/clock.ts';
import { type Logger, nullLogger } from '../../lib/logger.ts';
import type { DashboardClientFactory } from '../../ray/index.ts';
import { ControllerBuilder } from '../../runtime/builder.ts';
import type { Controller } from '../../runtime/controller.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import type { RuntimeMetrics } from '../../runtime/metrics.ts';
import { componentNames, defaultEventRecorder, type EventRecorder } from '../common/events.ts';
import { defaultRayJobConfig, type RayJobConfig } from './config.ts';
import { RayJobMetrics } from './metrics.ts';
import { createRayJobReconciler } from './reconciler.ts';

/** Submitter Jobs carry this label; the Job informer is scoped to it. */
const submitterSelector = { 'ray.io/originated-from-crd': 'RayJob' };
/** Cluster head Services and RayJob head Services both carry this label. */
const headServiceSelector = { 'ray.io/node-type': 'head' };

export interface RayJobControllerOptions {
  readonly informers: InformerFactory;
  readonly client: KubeClient;
  /** Dashboard clients: `httpDashboardClientFactory(...)` in the operator, `new FakeDashboard().factory()` in tests. */
  readonly dashboards: DashboardClientFactory;
  readonly config?: Partial<RayJobConfig>;
  /** --reconcile-concurrency; default 1. */
  readonly concurrency?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly events?: EventRecorder;
  /** Where kuberay_job_* metrics go (only with --enable-metrics); omitted: no RayJob metrics. */
  readonly registry?: Registry;
  readonly metrics?: RuntimeMetrics;
  readonly random?: () => number;
  readonly listHeadPods?: (namespace: string, cluster: string) => Promise<Pod[]>;
}

/** The RayJob controller: For RayJob, Owns RayCluster, batch Job and the head Services. */
export function createRayJobController(o: RayJobControllerOptions): Controller {
  const clock = o.clock ?? systemClock;
  const logger = o.logger ?? nullLogger;
  const config: RayJobConfig = { ...defaultRayJobConfig, ...o.config };
  const rayJobs = o.informers.informerFor<RayJob>(Resources.rayJobs);
  const rayClusters = o.informers.informerFor<RayCluster>(Resources.rayClusters);
  const jobs = o.informers.informerFor<BatchJob>(Resources.jobs, { labelSelector: submitterSelector });
  const services = o.informers.informerFor<Service>(Resources.services, {
    labelSelector: headServiceSelector,
  });
  const reconcile = createRayJobReconciler({
    client: o.client,
    rayJobs,
    rayClusters,
    jobs,
    services,
    dashboards: o.dashboards,
    events: o.events ?? defaultEventRecorder(o.client, componentNames.rayJob, logger),
    config,
    clock,
    logger,
    ...(o.random ? { random: o.random } : {}),
    podGroupWrites: new Map(),
    ...(o.listHeadPods ? { listHeadPods: o.listHeadPods } : {}),
    ...(o.registry ? { metrics: new RayJobMetrics(o.registry, () => rayJobs.list()) } : {}),
  });
  return new ControllerBuilder('rayjob', o)
    .for(Resources.rayJobs)
    .owns(Resources.rayClusters)
    .owns(Resources.jobs, { labelSelector: submitterSelector })
    .owns(Resources.services, { labelSelector: headServiceSelector })
    .withConcurrency(o.concurrency ?? 1)
    .build(reconcile);
}
