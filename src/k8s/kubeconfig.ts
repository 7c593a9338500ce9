import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parseYaml } from '../api/yaml.ts';
import { errorMessage, KuberayError } from '../lib/errors.ts';

/** What a client needs to reach and authenticate to one API server. */
export interface ClusterAccess {
  readonly server: string;
  readonly ca?: Buffer;
  readonly insecureSkipTLSVerify?: boolean;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly token?: string;
  readonly tokenFile?: string;
  readonly exec?: ExecConfig;
}

export interface ExecConfig {
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: readonly { name: string; value: string }[];
  readonly apiVersion?: string;
}

interface NamedCluster {
  name: string;
  cluster: Record<string, unknown>;
}
interface NamedUser {
  name: string;
  user: Record<string, unknown>;
}
interface NamedContext {
  name: string;
  context: { cluster: string; user: string; namespace?: string };
}
interface KubeconfigFile {
  clusters?: NamedCluster[];
  users?: NamedUser[];
  contexts?: NamedContext[];
  'current-context'?: string;
}

class KubeconfigError extends KuberayError {}

/**
 * Parses kubeconfig text. An empty file, invalid YAML, a document that is not a mapping, or a clusters/users/
 * contexts entry that is not a list is a KubeconfigError naming `path` and saying what is wrong.
 */
function parseKubeconfig(text: string, path: string): KubeconfigFile {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (cause) {
    const detail = (errorMessage(cause).split('\n')[0] ?? '').replace(/:\s*$/, '');
    throw new KubeconfigError(`kubeconfig ${path} is not valid YAML: ${detail}`, { cause });
  }
  if (doc === null || doc === undefined) throw new KubeconfigError(`kubeconfig ${path} is empty`);
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new KubeconfigError(`kubeconfig ${path} is not a kubeconfig: expected a YAML mapping`);
  for (const list of ['clusters', 'users', 'contexts'] as const) {
    const v = (doc as Record<string, unknown>)[list];
    if (v !== undefined && v !== null && !Array.isArray(v))
      throw new KubeconfigError(`kubeconfig ${path}: ${list} must be a list`);
  }
  return doc as KubeconfigFile;
}

/** Reads a kubeconfig file and resolves the named (or current) context to a ClusterAccess. */
export function loadKubeconfig(path: string, context?: string): ClusterAccess & { namespace: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new KubeconfigError(`cannot read kubeconfig ${path}: ${errorMessage(cause)}`, { cause });
  }
  const doc = parseKubeconfig(text, path);
  const ctxName = context ?? doc['current-context'];
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context;
  if (!ctx) throw new KubeconfigError(`kubeconfig ${path}: context '${ctxName ?? ''}' not found`);
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster) throw new KubeconfigError(`kubeconfig ${path}: cluster '${ctx.cluster}' not found`);
  const user = doc.users?.find((u) => u.name === ctx.user)?.user ?? {};
  const base = dirname(path);
  const fileOrData = (obj: Record<string, unknown>, file: string, data: string): Buffer | undefined => {
    if (typeof obj[data] === 'string') return Buffer.from(obj[data] as string, 'base64');
    if (typeof obj[file] === 'string') {
      const p = obj[file] as string;
      return readFileSync(isAbsolute(p) ? p : join(base, p));
    }
    return undefined;
  };
  const access: { -readonly [K in keyof ClusterAccess]: ClusterAccess[K] } & { namespace: string } = {
    server: String(cluster.server ?? ''),
    ca: fileOrData(cluster, 'certificate-authority', 'certificate-authority-data'),
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    cert: fileOrData(user, 'client-certificate', 'client-certificate-data'),
    key: fileOrData(user, 'client-key', 'client-key-data'),
    token: typeof user.token === 'string' ? user.token : undefined,
    tokenFile: typeof user.tokenFile === 'string' ? user.tokenFile : undefined,
    exec: user.exec as ExecConfig | undefined,
    namespace: ctx.namespace ?? 'default',
  };
  for (const k of Object.keys(access) as (keyof typeof access)[])
    if (access[k] === undefined) delete access[k];
  if (!access.server) throw new KubeconfigError(`kubeconfig ${path}: cluster '${ctx.cluster}' has no server`);
  return access;
}
