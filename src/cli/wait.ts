/** Waiting on a RayCluster by polling (one GET every 2 s), bounded by a timeout and the command's signal. */
import type { KubeClient } from '../k8s/client.ts';
import { Resources } from '../k8s/resources.ts';
import { CliError, wrap } from './errors.ts';
import type { RayCluster } from './objects.ts';

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CliError('interrupted'));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new CliError('interrupted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves when the cluster's RayClusterProvisioned condition is True; CliError after `timeoutMs`. */
export async function waitProvisioned(
  client: KubeClient,
  ns: string,
  name: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<RayCluster> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = await client.get<RayCluster>(Resources.rayClusters, ns, name).catch((e: unknown) => {
      throw wrap(`failed to get Ray cluster ${ns}/${name}`, e);
    });
    if (c.status?.conditions?.some((x) => x.type === 'RayClusterProvisioned' && x.status === 'True'))
      return c;
    if (Date.now() >= deadline)
      throw new CliError(
        `timed out after ${Math.round(timeoutMs / 1000)}s waiting for Ray cluster ${ns}/${name} to be provisioned (state: ${c.status?.state || 'unknown'})`,
      );
    await sleep(Math.min(2000, Math.max(0, deadline - Date.now())), signal);
  }
}
