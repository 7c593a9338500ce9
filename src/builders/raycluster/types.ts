/**
 * Structural types the RayCluster builders read and produce. They describe only the fields the builders touch
 * and stay open (index signatures) so any field the user sets passes through untouched.
 * TODO(api): replace with the types from src/api once they exist, where they are compatible.
 */

import type { OwnerReference, Quantity } from '../../api/k8s-types.ts';

export type { OwnerReference, Quantity } from '../../api/k8s-types.ts';
export type StringMap = Record<string, string>;

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: StringMap;
  annotations?: StringMap;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  [k: string]: unknown;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
  [k: string]: unknown;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
  [k: string]: unknown;
}

export interface ResourceRequirements {
  limits?: Record<string, Quantity>;
  requests?: Record<string, Quantity>;
  [k: string]: unknown;
}

export interface Probe {
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number | string; [k: string]: unknown };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  [k: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: unknown[];
  ports?: ContainerPort[];
  resources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  securityContext?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface Volume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: Quantity };
  [k: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  serviceAccountName?: string;
  restartPolicy?: string;
  schedulerName?: string;
  tolerations?: unknown[];
  schedulingGates?: unknown[];
  [k: string]: unknown;
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec: PodSpec;
}

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  [k: string]: unknown;
}

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  state?: {
    running?: Record<string, unknown>;
    waiting?: { reason?: string; message?: string };
    terminated?: { reason?: string; message?: string; exitCode?: number };
  };
  [k: string]: unknown;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: PodSpec;
  [k: string]: unknown;
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
    [k: string]: unknown;
  };
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
  protocol?: string;
  [k: string]: unknown;
}

export interface Service {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    type?: string;
    selector?: StringMap;
    ports?: ServicePort[];
    clusterIP?: string;
    publishNotReadyAddresses?: boolean;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** A generic Kubernetes object as the builders emit it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [k: string]: unknown;
}

export interface HeadGroupSpec {
  template: PodTemplateSpec;
  rayStartParams?: StringMap;
  serviceType?: string;
  headService?: Service;
  enableIngress?: boolean;
  ingressOptions?: { host?: string; path?: string; pathType?: string; tls?: unknown[] };
  resources?: StringMap;
  labels?: StringMap;
}

export interface WorkerGroupSpec {
  groupName: string;
  replicas?: number;
  minReplicas?: number;
  maxReplicas?: number;
  numOfHosts?: number;
  scaleStrategy?: { workersToDelete?: string[] };
  suspend?: boolean;
  idleTimeoutSeconds?: number;
  priority?: number;
  rayStartParams?: StringMap;
  template: PodTemplateSpec;
  resources?: StringMap;
  labels?: StringMap;
}

export interface AutoscalerOptions {
  resources?: ResourceRequirements;
  image?: string;
  imagePullPolicy?: string;
  securityContext?: Record<string, unknown>;
  idleTimeoutSeconds?: number;
  upscalingMode?: string;
  version?: string;
  env?: EnvVar[];
  envFrom?: unknown[];
  volumeMounts?: VolumeMount[];
  command?: string[];
  args?: string[];
}

export interface RedisCredential {
  value?: string;
  valueFrom?: Record<string, unknown>;
}

export interface GcsFaultToleranceOptions {
  backend?: string;
  redisAddress?: string;
  redisUsername?: RedisCredential;
  redisPassword?: RedisCredential;
  externalStorageNamespace?: string;
  storage?: {
    claimName?: string;
    size?: string;
    storageClassName?: string;
    accessModes?: string[];
    subPath?: string;
    deletionPolicy?: string;
  };
}

export interface RayClusterSpec {
  headGroupSpec: HeadGroupSpec;
  workerGroupSpecs?: WorkerGroupSpec[];
  rayVersion?: string;
  enableInTreeAutoscaling?: boolean;
  autoscalerOptions?: AutoscalerOptions;
  headServiceAnnotations?: StringMap;
  gcsFaultToleranceOptions?: GcsFaultToleranceOptions;
  suspend?: boolean;
  managedBy?: string;
  upgradeStrategy?: { type?: string };
  authOptions?: { mode?: string; secretName?: string; enableK8sTokenAuth?: boolean };
  tlsOptions?: { enabled?: boolean };
  historyServerOptions?: {
    collectorOptions?: {
      image?: string;
      imagePullPolicy?: string;
      resources?: ResourceRequirements;
      env?: EnvVar[];
    };
  };
  [k: string]: unknown;
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface RayClusterStatus {
  state?: string;
  reason?: string;
  readyWorkerReplicas?: number;
  availableWorkerReplicas?: number;
  desiredWorkerReplicas?: number;
  minWorkerReplicas?: number;
  maxWorkerReplicas?: number;
  desiredCPU?: string;
  desiredMemory?: string;
  desiredGPU?: string;
  desiredTPU?: string;
  lastUpdateTime?: string;
  stateTransitionTimes?: Record<string, string>;
  endpoints?: StringMap;
  head?: { podIP?: string; podName?: string; serviceIP?: string; serviceName?: string };
  conditions?: Condition[];
  observedGeneration?: number;
  [k: string]: unknown;
}

export interface RayCluster {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: RayClusterSpec;
  status?: RayClusterStatus;
  [k: string]: unknown;
}
