import { Annotations, Finalizers, Labels, LabelValues } from '../../api/constants.ts';

/** Wire names the RayCluster builders and controller use, taken from src/api/constants.ts. */
export const label = {
  isRayNode: Labels.isRayNode,
  cluster: Labels.cluster,
  nodeType: Labels.nodeType,
  group: Labels.group,
  identifier: Labels.identifier,
  appName: Labels.appName,
  createdBy: Labels.appCreatedBy,
  serve: Labels.serve,
  headlessWorkerSvc: Labels.headlessWorkerSvc,
  replicaIndex: Labels.workerGroupReplicaIndex,
  replicaName: Labels.workerGroupReplicaName,
  hostIndex: Labels.replicaHostIndex,
  originatedFromCrd: Labels.originatedFromCrd,
  originatedFromCrName: Labels.originatedFromCrName,
  jobSubmissionMode: Labels.jobSubmissionMode,
  gangScheduling: Labels.gangSchedulingEnabled,
  priorityClassName: Labels.priorityClassName,
  volcanoQueue: Labels.volcanoQueueName,
} as const;

export const annotation = {
  ftEnabled: Annotations.ftEnabled,
  externalStorageNamespace: Annotations.externalStorageNamespace,
  overwriteContainerCmd: Annotations.overwriteContainerCmd,
  upgradeRecreateHash: Annotations.upgradeStrategyRecreateHash,
  kuberayVersion: Annotations.kuberayVersion,
  enableServeService: Annotations.enableServeService,
  disableProvisionedHeadRestart: Annotations.disableProvisionedHeadRestart,
  gcsFtDeletionTimeout: Annotations.gcsFtDeletionTimeout,
  ingressClass: Annotations.ingressClass,
} as const;

export const redisCleanupFinalizer = Finalizers.gcsFtRedisCleanup;
export const appNameValue = LabelValues.appName;
export const createdByValue = LabelValues.createdBy;
export const headGroupName = LabelValues.headGroup;

export const defaultPorts = {
  client: 10001,
  gcs: 6379,
  dashboard: 8265,
  metrics: 8080,
  serve: 8000,
  dashboardAgent: 52365,
} as const;

export const autoscalerContainerName = 'autoscaler';
export const waitGcsReadyName = 'wait-gcs-ready';
export const sharedMemVolume = 'shared-mem';
export const rayLogsVolume = 'ray-logs';
export const gcsStorageVolume = 'gcs-storage';
export const gcsStoragePath = '/data/gcs';
