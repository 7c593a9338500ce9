import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

/**
 * The package as it ships (docs/decisions/0160-ts-client-ships-compiled.md): `npm run build` compiles the
 * client and the src/ modules it uses to JavaScript in clients/typescript/dist; every `exports` target
 * exists; and the built package runs on Node 20 (the machine's system node, not the repository's Node 24):
 * builders, API server request building, and a real list and dry-run create against the control plane.
 */
const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..', '..');
const pkgDir = join(repo, 'clients', 'typescript');
const node20 = '/usr/bin/node';

async function node20Skip(): Promise<string | false> {
  if (!existsSync(node20)) return `no ${node20}: cannot check Node 20`;
  const { stdout } = await run(node20, ['--version']);
  return stdout.startsWith('v20.') ? false : `${node20} is ${stdout.trim()}, not Node 20`;
}

test('the built package: exports resolve, and it runs on Node 20 against the API server', {
  timeout: 300_000,
}, async (t) => {
  const skip = await node20Skip();
  if (skip) {
    t.skip(skip);
    console.log(`skipped: ${skip}`);
    return;
  }
  await run(join(repo, 'node_modules', '.bin', 'tsc'), ['-p', join(pkgDir, 'tsconfig.build.json')], {
    cwd: pkgDir,
  });
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
    exports: Record<string, { types: string; default: string }>;
  };
  for (const [sub, target] of Object.entries(pkg.exports)) {
    assert.ok(existsSync(join(pkgDir, target.default)), `${sub}: ${target.default} is built`);
    assert.ok(existsSync(join(pkgDir, target.types)), `${sub}: ${target.types} is built`);
  }

  const cluster = await testCluster();
  await installCrds(cluster.client);
  const ns = await testNamespace(t, 'tsclient-pkg');
  const entry = (sub: string) => join(pkgDir, pkg.exports[sub]!.default);
  const script = `
    const sdk = await import(${JSON.stringify(entry('.'))});
    const api = await import(${JSON.stringify(entry('./apiserver'))});
    const builders = await import(${JSON.stringify(entry('./builders'))});
    const client = sdk.connect({ kubeconfig: ${JSON.stringify(cluster.kubeconfig)}, namespace: ${JSON.stringify(ns)} });
    const made = builders.rayClusterManifest({ name: 'node20', workers: 1 });
    const dry = await client.clusters.create(made, { dryRun: true });
    const listed = await client.clusters.list();
    client.close();
    console.log(JSON.stringify({
      node: process.version,
      dryRunNamespace: dry.metadata.namespace,
      replicas: dry.spec.workerGroupSpecs[0].replicas,
      listed: listed.length,
      route: api.v1Requests.getCluster('ml', 'demo').path,
    }));`;
  const { stdout } = await run(node20, ['--input-type=module', '-e', script], { cwd: pkgDir });
  const out = JSON.parse(stdout.trim()) as Record<string, unknown>;
  assert.match(String(out.node), /^v20\./);
  assert.deepEqual(
    { ...out, node: undefined },
    {
      node: undefined,
      dryRunNamespace: ns,
      replicas: 1,
      listed: 0,
      route: '/apis/v1/namespaces/ml/clusters/demo',
    },
  );
});
