/** The types these builders read and produce, defined once in src/api (re-exported for existing importers). */
export type {
  AutoscalerOptions,
  Condition,
  Container,
  ContainerPort,
  ContainerStatus,
  EnvVar,
  GcsFaultToleranceOptions,
  HeadGroupSpec,
  KubeObject,
  ObjectMeta,
  OwnerReference,
  Pod,
  PodCondition,
  PodSpec,
  PodTemplateSpec,
  Probe,
  Quantity,
  RayCluster,
  RayClusterSpec,
  RayClusterStatus,
  RedisCredential,
  ResourceRequirements,
  Service,
  ServicePort,
  Volume,
  VolumeMount,
  WorkerGroupSpec,
} from '../../api/index.ts';
export * from './auth.ts';
export * from './batch-scheduler.ts';
export * from './cleanup-job.ts';
export * from './config.ts';
export * from './constants.ts';
export * from './containers.ts';
export * from './env.ts';
export * from './gcs-ft.ts';
export * from './hash.ts';
export * from './history.ts';
export * from './labels.ts';
export * from './names.ts';
export * from './objects.ts';
export * from './pod.ts';
export * from './ray-start.ts';
export * from './services.ts';
export * from './shell.ts';
export * from './tls.ts';
export * from './version.ts';
