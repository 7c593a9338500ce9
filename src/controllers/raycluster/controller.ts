import { randomBytes } from 'node:crypto';
import { Labels } from '../../api/constants.ts';
import type { Pod, RayCluster, Service } from '../../api/index.ts';
import type { BuilderConfig } from '../../builders/raycluster/index.ts';
import { defaultBuilderConfig } from '../../builders/raycluster/index.ts';
import type { KubeClient } from '../../k8s/client.ts';
import { Resources } from '../../k8s/resources.ts';
import { type Clock, systemClock } from '../../lib/clock.ts';
import { type Logger, nullLogger } from '../../lib/logger.ts';
import { randomSuffix as nameSuffix } from '../../lib/name-suffix.ts';
import { ControllerBuilder } from '../../runtime/builder.ts';
import type { Controller } from '../../runtime/controller.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import type { RuntimeMetrics } from '../../runtime/metrics.ts';
import { specOrMetadataChanged } from '../../runtime/predicates.ts';
import { componentNames, defaultEventRecorder, type EventRecorder } from '../common/events.ts';
import { ScaleExpectations } from '../common/expectations.ts';
import { rayPodSelector } from '../common/selectors.ts';
import type { RayClusterControllerConfig } from './deps.ts';
import { RayClusterReconciler } from './reconciler.ts';
import { addDependencyWatches, workerReadinessThrottle } from './watches.ts';

export const rayClusterControllerName = componentNames.rayCluster;

/** The pod cache holds only Ray pods (KubeRay's manager cache narrowing). */
export { rayPodSelector } from '../common/selectors.ts';

export const defaultControllerConfig: RayClusterControllerConfig = Object.freeze({
  ...defaultBuilderConfig,
  requeueSeconds: 300,
  podWriteConcurrency: 10,
  isOpenShift: false,
});

interface RayClusterControllerOptions {
  readonly client: KubeClient;
  readonly informers: InformerFactory;
  readonly config?: Partial<RayClusterControllerConfig> & Partial<BuilderConfig>;
  /** Keys reconciled at once (--reconcile-concurrency); default 1 like KubeRay. */
  readonly concurrency?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly metrics?: RuntimeMetrics;
  readonly events?: EventRecorder;
}

/** The suffix of a multi-host replica name (KubeRay: utilrand.String(5)). */
const randomSuffix = (): string => nameSuffix();

/**
 * Builds the RayCluster controller: watches RayClusters (spec, label, annotation and deletion changes only),
 * owned Pods (Ray pods only) and Services, and the Secrets and PVCs of watches.ts; `start()` the informers and the controller to run it.
 */
export function createRayClusterController(options: RayClusterControllerOptions): {
  controller: Controller;
  reconciler: RayClusterReconciler;
} {
  const config: RayClusterControllerConfig = { ...defaultControllerConfig, ...options.config };
  const logger = options.logger ?? nullLogger;
  const clock = options.clock ?? systemClock;
  const clusters = options.informers.informerFor<RayCluster>(Resources.rayClusters);
  const pods = options.informers.informerFor<Pod>(Resources.pods, { labelSelector: rayPodSelector });
  const services = options.informers.informerFor<Service>(Resources.services);
  const expectations = new ScaleExpectations();
  pods.addEventHandler({
    onDelete: (pod) => {
      const labels = pod.metadata.labels ?? {};
      const group = labels[Labels.nodeType] === 'head' ? '' : (labels[Labels.group] ?? '');
      expectations.podDeleted(
        pod.metadata.namespace ?? '',
        labels[Labels.cluster] ?? '',
        group,
        pod.metadata.name ?? '',
      );
    },
  });
  const reconciler = new RayClusterReconciler({
    client: options.client,
    clusters,
    pods,
    services,
    events: options.events ?? defaultEventRecorder(options.client, rayClusterControllerName, logger),
    expectations,
    config,
    clock,
    logger,
    randomSuffix,
    randomBytes: (n) => randomBytes(n),
  });
  const builder = new ControllerBuilder(rayClusterControllerName, options)
    .for(Resources.rayClusters, {
      predicates: [specOrMetadataChanged],
    })
    .owns<Pod>(Resources.pods, { labelSelector: rayPodSelector, throttle: workerReadinessThrottle })
    .owns(Resources.services);
  const controller = addDependencyWatches(builder, clusters, (uid) => reconciler.childChanged(uid))
    .withConcurrency(options.concurrency ?? 1)
    .build((req, ctx) => reconciler.reconcile(req, ctx.logger, ctx.othersWaiting));
  return { controller, reconciler };
}
