import { JobDeploymentStatuses, JobFailedReasons } from '../../api/index.ts';
import { type Ctx, transition } from './context.ts';
import { activeDeadlineMessage, preRunningDeadlineMessage } from './messages.ts';
import { parseTime } from './status.ts';

/** activeDeadlineSeconds from status.startTime (checked in Initializing and Running). True when it fired. */
export function activeDeadlinePassed(ctx: Ctx): boolean {
  const limit = ctx.input.rayJob.spec.activeDeadlineSeconds;
  const start = parseTime(ctx.status.startTime);
  if (limit === undefined || limit === null || start === undefined) return false;
  if (ctx.input.now < start + limit * 1000) return false;
  transition(
    ctx,
    JobDeploymentStatuses.failed,
    JobFailedReasons.deadlineExceeded,
    activeDeadlineMessage(ctx.status.startTime, limit),
  );
  return true;
}

/** preRunningDeadlineSeconds from status.startTime (checked in Initializing and Waiting). True when it fired. */
export function preRunningDeadlinePassed(ctx: Ctx): boolean {
  const limit = ctx.input.rayJob.spec.preRunningDeadlineSeconds;
  const start = parseTime(ctx.status.startTime);
  if (limit === undefined || limit === null || start === undefined) return false;
  if (ctx.input.now < start + limit * 1000) return false;
  transition(
    ctx,
    JobDeploymentStatuses.failed,
    JobFailedReasons.preRunningDeadlineExceeded,
    preRunningDeadlineMessage(ctx.status.startTime, limit),
  );
  return true;
}
