// TODO(api): move to constants — wire names used by the RayService builders and controller.
export const rayServiceKind = 'RayService';
export const rayApiVersion = 'ray.io/v1';

export const label = {
  cluster: 'ray.io/cluster',
  nodeType: 'ray.io/node-type',
  identifier: 'ray.io/identifier',
  serve: 'ray.io/serve',
  originatedFromCrName: 'ray.io/originated-from-cr-name',
  originatedFromCrd: 'ray.io/originated-from-crd',
} as const;

export const annotation = {
  hash: 'ray.io/hash-without-replicas-and-workers-to-delete',
  numWorkerGroups: 'ray.io/num-worker-groups',
  kuberayVersion: 'ray.io/kuberay-version',
  initializingTimeout: 'ray.io/initializing-timeout',
} as const;

export const rayServiceFinalizer = 'ray.io/rayservice-finalizer';
export const maxRayServiceNameLength = 47;
export const defaultDeletionDelaySeconds = 60;
export const defaultRequeueMs = 2000;

export const conditionType = {
  ready: 'Ready',
  upgradeInProgress: 'UpgradeInProgress',
  rollbackInProgress: 'RollbackInProgress',
  suspending: 'Suspending',
  suspended: 'Suspended',
} as const;

export const reason = {
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

export const appStatus = {
  notStarted: 'NOT_STARTED',
  deploying: 'DEPLOYING',
  running: 'RUNNING',
  deployFailed: 'DEPLOY_FAILED',
  deleting: 'DELETING',
  unhealthy: 'UNHEALTHY',
} as const;

export const deploymentStatus = { updating: 'UPDATING', healthy: 'HEALTHY', unhealthy: 'UNHEALTHY' } as const;

export const upgradeType = {
  newCluster: 'NewCluster',
  incremental: 'NewClusterWithIncrementalUpgrade',
  none: 'None',
} as const;

/** Event reasons (wire names). */
export const eventReason = {
  invalidMetadata: 'InvalidRayServiceMetadata',
  invalidSpec: 'InvalidRayServiceSpec',
  updatedRayCluster: 'UpdatedRayCluster',
  failedToUpdateRayCluster: 'FailedToUpdateRayCluster',
  createdRayCluster: 'CreatedRayCluster',
  failedToCreateRayCluster: 'FailedToCreateRayCluster',
  deletedRayCluster: 'DeletedRayCluster',
  failedToDeleteRayCluster: 'FailedToDeleteRayCluster',
  updatedServeApplications: 'UpdatedServeApplications',
  failedToUpdateServeApplications: 'FailedToUpdateServeApplications',
  updatedHeadPodServeLabel: 'UpdatedHeadPodServeLabel',
  failedToUpdateHeadPodServeLabel: 'FailedToUpdateHeadPodServeLabel',
  createdService: 'CreatedService',
  failedToCreateService: 'FailedToCreateService',
  updatedService: 'UpdatedService',
  failedToUpdateService: 'FailedToUpdateService',
  deletedService: 'DeletedService',
  failedToDeleteService: 'FailedToDeleteService',
  initializingTimeout: 'RayServiceInitializingTimeout',
  rollbackImpossible: 'RollbackImpossible',
  createdGateway: 'CreatedGateway',
  updatedGateway: 'UpdatedGateway',
  updatedServeTargetCapacity: 'UpdatedServeTargetCapacity',
  failedToUpdateTargetCapacity: 'FailedToUpdateTargetCapacity',
} as const;
