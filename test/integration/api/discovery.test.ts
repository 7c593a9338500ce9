import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { binaryPath } from '../../../src/devcluster/binaries.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

/** What `kubectl` sees: discovery (categories, short names, status subresource), v1alpha1, printer columns. */

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean; categories?: string[] }[];
}

test('discovery lists the four kinds in category all, with status subresources; v1alpha1 serves RayCluster, RayJob and RayService', async () => {
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
  await eventually(async () => {
    const alpha = await client.request<ApiResourceList>('GET', '/apis/ray.io/v1alpha1');
    assert.deepEqual(alpha.resources.map((r) => r.name).sort(), [
      'rayclusters',
      'rayclusters/status',
      'rayjobs',
      'rayjobs/status',
      'rayservices',
      'rayservices/status',
    ]);
  });
});

test('v1alpha1 RayJob and RayService manifests apply and read back as v1; no version warns (as KubeRay v1.5.0)', async (t) => {
  const { client, kubeconfig } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'alpha');
  const tpl = { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.46.0' }] } };
  const rayClusterSpec = { rayVersion: '2.46.0', headGroupSpec: { rayStartParams: {}, template: tpl } };
  const manifest = [
    {
      apiVersion: 'ray.io/v1alpha1',
      kind: 'RayJob',
      metadata: { name: 'old-job' },
      spec: { entrypoint: 'python -V', rayClusterSpec },
    },
    {
      apiVersion: 'ray.io/v1alpha1',
      kind: 'RayService',
      metadata: { name: 'old-svc' },
      spec: { serveConfigV2: 'applications: []\n', rayClusterConfig: rayClusterSpec },
    },
    {
      apiVersion: 'ray.io/v1alpha1',
      kind: 'RayCluster',
      metadata: { name: 'old-cluster' },
      spec: rayClusterSpec,
    },
  ];
  const run = promisify(execFile);
  const kubectl = (...args: string[]) =>
    run(binaryPath('kubectl'), ['--kubeconfig', kubeconfig, '-n', ns, ...args]);
  const dir = mkdtempSync(join(tmpdir(), 'alpha-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'm.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifest }));
  // Discovery of the new versions can lag a CRD update on the shared control plane: retried.
  const applied = await eventually(() => kubectl('apply', '-f', join(dir, 'm.json')));
  assert.doesNotMatch(applied.stderr, /Warning/);
  const job = await client.request<{ apiVersion: string; spec: { entrypoint: string } }>(
    'GET',
    `/apis/ray.io/v1/namespaces/${ns}/rayjobs/old-job`,
  );
  assert.equal(job.apiVersion, 'ray.io/v1');
  assert.equal(job.spec.entrypoint, 'python -V');
  const svc = await client.request<{ apiVersion: string; spec: { serveConfigV2: string } }>(
    'GET',
    `/apis/ray.io/v1/namespaces/${ns}/rayservices/old-svc`,
  );
  assert.equal(svc.apiVersion, 'ray.io/v1');
  assert.equal(svc.spec.serveConfigV2, 'applications: []\n');
  for (const kind of ['rayclusters', 'rayjobs', 'rayservices']) {
    const got = await kubectl('get', `${kind}.v1alpha1.ray.io`);
    assert.doesNotMatch(got.stderr, /Warning/, `${kind} v1alpha1`);
    assert.match(got.stdout, /old-/);
  }
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
