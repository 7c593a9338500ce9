import { type Static, Type } from '@sinclair/typebox';
import type {
  EnvFromSource,
  EnvVar,
  EnvVarSource,
  IngressTLS,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  ObjectMeta,
  PodTemplateSpec,
  ResourceRequirements,
  SecurityContext,
  Service,
  VolumeMount,
} from './k8s-types.ts';
import {
  Cel,
  Conditions,
  Int32,
  Int64,
  K8sRef,
  KindSchema,
  MapOf,
  Quantity,
  StringEnum,
  StringMap,
  Time,
} from './schema-helpers.ts';

/** The ray.io RayCluster type: one schema per type; the TS types are derived from them. */

const opt = Type.Optional;

export const ManagedByRules = [
  { rule: 'self == oldSelf', message: 'the managedBy field is immutable' },
  {
    rule: "self in ['ray.io/kuberay-operator', 'kueue.x-k8s.io/multikueue']",
    message:
      "the managedBy field value must be either 'ray.io/kuberay-operator' or 'kueue.x-k8s.io/multikueue'",
  },
] as const;

export const PodTemplateSpecSchema = K8sRef<PodTemplateSpec>('PodTemplateSpec');
export const ServiceSchema = K8sRef<Service>('Service');

export const IngressOptionsSchema = Type.Object({
  host: opt(Type.String()),
  path: opt(Type.String()),
  pathType: opt(StringEnum(['Exact', 'Prefix', 'ImplementationSpecific'])),
  tls: opt(Type.Array(K8sRef<IngressTLS>('IngressTLS'))),
});

export const HeadGroupSpecSchema = Type.Object({
  template: PodTemplateSpecSchema,
  headService: opt(ServiceSchema),
  enableIngress: opt(Type.Boolean()),
  ingressOptions: opt(IngressOptionsSchema),
  resources: opt(StringMap()),
  labels: opt(StringMap()),
  rayStartParams: opt(StringMap()),
  serviceType: opt(Type.String()),
});

export const ScaleStrategySchema = Type.Object({
  workersToDelete: opt(Type.Array(Type.String())),
});

export const WorkerGroupSpecSchema = Type.Object({
  suspend: opt(Type.Boolean()),
  groupName: Type.String(),
  replicas: opt(Int32({ default: 0 })),
  minReplicas: Int32({ default: 0 }),
  maxReplicas: Int32({ default: 2147483647 }),
  idleTimeoutSeconds: opt(Int32()),
  priority: opt(Int32()),
  resources: opt(StringMap()),
  labels: opt(StringMap()),
  rayStartParams: opt(StringMap()),
  template: PodTemplateSpecSchema,
  scaleStrategy: opt(ScaleStrategySchema),
  numOfHosts: opt(Int32({ default: 1 })),
});

export const AutoscalerOptionsSchema = Type.Object({
  resources: opt(K8sRef<ResourceRequirements>('ResourceRequirements')),
  image: opt(Type.String()),
  imagePullPolicy: opt(Type.String()),
  securityContext: opt(K8sRef<SecurityContext>('SecurityContext')),
  idleTimeoutSeconds: opt(Int32()),
  upscalingMode: opt(StringEnum(['Default', 'Aggressive', 'Conservative'])),
  version: opt(StringEnum(['v1', 'v2'])),
  env: opt(Type.Array(K8sRef<EnvVar>('EnvVar'))),
  envFrom: opt(Type.Array(K8sRef<EnvFromSource>('EnvFromSource'))),
  volumeMounts: opt(Type.Array(K8sRef<VolumeMount>('VolumeMount'))),
  command: opt(Type.Array(Type.String())),
  args: opt(Type.Array(Type.String())),
});

export const RedisCredentialSchema = Type.Object({
  valueFrom: opt(K8sRef<EnvVarSource>('EnvVarSource')),
  value: opt(Type.String()),
});

export const GcsStorageOptionsSchema = Type.Object({
  claimName: opt(Type.String()),
  size: opt(Quantity()),
  storageClassName: opt(Type.String()),
  accessModes: opt(Type.Array(Type.String())),
  subPath: opt(Type.String()),
  deletionPolicy: opt(StringEnum(['DeleteWithCluster', 'Retain'])),
});

export const GcsFaultToleranceOptionsSchema = Type.Object({
  backend: opt(
    Cel(StringEnum(['redis', 'rocksdb']), [
      { rule: 'self == oldSelf', message: 'gcsFaultToleranceOptions.backend is immutable' },
    ]),
  ),
  redisUsername: opt(RedisCredentialSchema),
  redisPassword: opt(RedisCredentialSchema),
  externalStorageNamespace: opt(Type.String()),
  redisAddress: opt(Type.String()),
  storage: opt(GcsStorageOptionsSchema),
});

export const AuthOptionsSchema = Type.Object({
  mode: opt(StringEnum(['disabled', 'token'])),
  secretName: opt(Type.String()),
  enableK8sTokenAuth: opt(Type.Boolean()),
});

export const TLSOptionsSchema = Type.Object({
  enabled: opt(Type.Boolean()),
});

export const HistoryCollectorOptionsSchema = Type.Object({
  image: Type.String(),
  imagePullPolicy: opt(Type.String()),
  resources: opt(K8sRef<ResourceRequirements>('ResourceRequirements')),
  env: opt(Type.Array(K8sRef<EnvVar>('EnvVar'))),
});

export const HistoryServerOptionsSchema = Type.Object({
  collectorOptions: opt(HistoryCollectorOptionsSchema),
});

const NetworkRulesFields = {
  ingressRules: opt(Type.Array(K8sRef<NetworkPolicyIngressRule>('NetworkPolicyIngressRule'))),
  egressRules: opt(Type.Array(K8sRef<NetworkPolicyEgressRule>('NetworkPolicyEgressRule'))),
};

export const NetworkPolicyRulesSchema = Type.Object(NetworkRulesFields);
export const WorkerGroupNetworkPolicySchema = Type.Object({
  groupName: Type.String(),
  ...NetworkRulesFields,
});

export const NetworkPolicyOptionsSchema = Type.Object({
  mode: opt(StringEnum(['DenyAll', 'DenyAllIngress', 'DenyAllEgress'], { default: 'DenyAll' })),
  head: opt(NetworkPolicyRulesSchema),
  worker: opt(NetworkPolicyRulesSchema),
  workerGroups: opt(Type.Array(WorkerGroupNetworkPolicySchema)),
});

export const RayClusterUpgradeStrategySchema = Type.Object({
  type: opt(StringEnum(['Recreate', 'None'])),
});

export const RayClusterSpecSchema = Type.Object({
  suspend: opt(Type.Boolean()),
  managedBy: opt(Cel(Type.String(), ManagedByRules)),
  upgradeStrategy: opt(RayClusterUpgradeStrategySchema),
  authOptions: opt(AuthOptionsSchema),
  tlsOptions: opt(TLSOptionsSchema),
  historyServerOptions: opt(HistoryServerOptionsSchema),
  networkPolicy: opt(NetworkPolicyOptionsSchema),
  autoscalerOptions: opt(AutoscalerOptionsSchema),
  headServiceAnnotations: opt(StringMap()),
  enableInTreeAutoscaling: opt(Type.Boolean()),
  gcsFaultToleranceOptions: opt(GcsFaultToleranceOptionsSchema),
  headGroupSpec: HeadGroupSpecSchema,
  rayVersion: opt(Type.String()),
  workerGroupSpecs: opt(Type.Array(WorkerGroupSpecSchema)),
});

export const HeadInfoSchema = Type.Object({
  podIP: opt(Type.String()),
  serviceIP: opt(Type.String()),
  podName: opt(Type.String()),
  serviceName: opt(Type.String()),
});

export const RayClusterStatusSchema = Type.Object({
  state: opt(Type.String()),
  desiredCPU: opt(Quantity()),
  desiredMemory: opt(Quantity()),
  desiredGPU: opt(Quantity()),
  desiredTPU: opt(Quantity()),
  lastUpdateTime: opt(Time({ nullable: true })),
  stateTransitionTimes: opt(MapOf(Time())),
  endpoints: opt(StringMap()),
  head: opt(HeadInfoSchema),
  reason: opt(Type.String()),
  conditions: opt(Conditions()),
  readyWorkerReplicas: opt(Int32()),
  availableWorkerReplicas: opt(Int32()),
  desiredWorkerReplicas: opt(Int32()),
  minWorkerReplicas: opt(Int32()),
  maxWorkerReplicas: opt(Int32()),
  observedGeneration: opt(Int64()),
});

export const RayClusterSchema = KindSchema(RayClusterSpecSchema, RayClusterStatusSchema);

export type IngressOptions = Static<typeof IngressOptionsSchema>;
export type HeadGroupSpec = Static<typeof HeadGroupSpecSchema>;
export type ScaleStrategy = Static<typeof ScaleStrategySchema>;
export type WorkerGroupSpec = Static<typeof WorkerGroupSpecSchema>;
export type AutoscalerOptions = Static<typeof AutoscalerOptionsSchema>;
export type RedisCredential = Static<typeof RedisCredentialSchema>;
export type GcsStorageOptions = Static<typeof GcsStorageOptionsSchema>;
export type GcsFaultToleranceOptions = Static<typeof GcsFaultToleranceOptionsSchema>;
export type AuthOptions = Static<typeof AuthOptionsSchema>;
export type TLSOptions = Static<typeof TLSOptionsSchema>;
export type HistoryCollectorOptions = Static<typeof HistoryCollectorOptionsSchema>;
export type HistoryServerOptions = Static<typeof HistoryServerOptionsSchema>;
export type NetworkPolicyOptions = Static<typeof NetworkPolicyOptionsSchema>;
export type RayClusterUpgradeStrategy = Static<typeof RayClusterUpgradeStrategySchema>;
export type RayClusterSpec = Static<typeof RayClusterSpecSchema>;
export type HeadInfo = Static<typeof HeadInfoSchema>;
export type RayClusterStatus = Static<typeof RayClusterStatusSchema>;
/** A RayCluster as read from the API server (`metadata` is always present there). */
export type RayCluster = Static<typeof RayClusterSchema> & { metadata: ObjectMeta; spec: RayClusterSpec };
