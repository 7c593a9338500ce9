import { JobDeploymentStatuses, JobFailedReasons } from '../../api/index.ts';
import { type Ctx, transition } from './context.ts';
import { activeDeadlineMessage, preRunningDeadlineMessage } from './messages.ts';
import { parseTime } from './status.ts';

/** Fails the RayJob with `reason` when `limit` seconds have passed since status.startTime. True when it fired. */
function deadlinePassed(
  ctx: Ctx,
  limit: number | undefined | null,
  reason: string,
  message: (start: string | undefined, limit: number) => string,
): boolean {
  const start = parseTime(ctx.status.startTime);
  if (limit === undefined || limit === null || start === undefined) return false;
  if (ctx.input.now < start + limit * 1000) return false;
  transition(ctx, JobDeploymentStatuses.failed, reason, message(ctx.status.startTime, limit));
  return true;
}

/** activeDeadlineSeconds from status.startTime (checked in Initializing and Running). True when it fired. */
export function activeDeadlinePassed(ctx: Ctx): boolean {
  return deadlinePassed(
    ctx,
    ctx.input.rayJob.spec.activeDeadlineSeconds,
    JobFailedReasons.deadlineExceeded,
    activeDeadlineMessage,
  );
}

/** preRunningDeadlineSeconds from status.startTime (checked in Initializing and Waiting). True when it fired. */
export function preRunningDeadlinePassed(ctx: Ctx): boolean {
  return deadlinePassed(
    ctx,
    ctx.input.rayJob.spec.preRunningDeadlineSeconds,
    JobFailedReasons.preRunningDeadlineExceeded,
    preRunningDeadlineMessage,
  );
}
