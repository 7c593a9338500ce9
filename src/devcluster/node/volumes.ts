import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type {
  Container,
  DownwardAPIVolumeFile,
  KeyToPath,
  Pod,
  Volume,
  VolumeMount,
} from '../../api/k8s-types.ts';
import {
  ContainerConfigError,
  envReferences,
  type NodeAllocatable,
  type PodSources,
  resourceFieldValue,
} from './env.ts';
import { resolveFieldPath } from './fieldpath.ts';

/** Where Kubernetes mounts the service-account token, CA and namespace. */
export const SA_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The volume the node adds (as the ServiceAccount admission plugin would) when a pod mounts no token. */
const AUTO_SA_VOLUME = 'kube-api-access-local';

/** What volume materialization needs from the node. */
interface VolumeContext {
  readonly sources: PodSources;
  readonly allocatable: NodeAllocatable;
  /** PEM of the CA that signed the API server's certificate. */
  readonly caPem: string;
  /** Issues a token for the pod's service account (TokenRequest API). */
  readonly token: (audience: string | undefined, expirationSeconds: number) => Promise<string>;
}

/** Every ConfigMap and Secret the pod reads, from env, envFrom and volumes. */
export function podReferences(pod: Pod): { configMaps: string[]; secrets: string[] } {
  const cms = new Set<string>();
  const secrets = new Set<string>();
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    const r = envReferences(c);
    for (const n of r.configMaps) cms.add(n);
    for (const n of r.secrets) secrets.add(n);
  }
  for (const v of pod.spec.volumes ?? []) {
    if (v.configMap?.name) cms.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) cms.add(s.configMap.name);
      if (s.secret?.name) secrets.add(s.secret.name);
    }
  }
  return { configMaps: [...cms], secrets: [...secrets] };
}

/** Whether the node should add the service-account volume to this pod. */
export function wantsAutoToken(pod: Pod): boolean {
  if (pod.spec.automountServiceAccountToken === false) return false;
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  return !all.some((c) =>
    (c.volumeMounts ?? []).some((m) => normalize(m.mountPath).replace(/\/+$/, '') === SA_MOUNT_PATH),
  );
}

function safeRelative(p: string, what: string): string {
  const n = normalize(p);
  if (n.startsWith('/') || n === '..' || n.startsWith('../'))
    throw new ContainerConfigError(`${what}: path "${p}" must be relative and stay inside the volume`);
  return n;
}

function writeFiles(dir: string, files: ReadonlyMap<string, string | Buffer>, mode: number): void {
  mkdirSync(dir, { recursive: true });
  for (const [rel, content] of files) {
    const p = join(dir, safeRelative(rel, 'volume item'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    chmodSync(p, mode);
  }
}

/** The files of a ConfigMap or Secret volume (or projected source) named `name`, read from the pod's sources. */
function keyFiles(
  kind: 'configmap' | 'secret',
  name: string,
  ref: { readonly items?: readonly KeyToPath[] | undefined; readonly optional?: boolean | undefined },
  ctx: VolumeContext,
  ns: string,
): Map<string, string> {
  const data = (kind === 'configmap' ? ctx.sources.configMaps : ctx.sources.secrets).get(name);
  const { items, optional } = ref;
  const files = new Map<string, string>();
  if (!data) {
    if (optional) return files;
    throw new ContainerConfigError(`${kind} "${name}" not found`);
  }
  if (!items?.length) {
    for (const [k, v] of Object.entries(data)) files.set(k, v);
    return files;
  }
  for (const it of items) {
    if (!Object.hasOwn(data, it.key)) {
      if (optional) continue;
      throw new ContainerConfigError(
        `couldn't find key ${it.key} in ${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${ns}/${name}`,
      );
    }
    files.set(it.path, data[it.key]!);
  }
  return files;
}

function downwardFiles(
  pod: Pod,
  items: readonly DownwardAPIVolumeFile[] | undefined,
  ctx: VolumeContext,
): Map<string, string> {
  const files = new Map<string, string>();
  for (const it of items ?? []) {
    if (it.fieldRef) {
      const v = resolveFieldPath(pod, it.fieldRef.fieldPath);
      if (v === undefined)
        throw new ContainerConfigError(`downwardAPI: unsupported fieldPath "${it.fieldRef.fieldPath}"`);
      files.set(it.path, v);
    } else if (it.resourceFieldRef) {
      const self: Container = pod.spec.containers[0]!;
      files.set(it.path, resourceFieldValue(pod, it.resourceFieldRef, self, ctx.allocatable));
    }
  }
  return files;
}

async function volumeFiles(
  pod: Pod,
  v: Volume,
  ctx: VolumeContext,
): Promise<Map<string, string> | undefined> {
  const ns = pod.metadata.namespace ?? 'default';
  if (v.configMap) return keyFiles('configmap', v.configMap.name ?? '', v.configMap, ctx, ns);
  if (v.secret) return keyFiles('secret', v.secret.secretName ?? '', v.secret, ctx, ns);
  if (v.downwardAPI) return downwardFiles(pod, v.downwardAPI.items, ctx);
  if (v.projected) {
    const files = new Map<string, string>();
    for (const s of v.projected.sources ?? []) {
      let part: Map<string, string> = new Map();
      if (s.configMap) part = keyFiles('configmap', s.configMap.name ?? '', s.configMap, ctx, ns);
      else if (s.secret) part = keyFiles('secret', s.secret.name ?? '', s.secret, ctx, ns);
      else if (s.downwardAPI) part = downwardFiles(pod, s.downwardAPI.items, ctx);
      else if (s.serviceAccountToken)
        part.set(
          s.serviceAccountToken.path,
          await ctx.token(s.serviceAccountToken.audience, s.serviceAccountToken.expirationSeconds ?? 3607),
        );
      for (const [k, val] of part) files.set(k, val);
    }
    return files;
  }
  return undefined;
}

/**
 * Creates each volume of the pod under `podDir/volumes/<name>` and returns the host path of each. Unsupported
 * volume types are a ContainerConfigError naming the volume.
 */
export async function materializeVolumes(
  pod: Pod,
  podDir: string,
  ctx: VolumeContext,
): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const v of pod.spec.volumes ?? []) {
    if (v.hostPath) {
      paths.set(v.name, v.hostPath.path);
      continue;
    }
    const dir = join(podDir, 'volumes', v.name);
    if (v.emptyDir) {
      mkdirSync(dir, { recursive: true });
      paths.set(v.name, dir);
      continue;
    }
    const files = await volumeFiles(pod, v, ctx);
    if (!files)
      throw new ContainerConfigError(
        `volume "${v.name}": this volume type is not supported by the local node`,
      );
    rmSync(dir, { recursive: true, force: true });
    writeFiles(dir, files, v.secret || v.projected ? 0o600 : 0o644);
    paths.set(v.name, dir);
  }
  return paths;
}

/** Writes the automatic service-account volume (token, ca.crt, namespace) and returns its host path. */
export async function materializeAutoToken(pod: Pod, podDir: string, ctx: VolumeContext): Promise<string> {
  const dir = join(podDir, 'volumes', AUTO_SA_VOLUME);
  const files = new Map<string, string>([
    ['token', await ctx.token(undefined, 3607)],
    ['ca.crt', ctx.caPem],
    ['namespace', pod.metadata.namespace ?? 'default'],
  ]);
  writeFiles(dir, files, 0o644);
  return dir;
}

/** One bind mount of a container: host path -> path inside the container. */
export interface BindMount {
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

const readOnlyKinds = (v: Volume | undefined) =>
  !!(v?.configMap || v?.secret || v?.downwardAPI || v?.projected);

/** The bind mounts of one container, from its volumeMounts and the materialized volumes. */
export function containerMounts(
  pod: Pod,
  c: Container,
  paths: ReadonlyMap<string, string>,
  autoToken?: string,
): BindMount[] {
  const mounts: BindMount[] = (c.volumeMounts ?? []).map((m: VolumeMount) => {
    const base = paths.get(m.name);
    if (!base) throw new ContainerConfigError(`volumeMount "${m.name}": no volume of that name in the pod`);
    const vol = pod.spec.volumes?.find((v) => v.name === m.name);
    const source = m.subPath ? join(base, safeRelative(m.subPath, `volumeMount "${m.name}" subPath`)) : base;
    return { source, target: normalize(m.mountPath), readOnly: !!m.readOnly || readOnlyKinds(vol) };
  });
  if (autoToken) mounts.push({ source: autoToken, target: SA_MOUNT_PATH, readOnly: true });
  return mounts;
}
