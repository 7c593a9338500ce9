import type { OperatorConfig } from '../../config/config.ts';
import type { ControllerDeps } from '../../runtime/deps.ts';
import type { Runnable } from '../../runtime/manager.ts';
import { componentNames } from '../common/events.ts';
import { createRayCronJobController } from './controller.ts';

/** The registration for src/main/controllers.ts: runs only with the RayCronJob feature gate (alpha, off). */
export function rayCronJobController(deps: ControllerDeps<OperatorConfig>): Runnable | undefined {
  if (!deps.config.featureGates.RayCronJob) return undefined;
  return createRayCronJobController({
    informers: deps.informers,
    client: deps.client,
    events: deps.recorder.recorderFor(componentNames.rayCronJob),
    concurrency: deps.config.reconcileConcurrency,
    clock: deps.clock,
    logger: deps.logger,
    metrics: deps.metrics.runtime,
    features: deps.config.featureGates,
  });
}
