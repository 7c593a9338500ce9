import {
  EventReasons,
  JobSubmissionModes,
  ManagedBy,
  type RayJob,
  validateRayJob as validateWithApi,
} from '../../api/index.ts';
import type { InvalidVerdict } from '../../api/validation/common.ts';
import {
  checkMetadataSupported,
  runtimeEnvJson,
  SubmitterBuildError,
  submissionMode,
} from '../../builders/rayjob/index.ts';
import type { RayJobConfig } from './config.ts';

/** A validation failure: the Warning event reason and the message (`<field>: <KubeRay's text>`). */
export type { InvalidVerdict as Invalid } from '../../api/validation/common.ts';

/**
 * The RayJob controller's validation: the one RayJob validator of `src/api/validation` (metadata, spec incl. the
 * embedded RayCluster spec and the deletion strategy, status; KubeRay's rules and texts), then the checks that
 * need the controller's configuration or the submitter builder (docs/api.md, "Where validation lives").
 */
export function validateRayJob(rj: RayJob, config: RayJobConfig): InvalidVerdict | undefined {
  const errors = validateWithApi(rj, {
    features: {
      RayJobDeletionPolicy: config.rayJobDeletionPolicy,
      SidecarSubmitterRestart: config.sidecarSubmitterRestart,
    },
  });
  if (errors.length)
    return { reason: errors[0]!.reason, message: errors.map((e) => `${e.field}: ${e.message}`).join('; ') };
  const local = operatorRules(rj, config);
  return local ? { reason: EventReasons.invalidRayJobSpec, message: local } : undefined;
}

function operatorRules(rj: RayJob, config: RayJobConfig): string | undefined {
  const spec = rj.spec;
  const mode = submissionMode(rj);
  if (config.batchScheduler === 'kai-scheduler' && mode === JobSubmissionModes.k8sJob)
    return 'spec.submissionMode: the kai-scheduler batch scheduler does not support K8sJobMode (use SidecarMode or HTTPMode)';
  if (spec.submitterPodTemplate && !spec.submitterPodTemplate.spec?.containers?.length)
    return 'spec.submitterPodTemplate.spec.containers: at least one container is required';
  if (
    spec.managedBy &&
    spec.managedBy !== ManagedBy.kuberayOperator &&
    spec.managedBy !== ManagedBy.multiKueue
  )
    return `spec.managedBy: must be ${ManagedBy.kuberayOperator} or ${ManagedBy.multiKueue}`;
  try {
    runtimeEnvJson(spec.runtimeEnvYAML);
    if (mode === JobSubmissionModes.k8sJob) checkMetadataSupported(rj);
  } catch (e) {
    if (!(e instanceof SubmitterBuildError)) throw e;
    return e.message;
  }
  return undefined;
}
