import { EventReasons, Labels, MaxRayClusterNameLength, MinRayVersions } from '../constants.ts';
import type { Condition, EnvVar, ObjectMeta } from '../k8s-types.ts';
import type { RayCluster, RayClusterSpec } from '../raycluster.ts';
import {
  envVar,
  gates,
  parseGenericVersion,
  rayContainer,
  type ValidationError,
  type ValidationOptions,
  validateObjectName,
  versionAtLeast,
} from './common.ts';
import { goList, isQualifiedName, isValidLabelValue } from './k8s-names.ts';
import { validateRayClusterAddOns } from './raycluster-addons.ts';
import { validateGcsFaultTolerance } from './raycluster-gcs.ts';

/**
 * RayCluster validation. Spec rules run in KubeRay's order and, like
 * KubeRay, stop at the first failure, so a list has at most one spec error (label syntax errors are joined
 * into one message, as KubeRay does).
 */

const SPEC = EventReasons.invalidRayClusterSpec;
export const RAY_ENABLE_AUTOSCALER_V2 = 'RAY_enable_autoscaler_v2';

export function validateRayClusterMetadata(meta: ObjectMeta): ValidationError[] {
  return validateObjectName(
    'RayCluster',
    meta,
    MaxRayClusterNameLength,
    EventReasons.invalidRayClusterMetadata,
  );
}

export function validateRayClusterStatus(conditions: readonly Condition[] | undefined): ValidationError[] {
  const isTrue = (t: string) => conditions?.some((c) => c.type === t && c.status === 'True') ?? false;
  if (isTrue('RayClusterSuspending') && isTrue('RayClusterSuspended')) {
    return [
      {
        field: 'status.conditions',
        reason: EventReasons.invalidRayClusterStatus,
        message:
          'invalid RayCluster State: rayv1.RayClusterSuspending and rayv1.RayClusterSuspended conditions should not be both true',
      },
    ];
  }
  return [];
}

export function isAutoscalingEnabled(spec: RayClusterSpec | undefined): boolean {
  return spec?.enableInTreeAutoscaling === true;
}

function v2Env(spec: RayClusterSpec): EnvVar | undefined {
  return envVar(RAY_ENABLE_AUTOSCALER_V2, rayContainer(spec.headGroupSpec?.template?.spec?.containers)?.env);
}

/** Autoscaler v2: `autoscalerOptions.version: v2`, or head env RAY_enable_autoscaler_v2 = "1" or "true". */
export function isAutoscalingV2(spec: RayClusterSpec): boolean {
  if (spec.autoscalerOptions?.version === 'v2') return true;
  const v = v2Env(spec)?.value;
  return v === '1' || v === 'true';
}

const plainOptionName = /^[A-Za-z0-9_-]+$/;

/**
 * rayStartParams keys become `--key` flags of the `ray start` shell command, so only plain option names are
 * allowed (letters, digits, `-`, `_`). Not a KubeRay rule: KubeRay pastes keys into the command unchecked.
 */
export function rayStartParamsKeyProblem(
  group: string,
  params: Record<string, string> | undefined,
): string | undefined {
  const bad = Object.keys(params ?? {}).find((k) => !plainOptionName.test(k));
  if (bad !== undefined)
    return `rayStartParams key ${JSON.stringify(bad)} of ${group} group is not a plain option name: only letters, digits, '-' and '_' are allowed`;
  // Ours: a NUL byte cannot be part of a command-line argument; the pod would be created and never start.
  const nul = Object.entries(params ?? {}).find(([, v]) => typeof v === 'string' && v.includes('\0'));
  if (nul)
    return `rayStartParams[${JSON.stringify(nul[0])}] of ${group} group contains a NUL character, which no command line can carry`;
  return undefined;
}

function groupResources(
  group: string,
  params: Record<string, string> | undefined,
  resources: Record<string, string> | undefined,
): string | undefined {
  const p = params ?? {};
  const fromParams = ['num-cpus', 'num-gpus', 'memory', 'resources'].some((k) => (p[k] ?? '') !== '');
  if (fromParams && resources && Object.keys(resources).length > 0) {
    return `resource fields should not be set in both rayStartParams and Resources for ${group} group; please use only one`;
  }
  return undefined;
}

function groupLabels(
  group: string,
  params: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): { field: 'rayStartParams' | 'labels'; message: string } | undefined {
  if (params && 'labels' in params) {
    return {
      field: 'rayStartParams',
      message: `rayStartParams['labels'] is not supported for ${group} group; please use the top-level Labels field instead`,
    };
  }
  const errs: string[] = [];
  for (const key of Object.keys(labels ?? {}).sort()) {
    const val = labels![key]!;
    for (const e of isQualifiedName(key))
      errs.push(`invalid label key for ${group} group: '${key}', error: ${e}`);
    for (const e of isValidLabelValue(val))
      errs.push(`invalid label value for key '${key}' in ${group} group: '${val}', error: ${e}`);
  }
  return errs.length ? { field: 'labels', message: errs.join('; ') } : undefined;
}

/** The first spec rule `spec` breaks, or none. `path` is where the spec sits in the object (for `field`). */
export function validateRayClusterSpec(
  spec: RayClusterSpec,
  annotations: Record<string, string> | undefined,
  options: ValidationOptions = {},
  path = 'spec',
): ValidationError[] {
  const err = (field: string, message: string): ValidationError[] => [
    { field: `${path}.${field}`, message, reason: SPEC },
  ];
  // A missing head group or template (only possible without our CRD) reads as "no container", as in KubeRay.
  const headContainers = spec?.headGroupSpec?.template?.spec?.containers ?? [];
  if (headContainers.length === 0)
    return err('headGroupSpec.template.spec.containers', 'headGroupSpec should have at least one container');
  const head = spec.headGroupSpec;
  const headKey = rayStartParamsKeyProblem('Head', head.rayStartParams);
  if (headKey) return err('headGroupSpec.rayStartParams', headKey);
  const headRes = groupResources('Head', head.rayStartParams, head.resources);
  if (headRes) return err('headGroupSpec.resources', headRes);
  const headLabels = groupLabels('Head', head.rayStartParams, head.labels);
  if (headLabels) return err(`headGroupSpec.${headLabels.field}`, headLabels.message);

  const autoscaling = isAutoscalingEnabled(spec);
  const v2 = isAutoscalingV2(spec);
  const workers = spec.workerGroupSpecs ?? [];
  for (const [i, g] of workers.entries()) {
    const at = `workerGroupSpecs[${i}]`;
    const name = g.groupName;
    if ((g.template?.spec?.containers ?? []).length === 0)
      return err(`${at}.template.spec.containers`, 'workerGroupSpec should have at least one container');
    const key = rayStartParamsKeyProblem(name, g.rayStartParams);
    if (key) return err(`${at}.rayStartParams`, key);
    const res = groupResources(name, g.rayStartParams, g.resources);
    if (res) return err(`${at}.resources`, res);
    const lab = groupLabels(name, g.rayStartParams, g.labels);
    if (lab) return err(`${at}.${lab.field}`, lab.message);
    if (!autoscaling && (g.minReplicas === undefined || g.maxReplicas === undefined)) {
      return err(
        at,
        `worker group ${name} must set both minReplicas and maxReplicas when autoscaling is disabled`,
      );
    }
    if (g.minReplicas !== undefined && g.minReplicas < 0)
      return err(
        `${at}.minReplicas`,
        `minReplicas (${g.minReplicas}) of worker group ${name} must be non-negative`,
      );
    if (g.maxReplicas !== undefined && g.maxReplicas < 0)
      return err(
        `${at}.maxReplicas`,
        `maxReplicas (${g.maxReplicas}) of worker group ${name} must be non-negative`,
      );
    if (g.minReplicas !== undefined && g.maxReplicas !== undefined && g.minReplicas > g.maxReplicas) {
      return err(
        `${at}.minReplicas`,
        `minReplicas ${g.minReplicas} greater than maxReplicas ${g.maxReplicas}`,
      );
    }
    if (g.idleTimeoutSeconds !== undefined) {
      if (g.idleTimeoutSeconds < 0)
        return err(
          `${at}.idleTimeoutSeconds`,
          `idleTimeoutSeconds must be non-negative for worker group ${name}, got ${g.idleTimeoutSeconds}`,
        );
      if (!v2)
        return err(
          `${at}.idleTimeoutSeconds`,
          `worker group ${name} has idleTimeoutSeconds set, but autoscaler version is not v2. Please set .spec.autoscalerOptions.version to v2`,
        );
    }
    if ((g.priority ?? 0) !== 0) {
      const why = priorityProblem(spec.rayVersion, v2);
      if (why) return err(`${at}.priority`, `worker group ${name} has priority set, but ${why}`);
    }
  }

  const gcs = validateGcsFaultTolerance(spec, annotations, options);
  if (gcs) return err(gcs.field, gcs.message);

  const g = gates(options);
  if (!g.RayJobDeletionPolicy) {
    const i = workers.findIndex((w) => w.suspend === true);
    if (i >= 0)
      return err(
        `workerGroupSpecs[${i}].suspend`,
        `worker group ${workers[i]!.groupName} can be suspended only when the RayJobDeletionPolicy feature gate is enabled`,
      );
  }
  const envV2 = v2Env(spec);
  if (!autoscaling && envV2 && (envV2.value === '1' || envV2.value === 'true')) {
    return err(
      'headGroupSpec.template.spec.containers[0].env',
      `environment variable ${RAY_ENABLE_AUTOSCALER_V2} cannot be set to '${envV2.value}' when enableInTreeAutoscaling is false. Please set enableInTreeAutoscaling: true to use autoscaler v2`,
    );
  }
  if (autoscaling) {
    const i = workers.findIndex((w) => w.suspend === true);
    if (i >= 0)
      return err(
        `workerGroupSpecs[${i}].suspend`,
        `worker group ${workers[i]!.groupName} cannot be suspended with Autoscaler enabled`,
      );
    if (spec.autoscalerOptions?.version !== undefined && envV2) {
      return err(
        'autoscalerOptions.version',
        `both .spec.autoscalerOptions.version and head Pod env var ${RAY_ENABLE_AUTOSCALER_V2} are set, please only use the former`,
      );
    }
    if (v2) {
      const headPolicy = head.template.spec?.restartPolicy ?? '';
      if (headPolicy !== '' && headPolicy !== 'Never')
        return err(
          'headGroupSpec.template.spec.restartPolicy',
          'restartPolicy for head Pod should be Never or unset when using autoscaler V2',
        );
      for (const [j, w] of workers.entries()) {
        const p = w.template.spec?.restartPolicy ?? '';
        if (p !== '' && p !== 'Never')
          return err(
            `workerGroupSpecs[${j}].template.spec.restartPolicy`,
            `restartPolicy for worker group ${w.groupName} should be Never or unset when using autoscaler V2`,
          );
      }
    }
  }
  const as = spec.autoscalerOptions;
  if (as?.idleTimeoutSeconds !== undefined && as.idleTimeoutSeconds < 0) {
    return err(
      'autoscalerOptions.idleTimeoutSeconds',
      `autoscalerOptions.idleTimeoutSeconds must be non-negative, got ${as.idleTimeoutSeconds}`,
    );
  }
  if (envVar('KUBERAY_GEN_AUTOSCALER_START_CMD', as?.env)) {
    return err(
      'autoscalerOptions.env',
      'autoscalerOptions.env cannot contain KUBERAY_GEN_AUTOSCALER_START_CMD, which is reserved for the operator',
    );
  }
  const addOn = validateRayClusterAddOns(spec, g);
  if (addOn) return err(addOn.field, addOn.message);
  return [];
}

function priorityProblem(rayVersion: string | undefined, v2: boolean): string | undefined {
  if (!rayVersion) return 'rayVersion is not set; priority requires Ray 2.56.0 or later';
  if (!parseGenericVersion(rayVersion))
    return `rayVersion ${rayVersion} is invalid; priority requires Ray 2.56.0 or later`;
  if (!versionAtLeast(rayVersion, MinRayVersions.workerPriority))
    return `priority requires Ray 2.56.0 or later, got ${rayVersion}`;
  if (!v2) return 'priority requires autoscaler v2';
  return undefined;
}

/** The admission webhook's checks: metadata name rules and unique worker group names. */
export function validateRayClusterWebhook(cluster: RayCluster): ValidationError[] {
  const out = validateRayClusterMetadata(cluster.metadata);
  const seen = new Set<string>();
  for (const [i, g] of (cluster.spec?.workerGroupSpecs ?? []).entries()) {
    if (seen.has(g.groupName))
      out.push({
        field: `spec.workerGroupSpecs[${i}]`,
        message: 'worker group names must be unique',
        reason: EventReasons.invalidRayClusterSpec,
      });
    seen.add(g.groupName);
  }
  return out;
}

/** `spec.upgradeStrategy` rules. */
export function validateRayClusterUpgradeStrategy(cluster: RayCluster): ValidationError[] {
  const type = cluster.spec?.upgradeStrategy?.type;
  if (type === undefined) return [];
  const field = 'spec.upgradeStrategy';
  if (type !== 'Recreate' && type !== 'None') {
    return [
      {
        field: `${field}.type`,
        reason: SPEC,
        message: `upgradeStrategy type ${type} is invalid, valid options are Recreate or None`,
      },
    ];
  }
  const creator = cluster.metadata?.labels?.[Labels.originatedFromCrd];
  if (creator === 'RayJob' || creator === 'RayService') {
    return [
      {
        field,
        reason: SPEC,
        message: `upgradeStrategy cannot be set when RayCluster is created by ${creator}`,
      },
    ];
  }
  return [];
}

/** Metadata, then spec, then status, stopping at the first group that fails (as the controller does). */
export function validateRayCluster(cluster: RayCluster, options: ValidationOptions = {}): ValidationError[] {
  const meta = validateRayClusterMetadata(cluster.metadata);
  if (meta.length) return meta;
  const spec = validateRayClusterSpec(cluster.spec, cluster.metadata?.annotations, options);
  if (spec.length) return spec;
  return validateRayClusterStatus(cluster.status?.conditions);
}

/**
 * The non-blocking warning for autoscaler v1 with worker restartPolicy other than ""/Never.
 * Returns the warning text, or undefined.
 */
export function rayClusterSpecWarning(spec: RayClusterSpec): string | undefined {
  if (!isAutoscalingEnabled(spec) || spec.autoscalerOptions?.version !== 'v1') return undefined;
  const bad = (spec.workerGroupSpecs ?? [])
    .filter((w) => !['', 'Never'].includes(w.template?.spec?.restartPolicy ?? ''))
    .map((w) => w.groupName);
  return bad.length
    ? `restartPolicy for worker groups ${goList(bad)} should be Never or unset when using autoscaler V1`
    : undefined;
}

export const TLS_REQUIRES_CERT_MANAGER =
  'tlsOptions requires cert-manager, but cert-manager is not installed';
