import type { TestContext } from 'node:test';
import { kwokNode } from '../../../src/devcluster/kwok-nodes.ts';
import { isAlreadyExists } from '../../../src/k8s/api-error.ts';
import type { RestClient } from '../../../src/k8s/rest.ts';
import { eventually, testNamespace } from '../../support/cluster.ts';
import type { Obj } from './dump.ts';

/** Creates one namespace per entry, deleted at the end of the test. */
export async function namespaces(t: TestContext, prefixes: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  // A few at a time: dozens of POSTs at once only queue up in the API server.
  for (let i = 0; i < prefixes.length; i += 8)
    out.push(...(await Promise.all(prefixes.slice(i, i + 8).map((p) => testNamespace(t, p)))));
  return out;
}

const crPaths = ['rayclusters', 'rayjobs', 'rayservices'].map((p) => `/apis/ray.io/v1/${p}`);

/**
 * Drops the finalizers of every ray.io object in the namespaces, so that deleting the namespaces after the
 * operators stop does not leave them Terminating forever (GCS fault tolerance and K8sJobMode RayJobs carry
 * finalizers only a running operator removes).
 */
export async function dropFinalizers(client: RestClient, nss: readonly string[]): Promise<void> {
  const set = new Set(nss);
  for (const path of crPaths) {
    const list = await client.request<{ items: Obj[] }>('GET', path);
    await Promise.all(
      list.items
        .filter(
          (o) =>
            set.has(o.metadata.namespace ?? '') && (o.metadata.finalizers as string[] | undefined)?.length,
        )
        .map((o) =>
          client
            .request(
              'PATCH',
              `${path.replace('/apis/ray.io/v1/', `/apis/ray.io/v1/namespaces/${o.metadata.namespace}/`)}/${o.metadata.name}`,
              {
                body: { metadata: { finalizers: null } },
                contentType: 'application/merge-patch+json',
              },
            )
            .catch(() => {}),
        ),
    );
  }
}

/**
 * A KWOK node big enough for every sample on both sides at once (the shared nodes have 64 CPUs each): with
 * room for everything, which pods get scheduled no longer depends on which operator created them first.
 * Pods whose node selectors match no node stay Pending on both sides alike. One node, `compat-node`, shared
 * by the compat files and never deleted by them: deleting it would evict the pods of a file still running
 * (it goes with the control plane).
 */
export async function bigKwokNode(client: RestClient): Promise<void> {
  const name = 'compat-node';
  const resources = {
    cpu: '100k',
    memory: '100Ti',
    pods: '10k',
    'nvidia.com/gpu': '10k',
    'google.com/tpu': '10k',
  };
  try {
    await client.request('POST', '/api/v1/nodes', { body: kwokNode(name, resources) });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  // Until KWOK reports it Ready the node carries the not-ready/unreachable taints: wait for them to go.
  await eventually(
    async () => {
      const node = await client.request<{
        spec?: { taints?: unknown[] };
        status?: { conditions?: { type: string; status: string }[] };
      }>('GET', `/api/v1/nodes/${name}`);
      if (
        node.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True' ||
        node.spec?.taints?.length
      )
        throw new Error(`node ${name} is not Ready yet`);
    },
    { timeoutMs: 60_000 },
  );
}
