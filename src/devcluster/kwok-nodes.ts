import { isAlreadyExists } from '../k8s/api-error.ts';
import type { RestClient } from '../k8s/rest.ts';

/** What a KWOK node offers unless told otherwise. */
const defaultKwokNodeResources: Readonly<Record<string, string>> = Object.freeze({
  cpu: '64',
  memory: '256Gi',
  pods: '1000',
  'nvidia.com/gpu': '8',
});

/**
 * A fake node that KWOK manages (selected by the annotation `kwok.x-k8s.io/node: fake`), with `resources` as
 * both its capacity and its allocatable resources.
 */
export function kwokNode(
  name: string,
  resources: Readonly<Record<string, string>> = defaultKwokNodeResources,
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
      },
    },
    status: { allocatable: { ...resources }, capacity: { ...resources } },
  };
}

/** Creates `count` KWOK nodes named kwok-node-0..N-1 (existing ones are left as they are). */
export async function createKwokNodes(client: RestClient, count: number): Promise<void> {
  try {
    for (let i = 0; i < count; i++) {
      try {
        await client.request('POST', '/api/v1/nodes', { body: kwokNode(`kwok-node-${i}`) });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
  } finally {
    client.close();
  }
}
