import type { OperatorConfig } from '../config/config.ts';
import { mtlsController } from '../controllers/mtls/controller.ts';
import { networkPolicyController } from '../controllers/networkpolicy/controller.ts';
import { rayClusterController } from '../controllers/raycluster/register.ts';
import { rayCronJobController } from '../controllers/raycronjob/register.ts';
import { rayJobController } from '../controllers/rayjob/register.ts';
import { rayServiceController } from '../controllers/rayservice/register.ts';
import type { ControllerDeps } from '../runtime/deps.ts';
import type { Runnable } from '../runtime/manager.ts';

export type OperatorDeps = ControllerDeps<OperatorConfig>;

/**
 * Builds one controller (a runtime Controller, or any Runnable) from the shared dependencies, or returns
 * undefined when the configuration disables it (e.g. a feature gate is off).
 */
type ControllerRegistration = (deps: OperatorDeps) => Runnable | undefined;

/**
 * The controllers the operator runs, in start order. Each controller folder exports a registration, e.g.
 * `(deps) => new ControllerBuilder('raycluster-controller', deps)
 *   .for(Resources.rayClusters).owns(Resources.pods).withConcurrency(deps.config.reconcileConcurrency).build(...)`,
 * and is added here (RayCluster, RayJob, RayService, RayCronJob, NetworkPolicy, mTLS).
 */
export const controllers: readonly ControllerRegistration[] = [
  rayClusterController,
  rayJobController,
  rayServiceController,
  rayCronJobController,
  networkPolicyController,
  mtlsController,
];
