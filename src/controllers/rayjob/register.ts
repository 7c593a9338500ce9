import type { OperatorConfig } from '../../config/config.ts';
import { httpDashboardClientFactory } from '../../ray/index.ts';
import type { ControllerDeps } from '../../runtime/deps.ts';
import type { Runnable } from '../../runtime/manager.ts';
import { componentNames } from '../common/events.ts';
import { defaultRayJobConfig, type RayJobConfig } from './config.ts';
import { createRayJobController } from './controller.ts';

/** The operator configuration as the RayJob controller reads it (read once, in main). */
export function rayJobConfigFrom(config: OperatorConfig): RayJobConfig {
  const env = config.env;
  return {
    ...defaultRayJobConfig,
    transitionGracePeriodSeconds: env.rayJobDeploymentStatusTransitionGracePeriodSeconds,
    statusCheckTimeoutSeconds: env.rayJobStatusCheckTimeoutSeconds,
    deleteRayJobAfterJobFinishes: env.deleteRayJobCRAfterJobFinishes || config.deleteRayJobAfterJobFinishes,
    clusterDomain: env.clusterDomain,
    loginShell: env.enableLoginShell,
    rayJobDeletionPolicy: config.featureGates.RayJobDeletionPolicy,
    sidecarSubmitterRestart: config.featureGates.SidecarSubmitterRestart,
    // As for the RayCluster controller: the deprecated --enable-batch-scheduler means volcano.
    batchScheduler: config.featureGates.KubernetesWAS
      ? 'kubernetes-was'
      : config.enableBatchScheduler && !config.batchScheduler
        ? 'volcano'
        : config.batchScheduler,
  };
}

/** The registration for src/main/controllers.ts. */
export function rayJobController(deps: ControllerDeps<OperatorConfig>): Runnable {
  return createRayJobController({
    informers: deps.informers,
    client: deps.client,
    dashboards: httpDashboardClientFactory({
      rest: deps.client.rest,
      useKubernetesProxy: deps.config.useKubernetesProxy,
    }),
    config: rayJobConfigFrom(deps.config),
    concurrency: deps.config.reconcileConcurrency,
    clock: deps.clock,
    logger: deps.logger,
    events: deps.recorder.recorderFor(componentNames.rayJob),
    metrics: deps.metrics.runtime,
    ...(deps.config.enableMetrics ? { registry: deps.metrics.registry } : {}),
  });
}
