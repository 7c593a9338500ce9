/**
 * kubectl's rules for finding the cluster: `--kubeconfig`, else the first file of $KUBECONFIG, else
 * ~/.kube/config, else the in-cluster service account; `--context` picks the context; `--server`, `--token`,
 * `--certificate-authority` and `--insecure-skip-tls-verify` override it; `--as`, `--as-group` and `--as-uid`
 * impersonate (Kubernetes then decides as for that user), `--request-timeout` bounds each request. The
 * namespace is `-n`, else the context's namespace, else `default`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeClient } from '../k8s/client.ts';
import { inClusterAccess } from '../k8s/in-cluster.ts';
import { type ClusterAccess, loadKubeconfig } from '../k8s/kubeconfig.ts';
import { RestClient } from '../k8s/rest.ts';
import type { Invocation } from './command.ts';
import { CliError } from './errors.ts';
import { bool, list, parseDuration, str } from './flags.ts';

export const FIELD_MANAGER = 'ray-kubectl-plugin';

export interface Kube {
  readonly client: KubeClient;
  readonly access: ClusterAccess;
  /** The namespace of the request (never empty). */
  readonly namespace: string;
  /** Whether -n/--namespace was given. */
  readonly namespaceGiven: boolean;
  readonly context: string | undefined;
  readonly kubeconfigPath: string | undefined;
  close(): void;
}

function kubeconfigPath(inv: Invocation): string | undefined {
  const flag = str(inv.args, 'kubeconfig');
  if (flag) return flag;
  const env = inv.io.env.KUBECONFIG;
  if (env) {
    const files = env.split(delimiter).filter(Boolean);
    return files.find((f) => existsSync(f)) ?? files[0];
  }
  const home = inv.io.env.HOME || homedir();
  const def = join(home, '.kube', 'config');
  return existsSync(def) ? def : undefined;
}

/** Resolves the cluster access and namespace of an invocation (throws CliError with one clear line). */
export function resolveAccess(inv: Invocation): {
  access: ClusterAccess;
  namespace: string;
  path: string | undefined;
} {
  const path = kubeconfigPath(inv);
  const context = str(inv.args, 'context') || undefined;
  let access: ClusterAccess & { namespace: string };
  if (path) {
    if (!existsSync(path)) throw new CliError(`kubeconfig ${path} does not exist`);
    access = loadKubeconfig(path, context);
  } else if (inv.io.env.KUBERNETES_SERVICE_HOST) {
    access = inClusterAccess(inv.io.env as NodeJS.ProcessEnv);
  } else if (str(inv.args, 'server')) {
    access = { server: str(inv.args, 'server'), namespace: 'default' };
  } else {
    throw new CliError(
      'no Kubernetes cluster configured: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config',
    );
  }
  const token = str(inv.args, 'token');
  const caFile = str(inv.args, 'certificate-authority');
  const { namespace: fromConfig, ...base } = access;
  // A --token replaces the kubeconfig's client certificate and exec plugin, as kubectl does.
  const { cert: _c, key: _k, exec: _e, ...withoutClientAuth } = base;
  const over: ClusterAccess = {
    ...(token ? { ...withoutClientAuth, token } : base),
    ...(str(inv.args, 'server') ? { server: str(inv.args, 'server') } : {}),
    ...(caFile ? { ca: readFileSync(caFile) } : {}),
    ...(bool(inv.args, 'insecure-skip-tls-verify') ? { insecureSkipTLSVerify: true } : {}),
  };
  const namespace = str(inv.args, 'namespace') || fromConfig || 'default';
  return { access: over, namespace, path };
}

/** kubectl's impersonation headers from `--as`, `--as-group` (repeatable) and `--as-uid`. */
function impersonationHeaders(inv: Invocation): Record<string, string | string[]> {
  const user = str(inv.args, 'as');
  const groups = list(inv.args, 'as-group');
  const uid = str(inv.args, 'as-uid');
  if (!user && (groups.length > 0 || uid))
    throw new CliError('requesting uid or groups for impersonation requires a user name (--as)');
  if (!user) return {};
  return {
    'Impersonate-User': user,
    ...(groups.length > 0 ? { 'Impersonate-Group': [...groups] } : {}),
    ...(uid ? { 'Impersonate-Uid': uid } : {}),
  };
}

/**
 * `--request-timeout` in ms: kubectl reads a bare number as seconds and 0 as no timeout; unset keeps the
 * client's default (30 s), so a hung server never hangs the CLI.
 */
function requestTimeoutMs(inv: Invocation): number | undefined {
  if (!inv.args.set.has('request-timeout')) return undefined;
  const text = str(inv.args, 'request-timeout').trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === undefined || ms < 0)
    throw new CliError(
      `invalid --request-timeout ${JSON.stringify(text)}: use a duration with a unit (e.g. 1s, 2m, 3h) or 0 for none`,
    );
  return ms;
}

export function connect(inv: Invocation): Kube {
  const { access, namespace, path } = resolveAccess(inv);
  const timeout = requestTimeoutMs(inv);
  const rest = new RestClient(access, {
    userAgent: 'kubectl-ray/kuberay-ts',
    defaultHeaders: impersonationHeaders(inv),
    ...(timeout !== undefined ? { requestTimeoutMs: timeout } : {}),
  });
  const client = new KubeClient(rest, FIELD_MANAGER);
  return {
    client,
    access,
    namespace,
    namespaceGiven: inv.args.set.has('namespace'),
    context: str(inv.args, 'context') || undefined,
    kubeconfigPath: path,
    close: () => rest.close(),
  };
}
