import type { ObjectMeta, PodTemplateSpec } from '../../api/index.ts';

/** The batch/v1 Job fields the RayJob controller builds and reads. TODO(api): move to api/k8s-types.ts. */
export interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string;
}

export interface BatchJob {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    backoffLimit?: number;
    template: PodTemplateSpec;
    [key: string]: unknown;
  };
  status?: {
    conditions?: JobCondition[];
    active?: number;
    succeeded?: number;
    failed?: number;
    startTime?: string;
    completionTime?: string;
    [key: string]: unknown;
  };
}
