import {
  DeletionPolicyTypes,
  EventReasons,
  JobDeploymentStatuses,
  JobSubmissionModes,
  ManagedBy,
  MaxRayJobNameLength,
  type RayJob,
} from '../../api/index.ts';
import type { RayCluster as BuilderRayCluster } from '../../builders/raycluster/index.ts';
import {
  checkMetadataSupported,
  runtimeEnvJson,
  SubmitterBuildError,
  submissionMode,
} from '../../builders/rayjob/index.ts';
import { validateClusterSpec as validateRayClusterSpec } from '../raycluster/validation.ts';
import type { RayJobConfig } from './config.ts';

/** A validation failure: the Warning event reason and the message (which names the field). */
export interface Invalid {
  readonly reason: string;
  readonly message: string;
}

const dns1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export function validateRayJobMetadata(rj: RayJob): Invalid | undefined {
  const name = rj.metadata.name ?? '';
  const bad = (message: string) => ({ reason: EventReasons.invalidRayJobMetadata, message });
  if (name.length > MaxRayJobNameLength)
    return bad(
      `metadata.name: RayJob name should be no more than ${MaxRayJobNameLength} characters, got ${name.length}`,
    );
  if (!dns1035.test(name))
    return bad(`metadata.name: RayJob name ${JSON.stringify(name)} must be a DNS-1035 label`);
  return undefined;
}

/** The controller-side RayJob spec rules of §1.1 and §1.2; the first failure wins except deletion rules (all together). */
export function validateRayJobSpec(rj: RayJob, config: RayJobConfig): Invalid | undefined {
  const spec = rj.spec;
  const errs: string[] = [];
  const mode = submissionMode(rj);
  const selector = spec.clusterSelector;
  const hasSelector = selector !== undefined && Object.keys(selector).length > 0;
  const autoscaling = spec.rayClusterSpec?.enableInTreeAutoscaling === true;
  if (hasSelector && !selector['ray.io/cluster'])
    errs.push('spec.clusterSelector: the key ray.io/cluster must be present and non-empty');
  if (!spec.rayClusterSpec && !hasSelector)
    errs.push('spec: one of rayClusterSpec and clusterSelector is required');
  if (spec.rayClusterSpec) {
    const cluster = {
      metadata: { name: rj.metadata.name, namespace: rj.metadata.namespace },
      spec: spec.rayClusterSpec,
    };
    const invalid = validateRayClusterSpec(cluster as unknown as BuilderRayCluster, {
      featureGates: {
        RayJobDeletionPolicy: config.rayJobDeletionPolicy,
        SidecarSubmitterRestart: config.sidecarSubmitterRestart,
      },
    });
    if (invalid) errs.push(`spec.rayClusterSpec: ${invalid.message}`);
  }
  if (spec.rayClusterSpec?.authOptions?.enableK8sTokenAuth)
    errs.push('spec.rayClusterSpec.authOptions: Kubernetes token auth is not supported for RayJob');
  if (spec.suspend && !spec.shutdownAfterJobFinishes)
    errs.push('spec.suspend: a suspended RayJob requires shutdownAfterJobFinishes=true');
  if (spec.suspend && hasSelector) errs.push('spec.suspend: not allowed together with spec.clusterSelector');
  if (mode === JobSubmissionModes.sidecar) {
    if (hasSelector) errs.push('spec.clusterSelector: not allowed in SidecarMode');
    if (spec.submitterPodTemplate) errs.push('spec.submitterPodTemplate: not allowed in SidecarMode');
    if (spec.submitterConfig) errs.push('spec.submitterConfig: not allowed in SidecarMode');
    const rp = spec.rayClusterSpec?.headGroupSpec?.template?.spec?.restartPolicy;
    if (rp && rp !== 'Never')
      errs.push(
        `spec.rayClusterSpec.headGroupSpec.template.spec.restartPolicy: must be Never or empty in SidecarMode, got ${rp}`,
      );
  }
  if (config.batchScheduler === 'kai-scheduler' && mode === JobSubmissionModes.k8sJob)
    errs.push(
      'spec.submissionMode: the kai-scheduler batch scheduler does not support K8sJobMode (use SidecarMode or HTTPMode)',
    );
  if (spec.submitterPodTemplate && !spec.submitterPodTemplate.spec?.containers?.length)
    errs.push('spec.submitterPodTemplate.spec.containers: at least one container is required');
  if ((spec.backoffLimit ?? 0) < 0) errs.push('spec.backoffLimit: must be >= 0');
  if ((spec.backoffLimit ?? 0) > 0 && (hasSelector || mode === JobSubmissionModes.interactive))
    errs.push('spec.backoffLimit: must be 0 or unset with clusterSelector and in InteractiveMode');
  if ((spec.ttlSecondsAfterFinished ?? 0) < 0) errs.push('spec.ttlSecondsAfterFinished: must be >= 0');
  if ((spec.ttlSecondsAfterFinished ?? 0) > 0 && !spec.shutdownAfterJobFinishes)
    errs.push('spec.ttlSecondsAfterFinished: a value > 0 requires shutdownAfterJobFinishes=true');
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0)
    errs.push(`spec.activeDeadlineSeconds: must be > 0, got ${spec.activeDeadlineSeconds}`);
  if (spec.preRunningDeadlineSeconds !== undefined && spec.preRunningDeadlineSeconds <= 0)
    errs.push(`spec.preRunningDeadlineSeconds: must be > 0, got ${spec.preRunningDeadlineSeconds}`);
  if (
    spec.managedBy &&
    spec.managedBy !== ManagedBy.kuberayOperator &&
    spec.managedBy !== ManagedBy.multiKueue
  )
    errs.push(`spec.managedBy: must be ${ManagedBy.kuberayOperator} or ${ManagedBy.multiKueue}`);
  try {
    runtimeEnvJson(spec.runtimeEnvYAML);
    if (mode === JobSubmissionModes.k8sJob) checkMetadataSupported(rj);
  } catch (e) {
    if (!(e instanceof SubmitterBuildError)) throw e;
    errs.push(e.message);
  }
  errs.push(...deletionStrategyErrors(rj, config, hasSelector, autoscaling));
  return errs.length ? { reason: EventReasons.invalidRayJobSpec, message: errs.join('; ') } : undefined;
}

function deletionStrategyErrors(
  rj: RayJob,
  config: RayJobConfig,
  hasSelector: boolean,
  autoscaling: boolean,
): string[] {
  const ds = rj.spec.deletionStrategy;
  if (!ds) return [];
  if (!config.rayJobDeletionPolicy)
    return ['spec.deletionStrategy: requires the RayJobDeletionPolicy feature gate'];
  const out: string[] = [];
  const legacy = ds.onSuccess !== undefined || ds.onFailure !== undefined;
  const rules = ds.deletionRules;
  if (legacy && rules)
    return ['spec.deletionStrategy: onSuccess/onFailure and deletionRules cannot be combined'];
  if (legacy) {
    if (!ds.onSuccess?.policy || !ds.onFailure?.policy)
      return ['spec.deletionStrategy: both onSuccess.policy and onFailure.policy must be set'];
    for (const [field, p] of [
      ['onSuccess', ds.onSuccess.policy],
      ['onFailure', ds.onFailure.policy],
    ] as const) {
      if (hasSelector && (p === DeletionPolicyTypes.deleteCluster || p === DeletionPolicyTypes.deleteWorkers))
        out.push(`spec.deletionStrategy.${field}.policy: ${p} is not allowed with clusterSelector`);
      if (autoscaling && p === DeletionPolicyTypes.deleteWorkers)
        out.push(`spec.deletionStrategy.${field}.policy: DeleteWorkers is not allowed with autoscaling`);
      if (rj.spec.shutdownAfterJobFinishes && p === DeletionPolicyTypes.deleteNone)
        out.push(
          `spec.deletionStrategy.${field}.policy: DeleteNone contradicts shutdownAfterJobFinishes=true`,
        );
    }
    return out;
  }
  if (!rules || rules.length === 0) return ['spec.deletionStrategy.deletionRules: must not be empty'];
  if (rj.spec.shutdownAfterJobFinishes)
    out.push('spec.deletionStrategy.deletionRules: cannot be combined with shutdownAfterJobFinishes=true');
  const seen = new Set<string>();
  const ttls = new Map<string, Partial<Record<string, number>>>();
  rules.forEach((r, i) => {
    const at = `spec.deletionStrategy.deletionRules[${i}]`;
    const c = r.condition ?? {};
    if ((c.jobStatus === undefined) === (c.jobDeploymentStatus === undefined))
      out.push(`${at}.condition: exactly one of jobStatus and jobDeploymentStatus must be set`);
    if ((c.ttlSeconds ?? 0) < 0) out.push(`${at}.condition.ttlSeconds: must be >= 0`);
    const cond = c.jobStatus ?? `deployment:${c.jobDeploymentStatus}`;
    const key = `${cond}|${r.policy}`;
    if (seen.has(key)) out.push(`${at}: duplicate rule for ${cond} with policy ${r.policy}`);
    seen.add(key);
    ttls.set(cond, { ...ttls.get(cond), [r.policy]: c.ttlSeconds ?? 0 });
    if (
      hasSelector &&
      (r.policy === DeletionPolicyTypes.deleteCluster || r.policy === DeletionPolicyTypes.deleteWorkers)
    )
      out.push(`${at}.policy: ${r.policy} is not allowed with clusterSelector`);
    if (autoscaling && r.policy === DeletionPolicyTypes.deleteWorkers)
      out.push(`${at}.policy: DeleteWorkers is not allowed with autoscaling`);
  });
  for (const [cond, t] of ttls) {
    const order = ['DeleteWorkers', 'DeleteCluster', 'DeleteSelf'].filter((p) => t[p] !== undefined);
    for (let i = 1; i < order.length; i++)
      if (t[order[i]!]! < t[order[i - 1]!]!)
        out.push(
          `spec.deletionStrategy.deletionRules: for ${cond}, the TTL of ${order[i]} must not be less than that of ${order[i - 1]}`,
        );
  }
  return out;
}

export function validateRayJobStatus(rj: RayJob): Invalid | undefined {
  if (
    rj.status?.jobDeploymentStatus === JobDeploymentStatuses.waiting &&
    submissionMode(rj) !== JobSubmissionModes.interactive
  )
    return {
      reason: EventReasons.invalidRayJobStatus,
      message: 'status.jobDeploymentStatus: Waiting is only valid in InteractiveMode',
    };
  return undefined;
}

/** Metadata, then spec, then status (§2.1). */
export function validateRayJob(rj: RayJob, config: RayJobConfig): Invalid | undefined {
  return validateRayJobMetadata(rj) ?? validateRayJobSpec(rj, config) ?? validateRayJobStatus(rj);
}
