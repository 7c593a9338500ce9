// TODO(api): move to constants — wire names used by the RayCluster builders and controller.
export const label = {
  isRayNode: 'ray.io/is-ray-node',
  cluster: 'ray.io/cluster',
  nodeType: 'ray.io/node-type',
  group: 'ray.io/group',
  identifier: 'ray.io/identifier',
  appName: 'app.kubernetes.io/name',
  createdBy: 'app.kubernetes.io/created-by',
  serve: 'ray.io/serve',
  headlessWorkerSvc: 'ray.io/headless-worker-svc',
  replicaIndex: 'ray.io/worker-group-replica-index',
  replicaName: 'ray.io/worker-group-replica-name',
  hostIndex: 'ray.io/replica-host-index',
  originatedFromCrd: 'ray.io/originated-from-crd',
  originatedFromCrName: 'ray.io/originated-from-cr-name',
  gangScheduling: 'ray.io/gang-scheduling-enabled',
  priorityClassName: 'ray.io/priority-class-name',
  volcanoQueue: 'volcano.sh/queue-name',
} as const;

export const annotation = {
  ftEnabled: 'ray.io/ft-enabled',
  externalStorageNamespace: 'ray.io/external-storage-namespace',
  overwriteContainerCmd: 'ray.io/overwrite-container-cmd',
  upgradeRecreateHash: 'ray.io/upgrade-strategy-recreate-hash',
  kuberayVersion: 'ray.io/kuberay-version',
  enableServeService: 'ray.io/enable-serve-service',
  disableProvisionedHeadRestart: 'ray.io/disable-provisioned-head-restart',
  gcsFtDeletionTimeout: 'ray.io/gcs-ft-deletion-timeout',
  ingressClass: 'kubernetes.io/ingress.class',
} as const;

export const redisCleanupFinalizer = 'ray.io/gcs-ft-redis-cleanup-finalizer';
export const appNameValue = 'kuberay';
export const createdByValue = 'kuberay-operator';
export const headGroupName = 'headgroup';
export const managedByKuberay = 'ray.io/kuberay-operator';

export const defaultPorts = {
  client: 10001,
  gcs: 6379,
  dashboard: 8265,
  metrics: 8080,
  serve: 8000,
  dashboardAgent: 52365,
} as const;

export const rayContainerIndex = 0;
export const autoscalerContainerName = 'autoscaler';
export const waitGcsReadyName = 'wait-gcs-ready';
export const sharedMemVolume = 'shared-mem';
export const rayLogsVolume = 'ray-logs';
export const gcsStorageVolume = 'gcs-storage';
export const gcsStoragePath = '/data/gcs';
