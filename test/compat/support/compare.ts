import type { Normalised } from './normalise.ts';

/** One field that differs between our operator's result and KubeRay's for one sample. */
export interface Difference {
  readonly sample: string;
  /** `Kind/normalised-name` (`Event/<Kind>/<name>/<reason>` for events). */
  readonly object: string;
  /** A path such as `spec.containers[name=ray-head].env[name=RAY_PORT].value`; empty for a whole object. */
  readonly field: string;
  /** The value, or ABSENT when the field (or object) is missing on that side. */
  readonly ours: unknown;
  readonly kuberay: unknown;
}

export const ABSENT = '<absent>';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const join = (path: string, key: string) =>
  IDENT.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Lists whose order carries no meaning are compared by a key: `name` (containers, env, ports, volumes,
 * volume mounts), `type` (conditions), `mountPath`; a list whose items have none of these unique keys is
 * compared by position.
 */
function keyed(list: unknown[]): Map<string, unknown> | undefined {
  if (list.length === 0 || !list.every(isObject)) return undefined;
  for (const k of ['name', 'type', 'mountPath']) {
    const keys = list.map((x) => x[k]);
    if (keys.every((x) => typeof x === 'string') && new Set(keys).size === keys.length)
      return new Map(list.map((x) => [`${k}=${x[k]}`, x]));
  }
  return undefined;
}

function diffValue(ours: unknown, kuberay: unknown, path: string, out: [string, unknown, unknown][]): void {
  if (ours === undefined && kuberay === undefined) return;
  if (ours === undefined || kuberay === undefined) {
    out.push([path, ours ?? ABSENT, kuberay ?? ABSENT]);
    return;
  }
  if (Array.isArray(ours) && Array.isArray(kuberay)) {
    const a = keyed(ours);
    const b = keyed(kuberay);
    if (a && b) {
      for (const k of new Set([...a.keys(), ...b.keys()]))
        diffValue(a.get(k), b.get(k), `${path}[${k}]`, out);
      return;
    }
    if (ours.length === kuberay.length) {
      for (const [i, x] of ours.entries()) diffValue(x, kuberay[i], `${path}[${i}]`, out);
      return;
    }
    out.push([path, ours, kuberay]);
    return;
  }
  if (isObject(ours) && isObject(kuberay)) {
    for (const k of [...new Set([...Object.keys(ours), ...Object.keys(kuberay)])].sort())
      diffValue(ours[k], kuberay[k], join(path, k), out);
    return;
  }
  if (JSON.stringify(ours) !== JSON.stringify(kuberay)) out.push([path, ours, kuberay]);
}

/** Every field that differs, object by object; an object only one side has is one whole-object entry. */
export function compareDumps(sample: string, ours: Normalised, kuberay: Normalised): Difference[] {
  const out: Difference[] = [];
  for (const object of [...new Set([...ours.keys(), ...kuberay.keys()])].sort()) {
    const a = ours.get(object);
    const b = kuberay.get(object);
    if (a === undefined || b === undefined) {
      out.push({
        sample,
        object,
        field: '',
        ours: a === undefined ? ABSENT : 'present',
        kuberay: b === undefined ? ABSENT : 'present',
      });
      continue;
    }
    const fields: [string, unknown, unknown][] = [];
    diffValue(a, b, '', fields);
    for (const [field, o, k] of fields) out.push({ sample, object, field, ours: o, kuberay: k });
  }
  return out;
}
