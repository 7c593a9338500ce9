/**
 * The operator settings the RayJob controller reads: a subset of the frozen operator config (built in main/), so
 * the controller never reads the environment. Each field documents KubeRay's default.
 */
export interface RayJobConfig {
  /** RAYJOB_DEPLOYMENT_STATUS_TRANSITION_GRACE_PERIOD_SECONDS; default 300. */
  readonly transitionGracePeriodSeconds: number;
  /** RAYJOB_STATUS_CHECK_TIMEOUT_SECONDS; default 300 (an unparsable or <= 0 value means the default). */
  readonly statusCheckTimeoutSeconds: number;
  /** DELETE_RAYJOB_CR_AFTER_JOB_FINISHES (or config `deleteRayJobAfterJobFinishes`); default false. */
  readonly deleteRayJobAfterJobFinishes: boolean;
  /** CLUSTER_DOMAIN; default "cluster.local". */
  readonly clusterDomain: string;
  /** ENABLE_LOGIN_SHELL; default false. */
  readonly loginShell: boolean;
  /** Feature gate RayJobDeletionPolicy; default true. */
  readonly rayJobDeletionPolicy: boolean;
  /** Feature gate SidecarSubmitterRestart; default false. */
  readonly sidecarSubmitterRestart: boolean;
  /** The default requeue of every non-terminal pass: 3 s (RayJobDefaultRequeueDuration). */
  readonly defaultRequeueMs: number;
  /** DefaultSubmitterFinishedTimeout: 30 s after the submitter finished without a terminal Ray job. */
  readonly submitterFinishedTimeoutSeconds: number;
  /**
   * --batch-scheduler (volcano, yunikorn, kai-scheduler, scheduler-plugins; `kubernetes-was` for the KubernetesWAS
   * gate); default "" (none).
   */
  readonly batchScheduler: string;
}

export const defaultRayJobConfig: RayJobConfig = Object.freeze({
  transitionGracePeriodSeconds: 300,
  statusCheckTimeoutSeconds: 300,
  deleteRayJobAfterJobFinishes: false,
  clusterDomain: 'cluster.local',
  loginShell: false,
  rayJobDeletionPolicy: true,
  sidecarSubmitterRestart: false,
  defaultRequeueMs: 3_000,
  submitterFinishedTimeoutSeconds: 30,
  batchScheduler: '',
});
