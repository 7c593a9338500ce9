import { type Static, Type } from '@sinclair/typebox';
import type { ObjectMeta } from './k8s-types.ts';
import {
  ManagedByRules,
  PodTemplateSpecSchema,
  RayClusterSpecSchema,
  RayClusterStatusSchema,
} from './raycluster.ts';
import { Cel, Int32, Int64, KindSchema, StringEnum, StringMap, Time } from './schema-helpers.ts';

/** The ray.io RayJob type. */

const opt = Type.Optional;

export const DELETION_POLICY_TYPES = ['DeleteCluster', 'DeleteWorkers', 'DeleteSelf', 'DeleteNone'] as const;

export const DeletionPolicySchema = Type.Object({
  policy: opt(StringEnum(DELETION_POLICY_TYPES)),
});

export const DeletionConditionSchema = Cel(
  Type.Object({
    jobStatus: opt(StringEnum(['SUCCEEDED', 'FAILED'])),
    jobDeploymentStatus: opt(StringEnum(['Failed'])),
    ttlSeconds: opt(Int32({ default: 0, minimum: 0 })),
  }),
  [
    {
      rule: '(has(self.jobStatus) ? 1 : 0) + (has(self.jobDeploymentStatus) ? 1 : 0) == 1',
      message: 'exactly one of jobStatus and jobDeploymentStatus must be set',
    },
  ],
);

export const DeletionRuleSchema = Type.Object({
  policy: StringEnum(DELETION_POLICY_TYPES),
  condition: DeletionConditionSchema,
});

export const DeletionStrategySchema = Cel(
  Type.Object({
    onSuccess: opt(DeletionPolicySchema),
    onFailure: opt(DeletionPolicySchema),
    deletionRules: opt(Type.Array(DeletionRuleSchema, { minItems: 1, 'x-kubernetes-list-type': 'atomic' })),
  }),
  [
    {
      rule: '!((has(self.onSuccess) || has(self.onFailure)) && has(self.deletionRules))',
      message:
        'legacy policies (onSuccess/onFailure) and deletionRules cannot be used together within the same deletionStrategy',
    },
    {
      rule: '((has(self.onSuccess) && has(self.onFailure)) || has(self.deletionRules))',
      message:
        'deletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)',
    },
  ],
);

export const SubmitterConfigSchema = Type.Object({
  backoffLimit: opt(Int32()),
});

export const RayJobSpecSchema = Type.Object({
  activeDeadlineSeconds: opt(Int32()),
  backoffLimit: opt(Int32({ default: 0 })),
  rayClusterSpec: opt(RayClusterSpecSchema),
  submitterPodTemplate: opt(PodTemplateSpecSchema),
  metadata: opt(StringMap()),
  clusterSelector: opt(StringMap()),
  submitterConfig: opt(SubmitterConfigSchema),
  managedBy: opt(Cel(Type.String(), ManagedByRules)),
  deletionStrategy: opt(DeletionStrategySchema),
  entrypoint: opt(Type.String()),
  runtimeEnvYAML: opt(Type.String()),
  jobId: opt(Type.String()),
  submissionMode: opt(
    StringEnum(['K8sJobMode', 'HTTPMode', 'InteractiveMode', 'SidecarMode'], { default: 'K8sJobMode' }),
  ),
  entrypointResources: opt(Type.String()),
  entrypointNumCpus: opt(Type.Number()),
  entrypointNumGpus: opt(Type.Number()),
  ttlSecondsAfterFinished: opt(Int32({ default: 0 })),
  shutdownAfterJobFinishes: opt(Type.Boolean()),
  suspend: opt(Type.Boolean()),
  preRunningDeadlineSeconds: opt(Int32({ minimum: 1 })),
});

export const RayJobStatusInfoSchema = Type.Object({
  startTime: opt(Time()),
  endTime: opt(Time()),
});

export const RayJobStatusSchema = Type.Object({
  rayJobInfo: opt(RayJobStatusInfoSchema),
  jobId: opt(Type.String()),
  rayClusterName: opt(Type.String()),
  dashboardURL: opt(Type.String()),
  jobStatus: opt(Type.String()),
  jobDeploymentStatus: opt(Type.String()),
  reason: opt(Type.String()),
  message: opt(Type.String()),
  startTime: opt(Time()),
  endTime: opt(Time()),
  jobStatusCheckFailureStartTime: opt(Time()),
  succeeded: opt(Int32({ default: 0 })),
  failed: opt(Int32({ default: 0 })),
  rayClusterStatus: opt(RayClusterStatusSchema),
  observedGeneration: opt(Int64()),
});

export const RayJobSchema = KindSchema(RayJobSpecSchema, RayJobStatusSchema);

export type DeletionPolicyType = (typeof DELETION_POLICY_TYPES)[number];
export type DeletionPolicy = Static<typeof DeletionPolicySchema>;
export type DeletionCondition = Static<typeof DeletionConditionSchema>;
export type DeletionRule = Static<typeof DeletionRuleSchema>;
export type DeletionStrategy = Static<typeof DeletionStrategySchema>;
export type SubmitterConfig = Static<typeof SubmitterConfigSchema>;
export type RayJobSpec = Static<typeof RayJobSpecSchema>;
export type RayJobStatusInfo = Static<typeof RayJobStatusInfoSchema>;
export type RayJobStatus = Static<typeof RayJobStatusSchema>;
export type RayJob = Static<typeof RayJobSchema> & { metadata: ObjectMeta; spec: RayJobSpec };
