import { EventReasons } from '../../api/constants.ts';
import type { RayCronJob, RayJob } from '../../api/index.ts';
import type { FeatureGates } from '../../api/validation/index.ts';
import type { KubeClient } from '../../k8s/client.ts';
import { Resources } from '../../k8s/resources.ts';
import { type Clock, systemClock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { ControllerBuilder } from '../../runtime/builder.ts';
import type { Controller, Reconciler } from '../../runtime/controller.ts';
import type { Informer } from '../../runtime/informer.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import type { RuntimeMetrics } from '../../runtime/metrics.ts';
import type { EventRecorder } from '../common/events.ts';
import { buildRayJob, nameSuffix, planRayCronJob, SUSPENDED_MESSAGE } from './plan.ts';

export interface RayCronJobControllerOptions {
  readonly informers: InformerFactory;
  readonly client: KubeClient;
  readonly events: EventRecorder;
  /** --reconcile-concurrency; default 1. */
  readonly concurrency?: number;
  /** The time the schedule is read against; tests inject a FakeClock (it also drives requeues). */
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly metrics?: RuntimeMetrics;
  /** Feature gates for validating the job template. */
  readonly features?: Partial<FeatureGates>;
  /** Source of RayJob name suffixes; default Math.random. */
  readonly random?: () => number;
}

/** The caches hold ray.io objects as plain KubeObjects; the reconciler reads them as the api types. */
interface Caches {
  readonly cronJobs: Informer<RayCronJob>;
  readonly rayJobs: Informer<RayJob>;
}

/**
 * One reconcile: read the RayCronJob and its RayJobs from the caches, plan (pure), then at most one RayJob
 * create and one status patch, and requeue for the next run.
 */
export function createRayCronJobReconciler(o: RayCronJobControllerOptions, caches: Caches): Reconciler {
  const clock = o.clock ?? systemClock;
  const random = o.random ?? Math.random;
  return async (req, ctx) => {
    const cron = caches.cronJobs.get(req.namespace, req.name);
    if (!cron || cron.metadata.deletionTimestamp) return;
    const owned = caches.rayJobs
      .list({ namespace: req.namespace })
      .filter((j) => j.metadata.ownerReferences?.some((r) => r.controller && r.uid === cron.metadata.uid));
    const plan = planRayCronJob(cron, owned, clock.now(), o.features);
    switch (plan.action) {
      case 'invalid':
        o.events.record(cron, {
          type: 'Warning',
          reason: EventReasons.invalidRayCronJobSpec,
          message: plan.message,
        });
        ctx.logger.info('invalid RayCronJob', { message: plan.message });
        return;
      case 'suspended':
        o.events.record(cron, {
          type: 'Normal',
          reason: EventReasons.suspendedRayCronJob,
          message: SUSPENDED_MESSAGE,
        });
        return;
      case 'wait':
        return plan.requeueAfterMs === undefined ? undefined : { requeueAfter: plan.requeueAfterMs };
      case 'run': {
        let name = plan.existing;
        if (!name) {
          const desired = buildRayJob(cron, plan.scheduleTime, nameSuffix(random));
          const job = await o.client.create(Resources.rayJobs, desired);
          name = job.metadata.name;
          ctx.logger.info('created RayJob', {
            rayJob: name,
            scheduledAt: new Date(plan.scheduleTime).toISOString(),
          });
        }
        await o.client.patchStatus(Resources.rayCronJobs, req.namespace, req.name, {
          status: { lastScheduleTime: plan.lastScheduleTime },
        });
        return plan.requeueAfterMs === undefined ? undefined : { requeueAfter: plan.requeueAfterMs };
      }
    }
  };
}

/** The RayCronJob controller (feature gate RayCronJob): For RayCronJob, Owns RayJob. */
export function createRayCronJobController(o: RayCronJobControllerOptions): Controller {
  const caches: Caches = {
    cronJobs: o.informers.informerFor<RayCronJob>(Resources.rayCronJobs),
    rayJobs: o.informers.informerFor<RayJob>(Resources.rayJobs),
  };
  return new ControllerBuilder('raycronjob', o)
    .for(Resources.rayCronJobs)
    .owns(Resources.rayJobs)
    .withConcurrency(o.concurrency ?? 1)
    .build(createRayCronJobReconciler(o, caches));
}
