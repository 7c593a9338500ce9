import {
  Finalizers,
  JobDeploymentStatuses,
  JobFailedReasons,
  JobStatuses,
  JobSubmissionModes,
  type RayJobStatus,
} from '../../api/index.ts';
import {
  addSubmitterSchedulerMetadata,
  buildSubmitterJob,
  generatedName,
  SubmitterBuildError,
  submissionMode,
} from '../../builders/rayjob/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { hasFinalizer } from '../../runtime/finalizers.ts';
import { batchSchedulingActions, batchSchedulingCleanup } from './batch-scheduling.ts';
import { clusterReady, dashboardUrl, ensureCluster, isStep } from './cluster-step.ts';
import { type Ctx, requeue, type Step, transition } from './context.ts';
import { activeDeadlinePassed, preRunningDeadlinePassed } from './deadlines.ts';
import { handleRunning } from './running.ts';
import { isTerminalDeploymentStatus, statusChanged, toTime } from './status.ts';
import { sidecarSubmitterTerminated } from './submitter-check.ts';
import { planTerminal, usesClusterSelector } from './terminal.ts';
import type { Decision, MachineInput } from './types.ts';

const D = JobDeploymentStatuses;

/**
 * One pass of the RayJob state machine: (rayJob, observed, config, now) -> (status, actions, requeue).
 * Pure: no I/O, no clock, no randomness except the injected suffix source. Validation runs before this.
 */
export function decide(input: MachineInput): Decision {
  const before = input.rayJob.status;
  const ctx: Ctx = { input, status: copyJson(before ?? {}), actions: [] };
  const state = ctx.status.jobDeploymentStatus ?? '';

  if (state === D.complete || state === D.failed) {
    const plan = planTerminal(input.rayJob, input.observed.cluster, input.config, input.now);
    return {
      status: ctx.status,
      writeStatus: false,
      actions: [
        ...batchSchedulingCleanup(input.rayJob, input.observed.cluster, input.config),
        ...plan.actions,
      ],
      requeueAfterMs: plan.requeueAfterMs,
      finishedAttempt: false,
    };
  }
  const step = dispatch(ctx, state);
  if (!step.bottom) {
    return {
      status: ctx.status,
      writeStatus: false,
      actions: ctx.actions,
      requeueAfterMs: step.requeueAfterMs,
      finishedAttempt: false,
    };
  }
  const finishedAttempt = accountRetries(ctx);
  const writeStatus = statusChanged(before, ctx.status);
  if (writeStatus && isTerminalDeploymentStatus(ctx.status.jobDeploymentStatus))
    ctx.status.endTime = toTime(input.now);
  return {
    status: ctx.status,
    writeStatus,
    actions: ctx.actions,
    requeueAfterMs: step.requeueAfterMs,
    finishedAttempt,
  };
}

function dispatch(ctx: Ctx, state: string): Step {
  switch (state) {
    case D.new:
      return handleNew(ctx);
    case D.initializing:
      return handleInitializing(ctx);
    case D.waiting:
      return handleWaiting(ctx);
    case D.running:
      return handleRunning(ctx);
    case D.suspending:
    case D.retrying:
      return handleTearDown(ctx, state);
    case D.suspended:
      return handleSuspended(ctx);
    case D.validationFailed:
      return handleRecovered(ctx);
    default:
      return requeue(ctx);
  }
}

function handleNew(ctx: Ctx): Step {
  const { rayJob, suffix, now } = ctx.input;
  const s = ctx.status;
  if (!hasFinalizer(rayJob, Finalizers.rayJob)) ctx.actions.push({ type: 'addFinalizer' });
  if (rayJob.spec.suspend) {
    // KubeRay never names a cluster or job id for a RayJob created suspended.
    transition(ctx, D.suspended, '', 'Suspended: waiting for spec.suspend to be false');
    return requeue(ctx);
  }
  const name = rayJob.metadata.name ?? '';
  const mode = submissionMode(rayJob);
  if (mode !== JobSubmissionModes.interactive) s.jobId = rayJob.spec.jobId || generatedName(name, suffix());
  s.rayClusterName = rayJob.spec.clusterSelector?.['ray.io/cluster'] || generatedName(name, suffix());
  s.jobStatus = JobStatuses.new;
  s.startTime = toTime(now);
  transition(ctx, D.initializing, '', `Initializing: getting RayCluster ${s.rayClusterName} ready`);
  return requeue(ctx);
}

function handleInitializing(ctx: Ctx): Step {
  const { rayJob, observed, config } = ctx.input;
  const s = ctx.status;
  if (rayJob.spec.suspend) {
    transition(ctx, D.suspending, undefined, 'Suspending: deleting the RayCluster');
    return requeue(ctx);
  }
  if (activeDeadlinePassed(ctx) || preRunningDeadlinePassed(ctx)) return requeue(ctx);
  ctx.actions.push(...batchSchedulingActions(rayJob, config));
  const cluster = ensureCluster(ctx);
  if (isStep(cluster)) return cluster;
  // In step with the RayCluster on every pass (KubeRay copies it at a few transitions only).
  s.rayClusterStatus = copyJson(cluster.status ?? {});
  if (!s.dashboardURL) {
    // SidecarMode: a submitter that already ended keeps the head pod (and so the cluster) not Ready for good;
    // go on to Running, which reads the container's exit and the job's status (KubeRay waits for ever here).
    const sidecarDone =
      submissionMode(rayJob) === JobSubmissionModes.sidecar && sidecarSubmitterTerminated(observed.headPods);
    if (!clusterReady(cluster) && !sidecarDone) {
      s.message = `Waiting for RayCluster ${cluster.metadata.name} to become ready (state: ${cluster.status?.state || 'none yet'})`;
      return requeue(ctx);
    }
    const url = dashboardUrl(cluster, observed.clusterHeadService, config.clusterDomain);
    if ('waiting' in url) {
      s.message = url.waiting;
      return requeue(ctx);
    }
    s.dashboardURL = url.url;
  }
  const mode = submissionMode(rayJob);
  if (mode === JobSubmissionModes.interactive) {
    transition(ctx, D.waiting, undefined, 'Waiting for the user to submit a Ray job and set spec.jobId');
    return requeue(ctx);
  }
  if (mode === JobSubmissionModes.k8sJob && observed.submitterJob === null) {
    try {
      ctx.actions.push({
        type: 'createSubmitterJob',
        job: addSubmitterSchedulerMetadata(
          buildSubmitterJob(rayJob, {
            jobId: s.jobId ?? '',
            dashboardURL: s.dashboardURL ?? '',
            loginShell: config.loginShell,
            cluster,
          }),
          rayJob,
          config.batchScheduler,
        ),
      });
    } catch (e) {
      if (!(e instanceof SubmitterBuildError)) throw e;
      transition(ctx, D.validationFailed, JobFailedReasons.validationFailed, e.message);
      return requeue(ctx);
    }
  }
  transition(ctx, D.running, undefined, `Running: the Ray job ${s.jobId} is being submitted`);
  return requeue(ctx);
}

function handleWaiting(ctx: Ctx): Step {
  const { rayJob, config } = ctx.input;
  if (preRunningDeadlinePassed(ctx)) return requeue(ctx);
  if (!rayJob.spec.jobId) return { bottom: false, requeueAfterMs: config.defaultRequeueMs };
  ctx.status.jobId = rayJob.spec.jobId;
  transition(ctx, D.running, undefined, `Running: tracking the Ray job ${rayJob.spec.jobId}`);
  return requeue(ctx);
}

/** Suspending and Retrying: delete the cluster and the submitter, then clear the status. */
function handleTearDown(ctx: Ctx, state: string): Step {
  const { rayJob, observed } = ctx.input;
  const s = ctx.status;
  let done = true;
  if (!usesClusterSelector(rayJob) && observed.cluster) {
    done = false;
    if (!observed.cluster.metadata.deletionTimestamp)
      ctx.actions.push({ type: 'deleteCluster', name: observed.cluster.metadata.name ?? '' });
  }
  if (submissionMode(rayJob) === JobSubmissionModes.k8sJob && observed.submitterJob) {
    done = false;
    if (!observed.submitterJob.metadata.deletionTimestamp)
      ctx.actions.push({ type: 'deleteSubmitterJob', name: observed.submitterJob.metadata.name ?? '' });
  }
  if (!done) {
    s.message = `${state}: waiting for the RayCluster and the submitter to be deleted`;
    return requeue(ctx);
  }
  ctx.actions.push(...batchSchedulingCleanup(rayJob, null, ctx.input.config));
  for (const k of [
    'rayClusterStatus',
    'rayClusterName',
    'dashboardURL',
    'jobId',
    'message',
    'reason',
    'rayJobInfo',
    'jobStatusCheckFailureStartTime',
  ] as const)
    delete s[k];
  s.jobStatus = JobStatuses.new;
  if (state === D.suspending)
    transition(ctx, D.suspended, undefined, 'Suspended: waiting for spec.suspend to be false');
  else transition(ctx, D.new);
  return requeue(ctx);
}

function handleSuspended(ctx: Ctx): Step {
  if (ctx.input.rayJob.spec.suspend) return { bottom: false, requeueAfterMs: undefined };
  ctx.status.jobStatus = JobStatuses.new;
  transition(ctx, D.new, '', 'Resuming');
  return requeue(ctx);
}

/**
 * ValidationFailed with a spec that validates again (validation runs before the machine). KubeRay leaves the job
 * stuck here; we start over: through Retrying when a cluster may exist, otherwise straight to New.
 */
function handleRecovered(ctx: Ctx): Step {
  const s = ctx.status;
  if (s.rayClusterName && !usesClusterSelector(ctx.input.rayJob)) {
    transition(ctx, D.retrying, '', 'The spec is valid again: cleaning up before starting over');
  } else {
    for (const k of ['rayClusterName', 'jobId', 'dashboardURL', 'reason'] as const) delete s[k];
    s.jobStatus = JobStatuses.new;
    transition(ctx, D.new, '', 'The spec is valid again: starting over');
  }
  return requeue(ctx);
}

/** Retry accounting at the bottom of a pass. Returns true when an attempt ended this pass. */
function accountRetries(ctx: Ctx): boolean {
  const s: RayJobStatus = ctx.status;
  const before = ctx.input.rayJob.status?.jobDeploymentStatus ?? '';
  s.failed ??= 0;
  s.succeeded ??= 0;
  const state = s.jobDeploymentStatus ?? '';
  if (state === D.failed) s.failed += 1;
  if (state === D.complete && s.jobStatus === JobStatuses.succeeded) s.succeeded += 1;
  const limit = ctx.input.rayJob.spec.backoffLimit;
  const noRetry: string[] = [
    JobFailedReasons.deadlineExceeded,
    JobFailedReasons.jobStatusCheckTimeoutExceeded,
  ];
  if (
    state === D.failed &&
    limit !== undefined &&
    limit !== null &&
    s.failed < limit + 1 &&
    !noRetry.includes(s.reason ?? '')
  ) {
    s.jobDeploymentStatus = D.retrying;
  }
  return (state === D.failed || state === D.complete) && before !== state;
}
