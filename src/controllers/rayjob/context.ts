import type { RayJobStatus } from '../../api/index.ts';
import type { Action, MachineInput } from './types.ts';

/** The working state of one pass: handlers edit `status` (a copy) and append actions. */
export interface Ctx {
  readonly input: MachineInput;
  readonly status: RayJobStatus;
  readonly actions: Action[];
}

/** How a handler ended the pass. `bottom` passes run the retry accounting and the status write. */
export interface Step {
  readonly bottom: boolean;
  readonly requeueAfterMs: number | undefined;
}

export function transition(ctx: Ctx, to: string, reason?: string, message?: string): void {
  ctx.status.jobDeploymentStatus = to;
  if (reason !== undefined) ctx.status.reason = reason;
  if (message !== undefined) ctx.status.message = message;
}

export const requeue = (ctx: Ctx): Step => ({
  bottom: true,
  requeueAfterMs: ctx.input.config.defaultRequeueMs,
});
