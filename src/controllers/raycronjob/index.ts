/** The RayCronJob controller (alpha): creates RayJobs from spec.jobTemplate on a cron schedule. */
export * from './controller.ts';
export * from './plan.ts';
export { rayCronJobController } from './register.ts';
