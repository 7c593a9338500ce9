import type { Container, EnvVar, Pod } from '../../api/k8s-types.ts';
import { resolveFieldPath } from './fieldpath.ts';
import { parseQuantity } from './quantity.ts';

/** A container whose configuration cannot be built: it waits with reason CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
}

/** ConfigMaps and Secrets a pod refers to, already fetched (data decoded); a missing object is absent. */
export interface PodSources {
  readonly configMaps: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly secrets: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** The node's allocatable resources, used by resourceFieldRef when a container has no limit. */
export type NodeAllocatable = Readonly<Record<string, string | number>>;

/** Names of the ConfigMaps and Secrets a container's env and envFrom read. */
export function envReferences(c: Container): { configMaps: string[]; secrets: string[] } {
  const cms = new Set<string>();
  const secrets = new Set<string>();
  for (const e of c.env ?? []) {
    if (e.valueFrom?.configMapKeyRef?.name) cms.add(e.valueFrom.configMapKeyRef.name);
    if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
  }
  for (const f of c.envFrom ?? []) {
    if (f.configMapRef?.name) cms.add(f.configMapRef.name);
    if (f.secretRef?.name) secrets.add(f.secretRef.name);
  }
  return { configMaps: [...cms], secrets: [...secrets] };
}

/**
 * Expands `$(VAR)` references the Kubernetes way: a defined VAR is replaced, `$$` is a literal `$`, and an
 * undefined reference is left as written.
 */
export function expandVars(s: string, vars: Readonly<Record<string, string>>): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '$' || i + 1 >= s.length) {
      out += ch;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const end = s.indexOf(')', i + 2);
      if (end < 0) {
        out += s.slice(i);
        break;
      }
      const name = s.slice(i + 2, end);
      out += Object.hasOwn(vars, name) ? vars[name] : s.slice(i, end + 1);
      i = end;
    } else {
      out += ch;
    }
  }
  return out;
}

/** The value of a resourceFieldRef (limits fall back to node allocatable, requests to 0), divided and rounded up. */
export function resourceFieldValue(
  pod: Pod,
  ref: { containerName?: string; resource: string; divisor?: string | number },
  self: Container,
  allocatable: NodeAllocatable,
): string {
  const c = ref.containerName
    ? [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].find(
        (x) => x.name === ref.containerName,
      )
    : self;
  if (!c) throw new ContainerConfigError(`resourceFieldRef: no container named "${ref.containerName}"`);
  const [kind, name] = ref.resource.split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !name)
    throw new ContainerConfigError(`resourceFieldRef: unsupported resource "${ref.resource}"`);
  const fromSpec = parseQuantity(c.resources?.[kind]?.[name]);
  const value = fromSpec ?? (kind === 'limits' ? (parseQuantity(allocatable[name]) ?? 0) : 0);
  const divisor = parseQuantity(ref.divisor ?? 1) || 1;
  return String(Math.ceil(value / divisor - 1e-9));
}

function keyRef(
  kind: 'configmap' | 'secret',
  sel: { name?: string; key: string; optional?: boolean },
  from: ReadonlyMap<string, Readonly<Record<string, string>>>,
  ns: string,
): string | undefined {
  const data = from.get(sel.name ?? '');
  if (!data) {
    if (sel.optional) return undefined;
    throw new ContainerConfigError(`${kind} "${sel.name}" not found`);
  }
  if (!Object.hasOwn(data, sel.key)) {
    if (sel.optional) return undefined;
    const k = kind === 'configmap' ? 'ConfigMap' : 'Secret';
    throw new ContainerConfigError(`couldn't find key ${sel.key} in ${k} ${ns}/${sel.name}`);
  }
  return data[sel.key];
}

function oneVar(
  e: EnvVar,
  pod: Pod,
  c: Container,
  src: PodSources,
  alloc: NodeAllocatable,
  vars: Record<string, string>,
) {
  const ns = pod.metadata.namespace ?? 'default';
  const vf = e.valueFrom;
  if (!vf) return expandVars(e.value ?? '', vars);
  if (vf.fieldRef) {
    const v = resolveFieldPath(pod, vf.fieldRef.fieldPath);
    if (v === undefined)
      throw new ContainerConfigError(`env ${e.name}: unsupported fieldPath "${vf.fieldRef.fieldPath}"`);
    return v;
  }
  if (vf.resourceFieldRef) return resourceFieldValue(pod, vf.resourceFieldRef, c, alloc);
  if (vf.configMapKeyRef) return keyRef('configmap', vf.configMapKeyRef, src.configMaps, ns);
  if (vf.secretKeyRef) return keyRef('secret', vf.secretKeyRef, src.secrets, ns);
  throw new ContainerConfigError(`env ${e.name}: valueFrom has no source`);
}

/** The container's environment: envFrom first, then env in order (later entries see earlier ones). */
export function buildEnv(
  pod: Pod,
  c: Container,
  src: PodSources,
  alloc: NodeAllocatable,
  base: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const vars: Record<string, string> = { ...base };
  for (const f of c.envFrom ?? []) {
    const ref = f.configMapRef ?? f.secretRef;
    if (!ref) continue;
    const data = (f.configMapRef ? src.configMaps : src.secrets).get(ref.name ?? '');
    if (!data) {
      if (ref.optional) continue;
      throw new ContainerConfigError(`${f.configMapRef ? 'configmap' : 'secret'} "${ref.name}" not found`);
    }
    for (const [k, v] of Object.entries(data)) vars[`${f.prefix ?? ''}${k}`] = v;
  }
  for (const e of c.env ?? []) {
    const v = oneVar(e, pod, c, src, alloc, vars);
    if (v !== undefined) vars[e.name] = v;
  }
  return vars;
}

/**
 * The argv a container runs, with $(VAR) expanded: `command` replaces the image entrypoint (and drops its cmd),
 * `args` replace the image cmd, as in Kubernetes.
 */
export function buildArgv(
  c: Container,
  vars: Readonly<Record<string, string>>,
  image: { readonly entrypoint?: readonly string[]; readonly cmd?: readonly string[] },
): string[] {
  const command = (c.command ?? []).map((s) => expandVars(s, vars));
  const args = (c.args ?? []).map((s) => expandVars(s, vars));
  if (command.length > 0) return [...command, ...args];
  return [...(image.entrypoint ?? []), ...(args.length > 0 ? args : (image.cmd ?? []))];
}
