import type { RayService } from '../../api/index.ts';
import type { OperatorConfig } from '../../config/config.ts';
import { Resources } from '../../k8s/resources.ts';
import { httpDashboardClientFactory, httpProxyClientFactory } from '../../ray/factory.ts';
import type { ControllerDeps } from '../../runtime/deps.ts';
import type { Runnable } from '../../runtime/manager.ts';
import { createRayServiceController, rayServiceControllerName } from './controller.ts';
import { registerRayServiceMetrics } from './metrics.ts';
import { defaultRayServiceOptions, type RayServiceOptions } from './options.ts';

/** The operator configuration as the RayService controller reads it (read once, in main). */
function rayServiceOptionsFrom(config: OperatorConfig): RayServiceOptions {
  return {
    ...defaultRayServiceOptions,
    enableZeroDowntime: config.env.enableZeroDowntime,
    incrementalUpgradeGate: config.featureGates.RayServiceIncrementalUpgrade,
    clusterStatusConditionsGate: config.featureGates.RayClusterStatusConditions,
    headClusterIPService: config.env.enableRayHeadClusterIPService,
    clusterDomain: config.env.clusterDomain,
    featureGates: config.featureGates,
  };
}

/** The registration for src/main/controllers.ts. */
export function rayServiceController(deps: ControllerDeps<OperatorConfig>): Runnable {
  const http = { rest: deps.client.rest, useKubernetesProxy: deps.config.useKubernetesProxy };
  const { controller } = createRayServiceController({
    client: deps.client,
    informers: deps.informers,
    dashboards: httpDashboardClientFactory(http),
    proxies: httpProxyClientFactory(http),
    options: rayServiceOptionsFrom(deps.config),
    events: deps.recorder.recorderFor(rayServiceControllerName),
    concurrency: deps.config.reconcileConcurrency,
    clock: deps.clock,
    logger: deps.logger,
    metrics: deps.metrics.runtime,
  });
  if (deps.config.enableMetrics) {
    const services = deps.informers.informerFor<RayService>(Resources.rayServices);
    registerRayServiceMetrics(deps.metrics.registry, () => services.list());
  }
  return controller;
}
