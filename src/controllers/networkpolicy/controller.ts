import type { RayCluster } from '../../api/index.ts';
import type { OperatorConfig } from '../../config/config.ts';
import type { KubeClient } from '../../k8s/client.ts';
import { Resources } from '../../k8s/resources.ts';
import type { Clock } from '../../lib/clock.ts';
import { type Logger, nullLogger } from '../../lib/logger.ts';
import { ControllerBuilder } from '../../runtime/builder.ts';
import type { Controller } from '../../runtime/controller.ts';
import type { ControllerDeps } from '../../runtime/deps.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import type { RuntimeMetrics } from '../../runtime/metrics.ts';
import { anyOf, deletionChanged, generationChanged, labelsChanged } from '../../runtime/predicates.ts';
import { componentNames, defaultEventRecorder, type EventRecorder } from '../common/events.ts';
import { addOnReconciler } from '../common/managed-by.ts';
import { reconcileNetworkPolicies } from './reconciler.ts';

const networkPolicyControllerName = componentNames.networkPolicy;

/** The operator's NetworkPolicies carry this label (clusterChildLabels); the cache holds only those. */
const networkPolicySelector = { 'app.kubernetes.io/created-by': 'kuberay-operator' } as const;

interface NetworkPolicyControllerOptions {
  readonly client: KubeClient;
  readonly informers: InformerFactory;
  readonly concurrency?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly metrics?: RuntimeMetrics;
  readonly events?: EventRecorder;
}

/**
 * The NetworkPolicy controller (gate RayClusterNetworkPolicy): a controller of its own, separate from the
 * RayCluster controller. Reconciles a RayCluster when its spec, labels or deletion change, and when a
 * NetworkPolicy it controls changes (so a hand edit or deletion is repaired).
 */
export function createNetworkPolicyController(options: NetworkPolicyControllerOptions): Controller {
  const logger = options.logger ?? nullLogger;
  const clusters = options.informers.informerFor<RayCluster>(Resources.rayClusters);
  const policies = options.informers.informerFor(Resources.networkPolicies, {
    labelSelector: networkPolicySelector,
  });
  const deps = {
    client: options.client,
    clusters,
    policies,
    events: options.events ?? defaultEventRecorder(options.client, networkPolicyControllerName, logger),
    logger,
  };
  return new ControllerBuilder(networkPolicyControllerName, options)
    .for(Resources.rayClusters, {
      predicates: [anyOf(generationChanged, labelsChanged, deletionChanged)],
    })
    .owns(Resources.networkPolicies, { labelSelector: networkPolicySelector })
    .withConcurrency(options.concurrency ?? 1)
    .build(addOnReconciler(deps, reconcileNetworkPolicies));
}

/** The registration for src/main/controllers.ts: runs only with the RayClusterNetworkPolicy gate (alpha, off). */
export function networkPolicyController(deps: ControllerDeps<OperatorConfig>): Controller | undefined {
  if (!deps.config.featureGates.RayClusterNetworkPolicy) return undefined;
  return createNetworkPolicyController({
    client: deps.client,
    informers: deps.informers,
    concurrency: deps.config.reconcileConcurrency,
    clock: deps.clock,
    logger: deps.logger,
    metrics: deps.metrics.runtime,
    events: deps.recorder.recorderFor(networkPolicyControllerName),
  });
}
