import { JobDeploymentStatuses, JobFailedReasons, JobStatuses, JobSubmissionModes } from '../../api/index.ts';
import { buildHttpJobRequest, submissionMode } from '../../builders/rayjob/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { ensureCluster, isStep, reconcileJobHeadService } from './cluster-step.ts';
import { type Ctx, requeue, type Step, transition } from './context.ts';
import { activeDeadlinePassed } from './deadlines.ts';
import { submitterFinishedTimeoutMessage, transitionGracePeriodExceededMessage } from './messages.ts';
import { isTerminalJobStatus, parseTime, toTime } from './status.ts';
import { inspectSidecar, inspectSubmitterJob, type SubmitterState } from './submitter-check.ts';

/** The Running state. */
export function handleRunning(ctx: Ctx): Step {
  const { rayJob, observed, config, now } = ctx.input;
  const s = ctx.status;
  const mode = submissionMode(rayJob);
  if (rayJob.spec.suspend) {
    transition(ctx, JobDeploymentStatuses.suspending, undefined, 'Suspending: deleting the RayCluster');
    return requeue(ctx);
  }
  if (activeDeadlinePassed(ctx)) return requeue(ctx);

  const rayEnd = parseTime(s.rayJobInfo?.endTime);
  if (
    isTerminalJobStatus(s.jobStatus) &&
    rayEnd !== undefined &&
    now >= rayEnd + config.transitionGracePeriodSeconds * 1000
  ) {
    transition(
      ctx,
      s.jobStatus === JobStatuses.failed ? JobDeploymentStatuses.failed : JobDeploymentStatuses.complete,
      JobFailedReasons.jobDeploymentStatusTransitionGracePeriodExceeded,
      transitionGracePeriodExceededMessage,
    );
    return requeue(ctx);
  }
  const failingSince = parseTime(s.jobStatusCheckFailureStartTime);
  if (failingSince !== undefined && now >= failingSince + config.statusCheckTimeoutSeconds * 1000) {
    transition(
      ctx,
      JobDeploymentStatuses.failed,
      JobFailedReasons.jobStatusCheckTimeoutExceeded,
      `Failed to get the Ray job status since ${s.jobStatusCheckFailureStartTime}; gave up after ${config.statusCheckTimeoutSeconds} seconds (RAYJOB_STATUS_CHECK_TIMEOUT_SECONDS)`,
    );
    return requeue(ctx);
  }

  const cluster = ensureCluster(ctx);
  if (isStep(cluster)) return cluster;
  reconcileJobHeadService(ctx, cluster);

  let submitter: SubmitterState = {};
  if (mode === JobSubmissionModes.k8sJob || mode === JobSubmissionModes.sidecar) {
    submitter =
      mode === JobSubmissionModes.k8sJob
        ? inspectSubmitterJob(observed.submitterJob, s.jobStatus)
        : inspectSidecar(rayJob, observed.headPods, s.jobStatus, config.sidecarSubmitterRestart);
    if (submitter.missing) {
      s.message = `Waiting for the submitter: ${submitter.missing}`;
      return requeue(ctx);
    }
    if (
      submitter.finishedAt !== undefined &&
      now >= submitter.finishedAt + config.submitterFinishedTimeoutSeconds * 1000 &&
      !isTerminalJobStatus(s.jobStatus)
    ) {
      s.jobStatus = JobStatuses.failed;
      transition(
        ctx,
        JobDeploymentStatuses.failed,
        JobFailedReasons.jobDeploymentStatusTransitionGracePeriodExceeded,
        submitterFinishedTimeoutMessage(submitter.finishedAt, config.submitterFinishedTimeoutSeconds),
      );
      return requeue(ctx);
    }
    if (submitter.failure) {
      // AppFailed carries no message: the Ray job's own message stays.
      transition(ctx, JobDeploymentStatuses.failed, submitter.failure.reason, submitter.failure.message);
      return requeue(ctx);
    }
  }

  const result = observed.jobInfo;
  if (!result) {
    s.message = `Waiting to query the Ray job ${s.jobId} on the dashboard`;
    return requeue(ctx);
  }
  if (result.kind === 'notFound') {
    if (mode === JobSubmissionModes.http) {
      let request: ReturnType<typeof buildHttpJobRequest> | Error;
      try {
        request = buildHttpJobRequest(rayJob, s.jobId ?? '');
      } catch (e) {
        request = e as Error;
      }
      ctx.actions.push({ type: 'submitHttpJob', request });
      s.message = `Submitting the Ray job ${s.jobId} to ${s.dashboardURL}`;
      return requeue(ctx);
    }
    if (submitter.finishedAt !== undefined) {
      transition(
        ctx,
        JobDeploymentStatuses.failed,
        JobFailedReasons.appFailed,
        'Submitter completed but Ray job not found in RayCluster.',
      );
      return requeue(ctx);
    }
    s.message = `Waiting for the ${mode === JobSubmissionModes.interactive ? 'user' : 'submitter'} to submit the Ray job ${s.jobId}`;
    return requeue(ctx);
  }
  if (result.kind === 'error') {
    s.jobStatusCheckFailureStartTime ??= toTime(now);
    s.message = `Failed to get the Ray job status from the dashboard: ${result.message}`;
    return requeue(ctx);
  }

  const info = result.info;
  delete s.jobStatusCheckFailureStartTime;
  const rayStatus = info.status ?? '';
  const needsSubmitterDone = mode === JobSubmissionModes.k8sJob || mode === JobSubmissionModes.sidecar;
  const terminal =
    isTerminalJobStatus(rayStatus) && (!needsSubmitterDone || submitter.finishedAt !== undefined);
  s.rayClusterStatus = copyJson(cluster.status ?? {});
  s.jobStatus = rayStatus;
  s.message =
    info.message || describeRunning(rayStatus, s.jobId ?? '', isTerminalJobStatus(rayStatus) && !terminal);
  const startTime = info.start_time ? toTime(info.start_time) : undefined;
  const endTime = info.end_time ? toTime(info.end_time) : undefined;
  s.rayJobInfo = { ...(startTime ? { startTime } : {}), ...(endTime ? { endTime } : {}) };
  if (terminal) {
    if (rayStatus === JobStatuses.failed)
      transition(ctx, JobDeploymentStatuses.failed, JobFailedReasons.appFailed);
    else transition(ctx, JobDeploymentStatuses.complete, '');
  } else {
    s.reason = '';
  }
  return requeue(ctx);
}

function describeRunning(rayStatus: string, jobId: string, waitingForSubmitter: boolean): string {
  if (waitingForSubmitter) return `The Ray job ${jobId} is ${rayStatus}; waiting for the submitter to finish`;
  return `The Ray job ${jobId} is ${rayStatus || 'unknown'}`;
}
