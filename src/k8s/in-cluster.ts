import { readFileSync } from 'node:fs';
import { KuberayError } from '../lib/errors.ts';
import type { ClusterAccess } from './kubeconfig.ts';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

class InClusterError extends KuberayError {}

/**
 * The access of a pod to its own cluster: KUBERNETES_SERVICE_HOST/PORT, the mounted service-account token
 * (re-read on every request, since the kubelet rotates it), CA and namespace.
 */
export function inClusterAccess(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => Buffer = (p) => readFileSync(p),
  dir = SERVICE_ACCOUNT_DIR,
): ClusterAccess & { namespace: string } {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port)
    throw new InClusterError(
      'not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set (or pass a kubeconfig)',
    );
  const hostPart = host.includes(':') ? `[${host}]` : host;
  let ca: Buffer;
  try {
    ca = readFile(`${dir}/ca.crt`);
    readFile(`${dir}/token`);
  } catch (cause) {
    throw new InClusterError(`cannot read the service-account token or CA in ${dir}`, { cause });
  }
  let namespace = 'default';
  try {
    namespace = readFile(`${dir}/namespace`).toString('utf8').trim() || 'default';
  } catch {
    // No namespace file: keep 'default'.
  }
  return { server: `https://${hostPart}:${port}`, ca, tokenFile: `${dir}/token`, namespace };
}
