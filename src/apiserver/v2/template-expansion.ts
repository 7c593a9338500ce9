import type { ApiComputeTemplate } from '../v1/compute-template.ts';

/**
 * KubeRay's V2 compute-template middleware, as a pure function: a `computeTemplate: <name>` key in a head or
 * worker group of a RayCluster (`spec`), RayJob (`spec.rayClusterSpec`) or RayService (`spec.rayClusterConfig`)
 * body is replaced by the template's resources on the `ray-head` / `ray-worker` container (requests and
 * limits), its tolerations on the pod, and a `ray.io/compute-template` pod annotation.
 */
type Obj = Record<string, unknown>;

interface TemplateRef {
  /** Where the key was, for messages: `spec.workerGroupSpecs[1].computeTemplate`. */
  readonly field: string;
  readonly name: string;
}

const clusterSpecPath: Readonly<Record<string, string[]>> = {
  rayclusters: ['spec'],
  rayjobs: ['spec', 'rayClusterSpec'],
  rayservices: ['spec', 'rayClusterConfig'],
};

function clusterSpecOf(plural: string, body: Obj): { spec: Obj; prefix: string } | undefined {
  const path = clusterSpecPath[plural];
  if (!path) return undefined;
  let cur: unknown = body;
  for (const k of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[k];
  }
  return cur && typeof cur === 'object' ? { spec: cur as Obj, prefix: path.join('.') } : undefined;
}

function groups(spec: Obj, prefix: string): { group: Obj; field: string; container: string }[] {
  const out: { group: Obj; field: string; container: string }[] = [];
  const head = spec.headGroupSpec;
  if (head && typeof head === 'object')
    out.push({ group: head as Obj, field: `${prefix}.headGroupSpec`, container: 'ray-head' });
  const workers = Array.isArray(spec.workerGroupSpecs) ? spec.workerGroupSpecs : [];
  workers.forEach((w, i) => {
    if (w && typeof w === 'object')
      out.push({ group: w as Obj, field: `${prefix}.workerGroupSpecs[${i}]`, container: 'ray-worker' });
  });
  return out;
}

/** The compute templates a body refers to. Throws a TypeError naming the field when the key is not a string. */
export function templateRefs(plural: string, body: Obj): TemplateRef[] {
  const found = clusterSpecOf(plural, body);
  if (!found) return [];
  const refs: TemplateRef[] = [];
  for (const { group, field } of groups(found.spec, found.prefix)) {
    if (!('computeTemplate' in group)) continue;
    const name = group.computeTemplate;
    if (typeof name !== 'string' || name === '')
      throw new TypeError(
        `${field}.computeTemplate: want the name of a compute template (a non-empty string)`,
      );
    refs.push({ field: `${field}.computeTemplate`, name });
  }
  return refs;
}

/** `parent[key]` as an object, created when absent. */
function child(parent: Obj, key: string): Obj {
  const v = parent[key];
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Obj;
  const fresh: Obj = {};
  parent[key] = fresh;
  return fresh;
}

/** A copy of `body` with every computeTemplate key expanded from `templates` (which must hold them all). */
export function expandTemplates(
  plural: string,
  body: Obj,
  templates: ReadonlyMap<string, ApiComputeTemplate>,
): Obj {
  const copy = structuredClone(body);
  const found = clusterSpecOf(plural, copy);
  if (!found) return copy;
  for (const { group, container } of groups(found.spec, found.prefix)) {
    if (!('computeTemplate' in group)) continue;
    const name = group.computeTemplate as string;
    delete group.computeTemplate;
    const t = templates.get(name);
    if (!t) throw new Error(`compute template ${name} not loaded`);
    const template = child(group, 'template');
    const meta = child(template, 'metadata');
    meta.annotations = { ...((meta.annotations as Obj) ?? {}), 'ray.io/compute-template': name };
    const podSpec = child(template, 'spec');
    const containers = (Array.isArray(podSpec.containers) ? podSpec.containers : []) as Obj[];
    const c = containers.find((x) => x.name === container);
    if (c) {
      const list: Record<string, string> = {
        cpu: String(t.cpu ?? 0),
        memory: `${t.memory ?? 0}${t.memoryUnit || 'Gi'}`,
      };
      if (t.gpu) list[t.gpuAccelerator || 'nvidia.com/gpu'] = String(t.gpu);
      for (const [k, v] of Object.entries(t.extendedResources ?? {})) if (v) list[k] = String(v);
      const resources = child(c, 'resources');
      resources.requests = { ...((resources.requests as Obj) ?? {}), ...list };
      resources.limits = { ...((resources.limits as Obj) ?? {}), ...list };
    }
    const tolerations = (t.tolerations ?? []).map((x) => ({
      ...(x.key ? { key: x.key } : {}),
      ...(x.operator ? { operator: x.operator } : {}),
      ...(x.value ? { value: x.value } : {}),
      ...(x.effect ? { effect: x.effect } : {}),
    }));
    if (tolerations.length) podSpec.tolerations = [...((podSpec.tolerations as Obj[]) ?? []), ...tolerations];
  }
  return copy;
}
