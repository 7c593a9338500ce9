/**
 * Every ray.io wire constant in one place: label, annotation and finalizer keys, condition types and reasons,
 * event reasons, and the enum values of states. Values are exactly KubeRay's v1.5.0 ones.
 */

export const GROUP = 'ray.io';
export const VERSION = 'v1';
export const API_VERSION = 'ray.io/v1';

export const Kinds = {
  RayCluster: 'RayCluster',
  RayJob: 'RayJob',
  RayService: 'RayService',
  RayCronJob: 'RayCronJob',
} as const;

export const Plurals = {
  RayCluster: 'rayclusters',
  RayJob: 'rayjobs',
  RayService: 'rayservices',
  RayCronJob: 'raycronjobs',
} as const;

export const Labels = {
  cluster: 'ray.io/cluster',
  nodeType: 'ray.io/node-type',
  group: 'ray.io/group',
  isRayNode: 'ray.io/is-ray-node',
  identifier: 'ray.io/identifier',
  serve: 'ray.io/serve',
  headlessWorkerSvc: 'ray.io/headless-worker-svc',
  workerGroupReplicaIndex: 'ray.io/worker-group-replica-index',
  workerGroupReplicaName: 'ray.io/worker-group-replica-name',
  replicaHostIndex: 'ray.io/replica-host-index',
  originatedFromCrd: 'ray.io/originated-from-crd',
  originatedFromCrName: 'ray.io/originated-from-cr-name',
  jobSubmissionMode: 'ray.io/job-submission-mode',
  cronJobName: 'ray.io/cronjob-name',
  gangSchedulingEnabled: 'ray.io/gang-scheduling-enabled',
  priorityClassName: 'ray.io/priority-class-name',
  volcanoQueueName: 'volcano.sh/queue-name',
  appName: 'app.kubernetes.io/name',
  appCreatedBy: 'app.kubernetes.io/created-by',
  appComponent: 'app.kubernetes.io/component',
} as const;

export const LabelValues = {
  appName: 'kuberay',
  createdBy: 'kuberay-operator',
  isRayNode: 'yes',
  headGroup: 'headgroup',
} as const;

export const Annotations = {
  ftEnabled: 'ray.io/ft-enabled',
  externalStorageNamespace: 'ray.io/external-storage-namespace',
  gcsFtDeletionTimeout: 'ray.io/gcs-ft-deletion-timeout',
  overwriteContainerCmd: 'ray.io/overwrite-container-cmd',
  enableServeService: 'ray.io/enable-serve-service',
  disableProvisionedHeadRestart: 'ray.io/disable-provisioned-head-restart',
  upgradeStrategyRecreateHash: 'ray.io/upgrade-strategy-recreate-hash',
  kuberayVersion: 'ray.io/kuberay-version',
  hashWithoutReplicasAndWorkersToDelete: 'ray.io/hash-without-replicas-and-workers-to-delete',
  numWorkerGroups: 'ray.io/num-worker-groups',
  initializingTimeout: 'ray.io/initializing-timeout',
  cronJobScheduledTimestamp: 'ray.io/cronjob-scheduled-timestamp',
  ingressClass: 'kubernetes.io/ingress.class',
} as const;

export const Finalizers = {
  gcsFtRedisCleanup: 'ray.io/gcs-ft-redis-cleanup-finalizer',
  rayJob: 'ray.io/rayjob-finalizer',
  rayService: 'ray.io/rayservice-finalizer',
} as const;

/** `spec.managedBy` values. */
export const ManagedBy = {
  kuberayOperator: 'ray.io/kuberay-operator',
  multiKueue: 'kueue.x-k8s.io/multikueue',
} as const;

/**
 * What KubeRay's API server (v1) labels and annotates: `app.kubernetes.io/managed-by: kuberay-apiserver` marks
 * the objects it creates (and its lists select them by it); the others carry the request's fields, and the
 * compute-template ConfigMaps are found by `ray.io/config-type: compute-template`.
 */
export const ApiServerLabels = {
  clusterName: 'ray.io/cluster-name',
  user: 'ray.io/user',
  version: 'ray.io/version',
  environment: 'ray.io/environment',
  managedBy: 'app.kubernetes.io/managed-by',
  configType: 'ray.io/config-type',
  computeTemplate: 'ray.io/compute-template',
} as const;

export const ApiServerLabelValues = {
  managedBy: 'kuberay-apiserver',
  computeTemplateConfig: 'compute-template',
} as const;

/** The pod-template annotations of a group built from a compute template. */
export const ApiServerAnnotations = {
  computeTemplate: 'ray.io/compute-template',
  computeImage: 'ray.io/compute-image',
} as const;

export const NodeTypes = { head: 'head', worker: 'worker', redisCleanup: 'redis-cleanup' } as const;

/** RayCluster `status.state`. `failed` still exists but is never set. */
export const ClusterStates = { ready: 'ready', suspended: 'suspended', failed: 'failed' } as const;

export const RayClusterConditionTypes = {
  provisioned: 'RayClusterProvisioned',
  headPodReady: 'HeadPodReady',
  replicaFailure: 'ReplicaFailure',
  suspending: 'RayClusterSuspending',
  suspended: 'RayClusterSuspended',
} as const;

export const RayClusterConditionReasons = {
  allPodRunningAndReadyFirstTime: 'AllPodRunningAndReadyFirstTime',
  podsProvisioning: 'RayClusterPodsProvisioning',
  headPodNotFound: 'HeadPodNotFound',
  headPodRunningAndReady: 'HeadPodRunningAndReady',
  unknown: 'Unknown',
  failedDeleteAllPods: 'FailedDeleteAllPods',
  failedDeleteHeadPod: 'FailedDeleteHeadPod',
  failedCreateHeadPod: 'FailedCreateHeadPod',
  failedDeleteWorkerPod: 'FailedDeleteWorkerPod',
  failedCreateWorkerPod: 'FailedCreateWorkerPod',
} as const;

export const UpscalingModes = {
  default: 'Default',
  aggressive: 'Aggressive',
  conservative: 'Conservative',
} as const;
export const AutoscalerVersions = { v1: 'v1', v2: 'v2' } as const;
export const GcsFtBackends = { redis: 'redis', rocksdb: 'rocksdb' } as const;
export const GcsStorageDeletionPolicies = {
  deleteWithCluster: 'DeleteWithCluster',
  retain: 'Retain',
} as const;
export const AuthModes = { disabled: 'disabled', token: 'token' } as const;
export const RayClusterUpgradeTypes = { recreate: 'Recreate', none: 'None' } as const;
export const NetworkPolicyModes = {
  denyAll: 'DenyAll',
  denyAllIngress: 'DenyAllIngress',
  denyAllEgress: 'DenyAllEgress',
} as const;
export const IngressPathTypes = {
  exact: 'Exact',
  prefix: 'Prefix',
  implementationSpecific: 'ImplementationSpecific',
} as const;

/** Ray job status as reported by the Ray dashboard (RayJob `status.jobStatus`); "" means New. */
export const JobStatuses = {
  new: '',
  pending: 'PENDING',
  running: 'RUNNING',
  stopped: 'STOPPED',
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
} as const;

/** RayJob `status.jobDeploymentStatus`; "" means New. */
export const JobDeploymentStatuses = {
  new: '',
  initializing: 'Initializing',
  running: 'Running',
  complete: 'Complete',
  failed: 'Failed',
  validationFailed: 'ValidationFailed',
  suspending: 'Suspending',
  suspended: 'Suspended',
  retrying: 'Retrying',
  waiting: 'Waiting',
} as const;

/** RayJob `status.reason`. */
export const JobFailedReasons = {
  submissionFailed: 'SubmissionFailed',
  deadlineExceeded: 'DeadlineExceeded',
  preRunningDeadlineExceeded: 'PreRunningDeadlineExceeded',
  appFailed: 'AppFailed',
  jobDeploymentStatusTransitionGracePeriodExceeded: 'JobDeploymentStatusTransitionGracePeriodExceeded',
  jobStatusCheckTimeoutExceeded: 'JobStatusCheckTimeoutExceeded',
  validationFailed: 'ValidationFailed',
} as const;

export const JobSubmissionModes = {
  k8sJob: 'K8sJobMode',
  http: 'HTTPMode',
  interactive: 'InteractiveMode',
  sidecar: 'SidecarMode',
} as const;

export const DeletionPolicyTypes = {
  deleteCluster: 'DeleteCluster',
  deleteWorkers: 'DeleteWorkers',
  deleteSelf: 'DeleteSelf',
  deleteNone: 'DeleteNone',
} as const;

export const RayServiceUpgradeTypes = {
  newCluster: 'NewCluster',
  newClusterWithIncrementalUpgrade: 'NewClusterWithIncrementalUpgrade',
  none: 'None',
} as const;

/** RayService `status.serviceStatus` (deprecated): `Running` when Ready, otherwise "". */
export const ServiceStatuses = { running: 'Running', notRunning: '' } as const;

export const RayServiceConditionTypes = {
  ready: 'Ready',
  upgradeInProgress: 'UpgradeInProgress',
  rollbackInProgress: 'RollbackInProgress',
  suspending: 'Suspending',
  suspended: 'Suspended',
} as const;

export const RayServiceConditionReasons = {
  initializing: 'Initializing',
  initializingTimeout: 'InitializingTimeout',
  zeroServeEndpoints: 'ZeroServeEndpoints',
  nonZeroServeEndpoints: 'NonZeroServeEndpoints',
  bothActivePendingClustersExist: 'BothActivePendingClustersExist',
  noPendingCluster: 'NoPendingCluster',
  noActiveCluster: 'NoActiveCluster',
  validationFailed: 'ValidationFailed',
  desiredClusterSpecChanged: 'DesiredClusterSpecChanged',
  suspendRequested: 'SuspendRequested',
  suspendInProgress: 'SuspendInProgress',
  suspendComplete: 'SuspendComplete',
  rayServiceResumed: 'RayServiceResumed',
} as const;

/** Serve application statuses (copied verbatim from Ray; others are possible). */
export const ApplicationStatuses = {
  notStarted: 'NOT_STARTED',
  deploying: 'DEPLOYING',
  running: 'RUNNING',
  deployFailed: 'DEPLOY_FAILED',
  deleting: 'DELETING',
  unhealthy: 'UNHEALTHY',
} as const;

export const DeploymentStatuses = {
  updating: 'UPDATING',
  healthy: 'HEALTHY',
  unhealthy: 'UNHEALTHY',
} as const;

export const RayCronJobScheduleStatuses = {
  new: 'new',
  scheduled: 'scheduled',
  validationFailed: 'validationFailed',
} as const;

/** Event reasons emitted by the controllers (events.k8s.io reason strings). */
export const EventReasons = {
  // RayCluster: pods
  createdHeadPod: 'CreatedHeadPod',
  failedToCreateHeadPod: 'FailedToCreateHeadPod',
  deletedHeadPod: 'DeletedHeadPod',
  failedToDeleteHeadPod: 'FailedToDeleteHeadPod',
  createdWorkerPod: 'CreatedWorkerPod',
  failedToCreateWorkerPod: 'FailedToCreateWorkerPod',
  deletedWorkerPod: 'DeletedWorkerPod',
  failedToDeleteWorkerPod: 'FailedToDeleteWorkerPod',
  failedToDeleteWorkerPodCollection: 'FailedToDeleteWorkerPodCollection',
  deletedPod: 'DeletedPod',
  failedToDeletePodCollection: 'FailedToDeletePodCollection',
  // Services, ingress, route
  createdService: 'CreatedService',
  updatedService: 'UpdatedService',
  failedToCreateService: 'FailedToCreateService',
  failedToUpdateService: 'FailedToUpdateService',
  createdIngress: 'CreatedIngress',
  failedToCreateIngress: 'FailedToCreateIngress',
  updatedIngress: 'UpdatedIngress',
  failedToUpdateIngress: 'FailedToUpdateIngress',
  createdRoute: 'CreatedRoute',
  failedToCreateRoute: 'FailedToCreateRoute',
  // RBAC
  createdServiceAccount: 'CreatedServiceAccount',
  failedToCreateServiceAccount: 'FailedToCreateServiceAccount',
  autoscalerServiceAccountNotFound: 'AutoscalerServiceAccountNotFound',
  createdRole: 'CreatedRole',
  failedToCreateRole: 'FailedToCreateRole',
  createdRoleBinding: 'CreatedRoleBinding',
  failedToCreateRoleBinding: 'FailedToCreateRoleBinding',
  // Storage and GCS FT
  createdPVC: 'CreatedPVC',
  failedToCreatePVC: 'FailedToCreatePVC',
  createdRedisCleanupJob: 'CreatedRedisCleanupJob',
  failedToCreateRedisCleanupJob: 'FailedToCreateRedisCleanupJob',
  forceDeletedStuckCluster: 'ForceDeletedStuckCluster',
  // Validation
  invalidRayClusterSpec: 'InvalidRayClusterSpec',
  invalidRayClusterMetadata: 'InvalidRayClusterMetadata',
  invalidRayClusterStatus: 'InvalidRayClusterStatus',
  invalidRayJobSpec: 'InvalidRayJobSpec',
  invalidRayJobMetadata: 'InvalidRayJobMetadata',
  invalidRayJobStatus: 'InvalidRayJobStatus',
  invalidRayServiceSpec: 'InvalidRayServiceSpec',
  invalidRayServiceMetadata: 'InvalidRayServiceMetadata',
  // RayJob
  rayClusterNotFound: 'RayClusterNotFound',
  createdRayJobSubmitter: 'CreatedRayJobSubmitter',
  failedToCreateRayJobSubmitter: 'FailedToCreateRayJobSubmitter',
  deletedRayJobSubmitter: 'DeletedRayJobSubmitter',
  failedToDeleteRayJobSubmitter: 'FailedToDeleteRayJobSubmitter',
  createdRayCluster: 'CreatedRayCluster',
  failedToCreateRayCluster: 'FailedToCreateRayCluster',
  deletedRayCluster: 'DeletedRayCluster',
  failedToDeleteRayCluster: 'FailedToDeleteRayCluster',
  updatedRayCluster: 'UpdatedRayCluster',
  failedToUpdateRayCluster: 'FailedToUpdateRayCluster',
  // RayService
  updatedServeApplications: 'UpdatedServeApplications',
  failedToUpdateServeApplications: 'FailedToUpdateServeApplications',
  updatedServeTargetCapacity: 'UpdatedServeTargetCapacity',
  failedToUpdateTargetCapacity: 'FailedToUpdateTargetCapacity',
  updatedHeadPodServeLabel: 'UpdatedHeadPodServeLabel',
  failedToUpdateHeadPodServeLabel: 'FailedToUpdateHeadPodServeLabel',
  createdGateway: 'CreatedGateway',
  updatedGateway: 'UpdatedGateway',
  failedToCreateGateway: 'FailedToCreateGateway',
  failedToUpdateGateway: 'FailedToUpdateGateway',
  rollbackImpossible: 'RollbackImpossible',
  rayServiceInitializingTimeout: 'RayServiceInitializingTimeout',
  // RayCronJob
  invalidRayCronJobSpec: 'InvalidRayCronJobSpec',
  suspendedRayCronJob: 'SuspendedRayCronJob',
} as const;

/** Event actions (events.k8s.io `action`). */
export const EventActions = {
  create: 'Create',
  update: 'Update',
  delete: 'Delete',
  validate: 'Validate',
  cleanup: 'Cleanup',
} as const;

/** Name length limits. */
export const MaxRayClusterNameLength = 53;
export const MaxRayJobNameLength = 47;
export const MaxRayServiceNameLength = 47;

/** Minimum Ray versions gating features. */
export const MinRayVersions = {
  tokenAuth: '2.52.0',
  k8sTokenAuth: '2.55.0',
  workerPriority: '2.56.0',
  httpProbes: '2.53.0',
  jobMetadataCli: '2.6.0',
} as const;

type ValueOf<T> = T[keyof T];
export type ClusterState = ValueOf<typeof ClusterStates>;
export type JobStatus = ValueOf<typeof JobStatuses>;
export type JobDeploymentStatus = ValueOf<typeof JobDeploymentStatuses>;
export type JobFailedReason = ValueOf<typeof JobFailedReasons>;
export type JobSubmissionMode = ValueOf<typeof JobSubmissionModes>;
export type RayNodeType = ValueOf<typeof NodeTypes>;
export type RayClusterConditionType = ValueOf<typeof RayClusterConditionTypes>;
export type RayServiceConditionType = ValueOf<typeof RayServiceConditionTypes>;
export type EventReason = ValueOf<typeof EventReasons>;
