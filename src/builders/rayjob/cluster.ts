import {
  Annotations,
  API_VERSION,
  type ContainerPort,
  JobSubmissionModes,
  Kinds,
  Labels,
  type RayCluster,
  type RayClusterSpec,
  type RayJob,
} from '../../api/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { rayJobOwnerReference } from './owner.ts';
import { configureSubmitterContainer, defaultDashboardPort, defaultSubmitterContainer } from './submitter.ts';

export interface ClusterOptions {
  /** `status.rayClusterName`. */
  readonly name: string;
  /** `status.jobId` (SidecarMode bakes it into the head's submitter container). */
  readonly jobId: string;
  /** `status.dashboardURL` may still be empty when the cluster is created (SidecarMode uses 127.0.0.1). */
  readonly dashboardURL: string;
  readonly loginShell: boolean;
  /** The SidecarSubmitterRestart feature gate. */
  readonly sidecarSubmitterRestart: boolean;
}

export function submissionMode(rayJob: RayJob): string {
  return rayJob.spec.submissionMode || JobSubmissionModes.k8sJob;
}

/** The head container's port named `dashboard` (default 8265). */
export function headDashboardPort(spec: RayClusterSpec | undefined): number {
  const ports: ContainerPort[] = spec?.headGroupSpec?.template?.spec?.containers?.[0]?.ports ?? [];
  return ports.find((p) => p.name === 'dashboard')?.containerPort ?? defaultDashboardPort;
}

/** The RayCluster a RayJob creates: a deep copy of rayClusterSpec with the RayJob's labels and owner. */
export function buildRayJobCluster(rayJob: RayJob, o: ClusterOptions): RayCluster {
  const mode = submissionMode(rayJob);
  const spec = copyJson(rayJob.spec.rayClusterSpec) as RayClusterSpec;
  const annotations: Record<string, string> = { ...rayJob.metadata.annotations };
  if (mode === JobSubmissionModes.sidecar) {
    annotations[Annotations.disableProvisionedHeadRestart] = 'true';
    const podSpec = spec.headGroupSpec.template.spec;
    if (podSpec) {
      const head = podSpec.containers[0];
      const submitter = configureSubmitterContainer(defaultSubmitterContainer(head?.image), rayJob, {
        mode: 'SidecarMode',
        jobId: o.jobId,
        dashboardURL: o.dashboardURL,
        dashboardPort: headDashboardPort(spec),
        sidecarRestart: o.sidecarSubmitterRestart,
        loginShell: o.loginShell,
        forceCommand: true,
      });
      if (o.sidecarSubmitterRestart) submitter.restartPolicy = 'OnFailure';
      podSpec.containers = [...podSpec.containers, submitter];
      podSpec.restartPolicy = 'Never';
    }
  }
  return {
    apiVersion: API_VERSION,
    kind: Kinds.RayCluster,
    metadata: {
      name: o.name,
      namespace: rayJob.metadata.namespace ?? '',
      labels: {
        ...rayJob.metadata.labels,
        [Labels.originatedFromCrName]: rayJob.metadata.name ?? '',
        [Labels.originatedFromCrd]: Kinds.RayJob,
        [Labels.jobSubmissionMode]: mode,
      },
      annotations,
      ownerReferences: [rayJobOwnerReference(rayJob)],
    },
    spec,
  };
}
