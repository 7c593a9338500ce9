import { JobDeploymentStatuses, JobFailedReasons } from '../../api/index.ts';
import { type Ctx, transition } from './context.ts';
import { activeDeadlineMessage, preRunningDeadlineMessage } from './messages.ts';
import { parseTime } from './status.ts';

/** Fails the RayJob with `reason` when `spec[field]` seconds have passed since status.startTime. True when it fired. */
function deadlinePassed(
  ctx: Ctx,
  field: 'activeDeadlineSeconds' | 'preRunningDeadlineSeconds',
  reason: string,
  message: (start: string | undefined, limit: number) => string,
): boolean {
  const limit = ctx.input.rayJob.spec[field];
  const start = parseTime(ctx.status.startTime);
  if (limit === undefined || limit === null || start === undefined) return false;
  if (ctx.input.now < start + limit * 1000) return false;
  transition(ctx, JobDeploymentStatuses.failed, reason, message(ctx.status.startTime, limit));
  return true;
}

/** activeDeadlineSeconds (checked in Initializing and Running) and preRunningDeadlineSeconds (checked in
 * Initializing and Waiting), from status.startTime. True when it fired. */
export const activeDeadlinePassed = (ctx: Ctx): boolean =>
  deadlinePassed(ctx, 'activeDeadlineSeconds', JobFailedReasons.deadlineExceeded, activeDeadlineMessage);
export const preRunningDeadlinePassed = (ctx: Ctx): boolean =>
  deadlinePassed(
    ctx,
    'preRunningDeadlineSeconds',
    JobFailedReasons.preRunningDeadlineExceeded,
    preRunningDeadlineMessage,
  );
