import {
  type ContainerStateTerminated,
  JobFailedReasons,
  JobStatuses,
  type Pod,
  type RayJob,
} from '../../api/index.ts';
import {
  type BatchJob,
  defaultSubmitterBackoffLimit,
  submitterContainerName,
} from '../../builders/rayjob/index.ts';
import { submitterContainerFailedMessage } from './messages.ts';
import { parseTime } from './status.ts';

export interface SubmitterState {
  /** When the submitter finished (ms), if it did. */
  readonly finishedAt?: number;
  /**
   * A failure that moves the RayJob to Failed. Without a message (AppFailed: the Ray job itself failed), the
   * status keeps its message, the Ray job's own text copied from the dashboard on an earlier pass, as KubeRay does.
   */
  readonly failure?: { readonly reason: string; readonly message?: string };
  /** Why the state could not be read (e.g. the Job is missing): the pass requeues. */
  readonly missing?: string;
}

/** K8sJobMode: the submitter Job's Complete/Failed conditions. */
export function inspectSubmitterJob(
  job: BatchJob | null | undefined,
  jobStatus: string | undefined,
): SubmitterState {
  if (!job) return { missing: 'the submitter Job does not exist' };
  const conditions = job.status?.conditions ?? [];
  const done = conditions.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  const finishedAt = parseTime(done?.lastTransitionTime);
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (!failed) return finishedAt !== undefined ? { finishedAt } : {};
  const failure =
    jobStatus === JobStatuses.failed
      ? { reason: JobFailedReasons.appFailed }
      : {
          reason: JobFailedReasons.submissionFailed,
          message: `Job submission has failed. Reason: ${failed.reason ?? ''}. Message: ${failed.message ?? ''}`,
        };
  return { ...(finishedAt !== undefined ? { finishedAt } : {}), failure };
}

/** SidecarMode: the `ray-job-submitter` container of the head pod. */
export function inspectSidecar(
  rayJob: RayJob,
  headPods: readonly Pod[] | undefined,
  jobStatus: string | undefined,
  sidecarRestart: boolean,
): SubmitterState {
  const head = headPods?.[0];
  if (!head) return { failure: { reason: JobFailedReasons.appFailed, message: 'Ray head pod not found.' } };
  const cs = head.status?.containerStatuses?.find((c) => c.name === submitterContainerName);
  if (!cs) return {};
  const term = cs.state?.terminated;
  const finishedAt = parseTime(term?.finishedAt);
  const base = finishedAt !== undefined ? { finishedAt } : {};
  let failed = false;
  if (!sidecarRestart) {
    failed = term !== undefined && (term.exitCode ?? 0) !== 0;
  } else {
    const last = cs.lastState?.terminated;
    const succeededNow = term !== undefined && (term.exitCode ?? 0) === 0;
    const limit = rayJob.spec.submitterConfig?.backoffLimit ?? defaultSubmitterBackoffLimit;
    failed = last !== undefined && !succeededNow && cs.restartCount >= limit;
  }
  if (!failed) return base;
  const exit: Partial<ContainerStateTerminated> = term ?? cs.lastState?.terminated ?? {};
  const failure =
    jobStatus === JobStatuses.failed
      ? { reason: JobFailedReasons.appFailed }
      : {
          reason: JobFailedReasons.submissionFailed,
          message: submitterContainerFailedMessage(cs.name, exit.exitCode, exit.reason),
        };
  return { ...base, failure };
}

/**
 * SidecarMode: whether the head pod's submitter container has already terminated (the job was submitted and
 * ended, or the submission failed). The head pod then stays not Ready for good (a terminated container is not
 * ready), so the RayCluster never becomes ready: waiting for it would leave the RayJob Initializing for ever.
 */
export function sidecarSubmitterTerminated(headPods: readonly Pod[] | undefined): boolean {
  const cs = headPods?.[0]?.status?.containerStatuses?.find((c) => c.name === submitterContainerName);
  return cs?.state?.terminated !== undefined;
}
