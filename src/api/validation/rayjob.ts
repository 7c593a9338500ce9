import { EventReasons, Labels, MaxRayJobNameLength } from '../constants.ts';
import type { ObjectMeta } from '../k8s-types.ts';
import type { RayJob, RayJobSpec } from '../rayjob.ts';
import { parseYaml } from '../yaml.ts';
import { gates, type ValidationError, type ValidationOptions, validateObjectName } from './common.ts';
import { validateDeletionConfiguration } from './deletion.ts';
import { validateRayClusterSpec } from './raycluster.ts';

/** RayJob validation: metadata, spec and status rules with KubeRay's messages. */

const SPEC = EventReasons.invalidRayJobSpec;
const INVALID = 'The RayJob spec is invalid: ';

export function validateRayJobMetadata(meta: ObjectMeta): ValidationError[] {
  const prefix = 'The RayJob metadata is invalid: ';
  return validateObjectName('RayJob', meta, MaxRayJobNameLength, EventReasons.invalidRayJobMetadata, prefix);
}

export function validateRayJobStatus(job: RayJob): ValidationError[] {
  if (job.status?.jobDeploymentStatus === 'Waiting' && job.spec?.submissionMode !== 'InteractiveMode') {
    return [
      {
        field: 'status.jobDeploymentStatus',
        reason: EventReasons.invalidRayJobStatus,
        message:
          'The RayJob status is invalid: JobDeploymentStatus cannot be `Waiting` when SubmissionMode is not InteractiveMode',
      },
    ];
  }
  return [];
}

/** The RayJob spec rules in KubeRay's order; stops at the first failing check (deletion rules are all reported). */
export function validateRayJobSpec(job: RayJob, options: ValidationOptions = {}): ValidationError[] {
  const spec: RayJobSpec = job.spec ?? {};
  const err = (field: string, message: string): ValidationError[] => [{ field, message, reason: SPEC }];
  const selector = Object.keys(spec.clusterSelector ?? {}).length > 0;
  const mode = spec.submissionMode ?? 'K8sJobMode';
  // Ours: the entrypoint becomes a command-line argument (submitter or sidecar), which cannot carry a NUL byte.
  if ((spec.entrypoint ?? '').includes('\0'))
    return err(
      'spec.entrypoint',
      `${INVALID}the entrypoint contains a NUL character, which no command line can carry`,
    );
  if (spec.suspend === true && spec.shutdownAfterJobFinishes !== true) {
    return err(
      'spec.suspend',
      `${INVALID}a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended`,
    );
  }
  if ((spec.ttlSecondsAfterFinished ?? 0) < 0)
    return err(
      'spec.ttlSecondsAfterFinished',
      `${INVALID}TTLSecondsAfterFinished must be a non-negative integer`,
    );
  const deletion = validateDeletionConfiguration({ ...job, spec }, gates(options).RayJobDeletionPolicy);
  if (deletion.length) return deletion.map((d) => ({ ...d, reason: SPEC }));
  if (spec.suspend === true && selector)
    return err('spec.suspend', `${INVALID}the ClusterSelector mode doesn't support the suspend operation`);
  if (spec.rayClusterSpec === undefined && !selector)
    return err('spec', `${INVALID}one of RayClusterSpec or ClusterSelector must be set`);
  if (selector) {
    if ((spec.clusterSelector?.[Labels.cluster] ?? '') === '')
      return err('spec.clusterSelector', 'cluster name in ClusterSelector should not be empty');
    if (mode === 'SidecarMode')
      return err('spec.clusterSelector', 'ClusterSelector is not supported in SidecarMode');
    if ((spec.backoffLimit ?? 0) > 0)
      return err('spec.backoffLimit', `${INVALID}BackoffLimit is incompatible with ClusterSelector mode`);
  }
  if (mode === 'InteractiveMode' && (spec.backoffLimit ?? 0) > 0)
    return err('spec.backoffLimit', `${INVALID}BackoffLimit is incompatible with InteractiveMode`);
  if (mode === 'SidecarMode') {
    if (spec.submitterPodTemplate !== undefined)
      return err('spec.submitterPodTemplate', "Currently, SidecarMode doesn't support SubmitterPodTemplate");
    if (spec.submitterConfig !== undefined)
      return err('spec.submitterConfig', "Currently, SidecarMode doesn't support SubmitterConfig");
    const rp = spec.rayClusterSpec?.headGroupSpec?.template?.spec?.restartPolicy ?? '';
    if (rp !== '' && rp !== 'Never')
      return err(
        'spec.rayClusterSpec.headGroupSpec.template.spec.restartPolicy',
        'restartPolicy for head Pod should be Never or unset when using SidecarMode',
      );
  }
  if (spec.rayClusterSpec) {
    const cluster = validateRayClusterSpec(
      spec.rayClusterSpec,
      job.metadata.annotations,
      options,
      'spec.rayClusterSpec',
    );
    if (cluster.length)
      return cluster.map((c) => ({ ...c, reason: SPEC, message: `${INVALID}${c.message}` }));
    if (spec.rayClusterSpec.authOptions?.enableK8sTokenAuth === true) {
      return err(
        'spec.rayClusterSpec.authOptions.enableK8sTokenAuth',
        `${INVALID}authOptions.enableK8sTokenAuth is not supported for RayJob`,
      );
    }
  }
  const yamlProblem = runtimeEnvProblem(spec.runtimeEnvYAML);
  if (yamlProblem) return err('spec.runtimeEnvYAML', yamlProblem);
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0)
    return err('spec.activeDeadlineSeconds', `${INVALID}activeDeadlineSeconds must be a positive integer`);
  if (spec.backoffLimit !== undefined && spec.backoffLimit < 0)
    return err('spec.backoffLimit', `${INVALID}backoffLimit must be a positive integer`);
  if (spec.preRunningDeadlineSeconds !== undefined && spec.preRunningDeadlineSeconds <= 0) {
    return err(
      'spec.preRunningDeadlineSeconds',
      `${INVALID}preRunningDeadlineSeconds must be a positive integer`,
    );
  }
  return [];
}

/** runtimeEnvYAML must parse as YAML (a mapping, when non-empty). */
export function runtimeEnvProblem(text: string | undefined): string | undefined {
  if (!text || text.trim() === '') return undefined;
  try {
    const v: unknown = parseYaml(text);
    if (v !== null && (typeof v !== 'object' || Array.isArray(v)))
      return 'failed to unmarshal RuntimeEnvYAML: it must be a YAML mapping';
  } catch (e) {
    return `failed to unmarshal RuntimeEnvYAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
  return undefined;
}

/** Metadata, then spec, then status, stopping at the first group that fails (as the controller does). */
export function validateRayJob(job: RayJob, options: ValidationOptions = {}): ValidationError[] {
  const meta = validateRayJobMetadata(job.metadata);
  if (meta.length) return meta;
  const spec = validateRayJobSpec(job, options);
  if (spec.length) return spec;
  return validateRayJobStatus(job);
}
