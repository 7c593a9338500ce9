import { defaultFeatureGates, type FeatureGates } from '../feature-gates.ts';
import type { Container, EnvVar, ObjectMeta } from '../k8s-types.ts';
import { goList, isDNS1035Label } from './k8s-names.ts';

/** One validation failure: the field it concerns, KubeRay's message, and the event reason to report it with. */
export interface ValidationError {
  readonly field: string;
  readonly message: string;
  readonly reason: string;
}

/** What a controller reports of a failed validation: the Event reason and the message. */
export type InvalidVerdict = Pick<ValidationError, 'reason' | 'message'>;

/** The operator feature gates (names as in `--feature-gates`); validation reads some of them. */
export type { FeatureGates } from '../feature-gates.ts';

/** KubeRay's defaults, from the one gate table. */
export const DEFAULT_FEATURE_GATES: FeatureGates = Object.freeze(defaultFeatureGates());

export interface ValidationOptions {
  /** Feature gates; unset gates take KubeRay's defaults. */
  readonly features?: Partial<FeatureGates>;
}

export function gates(options: ValidationOptions = {}): FeatureGates {
  return { ...DEFAULT_FEATURE_GATES, ...options.features };
}

export function envVar(name: string, env: readonly EnvVar[] | undefined): EnvVar | undefined {
  return env?.find((e) => e.name === name);
}

/** The Ray container: KubeRay requires it at index 0. */
export function rayContainer(containers: readonly Container[] | undefined): Container | undefined {
  return containers?.[0];
}

export interface GenericVersion {
  readonly components: readonly number[];
}

/**
 * Parses a "generic" version like Kubernetes' `version.ParseGeneric`: optional leading `v`, two or more
 * dot-separated numbers (the first without leading zeros), then anything. Returns undefined when unparsable.
 */
export function parseGenericVersion(s: string): GenericVersion | undefined {
  const m = /^\s*v?([0-9]+(?:\.[0-9]+)+)(.*)$/s.exec(s);
  if (!m) return undefined;
  const parts = m[1]!.split('.');
  if (parts[0]!.length > 1 && parts[0]!.startsWith('0')) return undefined;
  return { components: parts.map(Number) };
}

/**
 * Parses a semantic version leniently, as the semver library KubeRay reads `rayVersion` with for the job CLI:
 * optional leading `v`, one to three numbers (missing ones are 0), then a `-` or `+` tail. Undefined otherwise.
 */
export function parseSemanticVersion(s: string): GenericVersion | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(s.trim());
  if (!m) return undefined;
  return { components: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] };
}

/** Negative, zero or positive as a is below, equal to or above b (missing components count as 0). */
export function compareVersions(a: GenericVersion, b: GenericVersion): number {
  const n = Math.max(a.components.length, b.components.length);
  for (let i = 0; i < n; i++) {
    const d = (a.components[i] ?? 0) - (b.components[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** True when `v` parses and is at least `min`. */
export function versionAtLeast(v: string | undefined, min: string): boolean {
  const parsed = v ? parseGenericVersion(v) : undefined;
  return parsed !== undefined && compareVersions(parsed, parseGenericVersion(min)!) >= 0;
}

/**
 * KubeRay's check of a ray.io object's name: at most `max` characters, then a DNS-1035 label. `prefix` starts
 * the message (the RayJob's say "The RayJob metadata is invalid: ").
 */
export function validateObjectName(
  kind: string,
  meta: ObjectMeta | undefined,
  max: number,
  reason: string,
  prefix = '',
): ValidationError[] {
  const name = meta?.name ?? '';
  const fail = (message: string): ValidationError[] => [{ field: 'metadata.name', reason, message }];
  if (name.length > max) return fail(`${prefix}${kind} name should be no more than ${max} characters`);
  const errs = isDNS1035Label(name);
  if (errs.length) return fail(`${prefix}${kind} name should be a valid DNS1035 label: ${goList(errs)}`);
  return [];
}
