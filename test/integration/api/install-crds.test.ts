import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import { RestClient } from '../../../src/k8s/rest.ts';
import { testCluster } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const NAMES = ['rayclusters.ray.io', 'raycronjobs.ray.io', 'rayjobs.ray.io', 'rayservices.ray.io'];

interface Crd {
  metadata: { annotations?: Record<string, string> };
  status?: { conditions?: { type: string; status: string }[] };
}

test('installCrds is idempotent, safe to run concurrently, and updates a stale CRD', async (t) => {
  const { kubeconfig } = await testCluster();
  const clients = [0, 1, 2].map(() => new RestClient(loadKubeconfig(kubeconfig)));
  t.after(() => {
    for (const c of clients) c.close();
  });
  const [a, b] = clients as [RestClient, RestClient, RestClient];
  assert.deepEqual(await Promise.all([installCrds(a), installCrds(b)]), [NAMES, NAMES]);
  assert.deepEqual(await installCrds(a), NAMES);

  await a.request('PATCH', `${CRDS}/rayjobs.ray.io`, {
    body: { metadata: { annotations: { 'kuberay-ts.dev/content-hash': 'stale' } } },
    contentType: 'application/merge-patch+json',
  });
  assert.deepEqual(await installCrds(clients[2]!), NAMES);
  const live = await a.request<Crd>('GET', `${CRDS}/rayjobs.ray.io`);
  assert.notEqual(live.metadata.annotations?.['kuberay-ts.dev/content-hash'], 'stale');
  assert.ok(live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'));
});
