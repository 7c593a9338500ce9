import type { Pod, RayCluster } from '../../api/index.ts';
import type { BuilderConfig } from '../../builders/raycluster/config.ts';
import type { OperatorConfig } from '../../config/config.ts';
import type { KubeClient } from '../../k8s/client.ts';
import { Resources } from '../../k8s/resources.ts';
import type { Clock } from '../../lib/clock.ts';
import { errorMessage } from '../../lib/errors.ts';
import { type Logger, nullLogger } from '../../lib/logger.ts';
import { ControllerBuilder } from '../../runtime/builder.ts';
import type { Controller } from '../../runtime/controller.ts';
import type { ControllerDeps } from '../../runtime/deps.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import type { Runnable } from '../../runtime/manager.ts';
import type { RuntimeMetrics } from '../../runtime/metrics.ts';
import { anyOf, deletionChanged, generationChanged } from '../../runtime/predicates.ts';
import { componentNames, defaultEventRecorder, type EventRecorder } from '../common/events.ts';
import { addOnReconciler } from '../common/managed-by.ts';
import { rayPodSelector } from '../common/selectors.ts';
import { CertManager } from './names.ts';
import { reconcileMtls } from './reconciler.ts';

const mtlsControllerName = componentNames.mtls;

const mtlsSelector = { 'app.kubernetes.io/component': 'kuberay-mtls' } as const;

interface MtlsControllerOptions {
  readonly client: KubeClient;
  readonly informers: InformerFactory;
  readonly config: Pick<BuilderConfig, 'featureGates' | 'clusterDomain'>;
  readonly concurrency?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly metrics?: RuntimeMetrics;
  readonly events?: EventRecorder;
  /** Requeue once all is in place; default 5 minutes. */
  readonly resyncMs?: number;
  /** Requeue while certificates are issued; default 5 s (Certificate changes also trigger a reconcile). */
  readonly waitMs?: number;
}

/**
 * The mTLS controller: reconciles RayClusters on spec and deletion changes, on changes of their Ray pods (new
 * pod IPs become certificate SANs) and of the Issuers/Certificates they own. Needs cert-manager's CRDs: its
 * informers list cert-manager kinds.
 */
export function createMtlsController(options: MtlsControllerOptions): Controller {
  const logger = options.logger ?? nullLogger;
  const inf = options.informers;
  const deps = {
    client: options.client,
    clusters: inf.informerFor<RayCluster>(Resources.rayClusters),
    pods: inf.informerFor<Pod>(Resources.pods, { labelSelector: rayPodSelector }),
    issuers: inf.informerFor(CertManager.issuers, { labelSelector: mtlsSelector }),
    certificates: inf.informerFor(CertManager.certificates, { labelSelector: mtlsSelector }),
    events: options.events ?? defaultEventRecorder(options.client, mtlsControllerName, logger),
    logger,
    config: options.config,
    resyncMs: options.resyncMs ?? 300_000,
    waitMs: options.waitMs ?? 5_000,
    ownedSecrets: new Set<string>(),
  };
  return new ControllerBuilder(mtlsControllerName, options)
    .for(Resources.rayClusters, { predicates: [anyOf(generationChanged, deletionChanged)] })
    .owns(Resources.pods, { labelSelector: rayPodSelector })
    .owns(CertManager.issuers, { labelSelector: mtlsSelector })
    .owns(CertManager.certificates, { labelSelector: mtlsSelector })
    .withConcurrency(options.concurrency ?? 1)
    .build(addOnReconciler(deps, reconcileMtls));
}

/**
 * Starts the mTLS controller only if cert-manager's `cert-manager.io/v1` API is served (KubeRay registers it only
 * then). The check runs at start, after leader election, so a missing cert-manager never blocks the cache sync.
 */
class LazyMtlsController implements Runnable {
  readonly name = mtlsControllerName;
  readonly #options: MtlsControllerOptions;
  #controller: Controller | undefined;
  #stopped = false;

  constructor(options: MtlsControllerOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const log = this.#options.logger ?? nullLogger;
    let present = false;
    try {
      present = await this.#options.client.hasResource('cert-manager.io', 'v1', 'certificates');
    } catch (e) {
      log.error('cert-manager discovery failed; mTLS controller not started', { error: errorMessage(e) });
      return;
    }
    if (!present) {
      log.info('cert-manager.io/v1 not served; mTLS controller not started');
      return;
    }
    if (this.#stopped) return;
    const controller = createMtlsController(this.#options);
    this.#controller = controller;
    await this.#options.informers.waitForSync();
    if (!this.#stopped) controller.start();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#controller?.stop();
  }
}

/** The registration for src/main/controllers.ts: gate RayClusterMTLS (alpha, off), and cert-manager present. */
export function mtlsController(deps: ControllerDeps<OperatorConfig>): Runnable | undefined {
  if (!deps.config.featureGates.RayClusterMTLS) return undefined;
  return new LazyMtlsController({
    client: deps.client,
    informers: deps.informers,
    config: { featureGates: deps.config.featureGates, clusterDomain: deps.config.env.clusterDomain },
    concurrency: deps.config.reconcileConcurrency,
    clock: deps.clock,
    logger: deps.logger,
    metrics: deps.metrics.runtime,
    events: deps.recorder.recorderFor(mtlsControllerName),
  });
}
