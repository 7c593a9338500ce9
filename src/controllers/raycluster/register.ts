import type { RayCluster } from '../../api/index.ts';
import { kubernetesWasScheduler } from '../../builders/raycluster/index.ts';
import type { OperatorConfig } from '../../config/config.ts';
import { Resources } from '../../k8s/resources.ts';
import type { ControllerDeps } from '../../runtime/deps.ts';
import type { Runnable } from '../../runtime/manager.ts';
import {
  createRayClusterController,
  defaultControllerConfig,
  rayClusterControllerName,
} from './controller.ts';
import type { RayClusterControllerConfig } from './deps.ts';
import { registerRayClusterMetrics } from './metrics.ts';

/** The operator configuration as the RayCluster controller reads it (read once, in main). */
function rayClusterConfigFrom(config: OperatorConfig): RayClusterControllerConfig {
  const env = config.env;
  return {
    ...defaultControllerConfig,
    clusterDomain: env.clusterDomain,
    deterministicHeadPodName: env.enableDeterministicHeadPodName,
    initContainerInjection: env.enableInitContainerInjection,
    probesInjection: env.enableProbesInjection,
    loginShell: env.enableLoginShell,
    headClusterIPService: env.enableRayHeadClusterIPService,
    gcsFtRedisCleanup: env.enableGcsFtRedisCleanup,
    randomPodDelete: env.enableRandomPodDelete,
    useIngressOnOpenShift: env.useIngressOnOpenShift,
    requeueSeconds: env.rayClusterDefaultRequeueSeconds,
    headSidecarContainers: config.headSidecarContainers,
    workerSidecarContainers: config.workerSidecarContainers,
    defaultContainerEnvs: config.defaultContainerEnvs,
    defaultPodAnnotations: config.defaultPodAnnotations,
    defaultPodLabels: config.defaultPodLabels,
    featureGates: config.featureGates,
    // The KubernetesWAS gate selects the in-tree workload-aware scheduler; config rejects it with --batch-scheduler.
    batchScheduler: config.featureGates.KubernetesWAS
      ? kubernetesWasScheduler
      : config.enableBatchScheduler && !config.batchScheduler
        ? 'volcano'
        : config.batchScheduler,
  };
}

/** The registration for src/main/controllers.ts. */
export function rayClusterController(deps: ControllerDeps<OperatorConfig>): Runnable {
  const { controller } = createRayClusterController({
    client: deps.client,
    informers: deps.informers,
    config: rayClusterConfigFrom(deps.config),
    concurrency: deps.config.reconcileConcurrency,
    clock: deps.clock,
    logger: deps.logger,
    metrics: deps.metrics.runtime,
    events: deps.recorder.recorderFor(rayClusterControllerName),
  });
  if (deps.config.enableMetrics) {
    const clusters = deps.informers.informerFor<RayCluster>(Resources.rayClusters);
    registerRayClusterMetrics(deps.metrics.registry, () => clusters.list());
  }
  return controller;
}
