/**
 * The charts as a Helm repository: `helm package` + `helm repo index` into a temp folder, served over HTTP,
 * then `helm repo add`, `helm search repo`, `helm template` and `helm install --dry-run=server` from it.
 */
import assert from 'node:assert/strict';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { chartPath, find, helm, one, operatorContainer, parseManifests, render, scratchDir } from './helm.ts';

const charts = ['kuberay-operator', 'ray-cluster', 'kuberay-apiserver'];
const repoDir = scratchDir('kuberay-helm-repo-');
const server = createServer((req, res) => {
  const file = normalize(join(repoDir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
  if (!file.startsWith(repoDir) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200);
  createReadStream(file).pipe(res);
});
let version = '';

before(async () => {
  await testCluster();
  version = (parse(await helm(['show', 'chart', chartPath('kuberay-operator')])) as { version: string })
    .version;
  for (const c of charts) await helm(['package', chartPath(c), '--destination', repoDir]);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await helm(['repo', 'index', repoDir, '--url', url]);
  await helm(['repo', 'add', 'kuberay-ts', url]);
});

after(() => {
  server.close();
});

test('helm repo index lists the three charts, and helm search repo finds them', async () => {
  const index = parse(readFileSync(join(repoDir, 'index.yaml'), 'utf8')) as {
    entries: Record<string, { urls: string[] }[]>;
  };
  assert.deepEqual(Object.keys(index.entries).sort(), [...charts].sort());
  for (const c of charts) assert.ok(index.entries[c]?.[0]?.urls[0]?.endsWith(`/${c}-${version}.tgz`), c);
  const found = JSON.parse(await helm(['search', 'repo', 'kuberay-ts/', '-o', 'json'])) as { name: string }[];
  assert.deepEqual(found.map((c) => c.name).sort(), charts.map((c) => `kuberay-ts/${c}`).sort());
});

test('helm template from the repository renders the same as from the chart folder', async () => {
  const fromRepo = await render('kuberay-ts/kuberay-operator', {
    release: 'kuberay',
    extraArgs: ['--version', version],
  });
  const fromDir = await render(chartPath('kuberay-operator'), { release: 'kuberay' });
  assert.deepEqual(fromRepo, fromDir);
  const crdDir = join(chartPath('kuberay-operator'), 'files', 'crds');
  const crdFiles = readdirSync(crdDir).filter((f) => f.endsWith('.yaml'));
  assert.equal(
    find(fromRepo, 'CustomResourceDefinition').length,
    crdFiles.length,
    'the package carries the CRDs',
  );
});

test('helm install --dry-run=server from the repository works against the real API server', async (t) => {
  const { kubeconfig } = await testCluster();
  const ns = await testNamespace(t, 'helm-repo');
  const out = await helm([
    'install',
    'kuberay',
    'kuberay-ts/kuberay-operator',
    '--version',
    version,
    '--namespace',
    ns,
    '--kubeconfig',
    kubeconfig,
    '--dry-run=server',
    '-o',
    'json',
    // The shared test cluster already has the ray.io CRDs (applied by other suites), which a real install
    // would refuse to adopt; the CRDs are covered by crds-chart.test.ts.
    '--set',
    `crds.enabled=false,singleNamespaceInstall=true,fullnameOverride=op-${ns}`,
  ]);
  const release = JSON.parse(out) as { info: { status: string }; manifest: string };
  assert.equal(release.info.status, 'pending-install');
  const objs = parseManifests(release.manifest);
  assert.deepEqual(operatorContainer(objs).args.slice(0, 2), ['--watch-namespace', ns]);
  assert.equal(one(objs, 'Role', `op-${ns}`).metadata.namespace, ns);
});
