import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { binaryPath } from '../../../src/devcluster/binaries.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

/** What `kubectl` sees: discovery (categories, short names, status subresource), v1alpha1, printer columns. */

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean; categories?: string[] }[];
}

test('discovery lists the four kinds in category all, with status subresources; v1alpha1 serves RayCluster', async () => {
  const { client } = await testCluster();
  await installCrds(client);
  // Discovery is refreshed asynchronously after a CRD is created or updated (other suites update the same CRDs
  // on the shared control plane), so it is polled rather than read once.
  await eventually(async () => {
    const v1 = await client.request<ApiResourceList>('GET', '/apis/ray.io/v1');
    const byName = new Map(v1.resources.map((r) => [r.name, r]));
    for (const plural of ['rayclusters', 'rayjobs', 'rayservices', 'raycronjobs']) {
      assert.deepEqual(byName.get(plural)?.categories, ['all'], plural);
      assert.equal(byName.get(plural)?.namespaced, true);
      assert.ok(byName.has(`${plural}/status`), `${plural}/status`);
    }
  });
  const alpha = await client.request<ApiResourceList>('GET', '/apis/ray.io/v1alpha1');
  assert.deepEqual(alpha.resources.map((r) => r.name).sort(), ['rayclusters', 'rayclusters/status']);
});

test('kubectl get shows KubeRay printer columns, and v1alpha1 serves the same objects', async (t) => {
  const { client, kubeconfig } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'columns');
  const tpl = { spec: { containers: [{ name: 'ray', image: 'rayproject/ray:2.52.0' }] } };
  await client.request('POST', `/apis/ray.io/v1/namespaces/${ns}/rayclusters`, {
    body: {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'cols' },
      spec: { headGroupSpec: { template: tpl } },
    },
  });
  const kubectl = (...args: string[]) =>
    promisify(execFile)(binaryPath('kubectl'), ['--kubeconfig', kubeconfig, '-n', ns, ...args]).then(
      (r) => r.stdout,
    );
  const header = (out: string) =>
    out
      .split('\n')[0]!
      .trim()
      .split(/\s{2,}/);
  assert.deepEqual(header(await kubectl('get', 'rayclusters')), [
    'NAME',
    'DESIRED WORKERS',
    'AVAILABLE WORKERS',
    'CPUS',
    'MEMORY',
    'GPUS',
    'STATUS',
    'AGE',
  ]);
  assert.deepEqual(header(await kubectl('get', 'rayclusters', '-o', 'wide')).slice(-4), [
    'STATUS',
    'AGE',
    'HEAD POD IP',
    'HEAD SERVICE IP',
  ]);
  await eventually(async () => assert.match(await kubectl('get', 'all'), /raycluster\.ray\.io\/cols/));
  const v1alpha1 = await client.request<{ apiVersion: string }>(
    'GET',
    `/apis/ray.io/v1alpha1/namespaces/${ns}/rayclusters/cols`,
  );
  assert.equal(v1alpha1.apiVersion, 'ray.io/v1alpha1');
});
