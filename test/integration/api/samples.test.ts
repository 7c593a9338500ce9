import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Plurals } from '../../../src/api/constants.ts';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';
import { samplesDir } from '../../support/samples.ts';

/**
 * Every KubeRay sample of a ray.io kind is accepted by the real API server with our generated CRDs
 * (server-side dry-run create), and nothing in it is pruned.
 */

const SAMPLES = samplesDir;
const KINDS = new Set(Object.keys(Plurals));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(e) ? [p] : [];
  });
}

interface Manifest {
  apiVersion: string;
  kind: keyof typeof Plurals;
  metadata: { name?: string; namespace?: string };
  [key: string]: unknown;
}

function samples(): { file: string; index: number; obj: Manifest }[] {
  const out: { file: string; index: number; obj: Manifest }[] = [];
  for (const file of yamlFiles(SAMPLES).sort()) {
    parseAllDocuments(readFileSync(file, 'utf8')).forEach((doc, index) => {
      const obj = doc.toJS() as Manifest | null;
      if (obj && typeof obj === 'object' && KINDS.has(obj.kind)) out.push({ file, index, obj });
    });
  }
  return out;
}

/**
 * Paths present in `input` that are missing or different in `output` (output may have extra fields). An
 * explicit `null` in the input may be dropped: the API server drops nulls of non-nullable fields, as it does
 * for KubeRay's own CRDs.
 */
export function prunedOrChanged(input: unknown, output: unknown, path = ''): string[] {
  if (input === null && output === undefined) return [];
  if (input === null || typeof input !== 'object') {
    return input === output ? [] : [`${path}: ${JSON.stringify(input)} became ${JSON.stringify(output)}`];
  }
  if (Array.isArray(input)) {
    if (!Array.isArray(output) || output.length !== input.length) return [`${path}: list changed`];
    return input.flatMap((v, i) => prunedOrChanged(v, output[i], `${path}[${i}]`));
  }
  if (!output || typeof output !== 'object') return [`${path}: missing`];
  return Object.entries(input).flatMap(([k, v]) =>
    k in output || v === null
      ? prunedOrChanged(v, (output as Record<string, unknown>)[k], `${path}.${k}`)
      : [`${path}.${k}: pruned`],
  );
}

test('prunedOrChanged reports pruned and changed fields only', () => {
  assert.deepEqual(prunedOrChanged({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] }, extra: true }), []);
  assert.deepEqual(prunedOrChanged({ a: 1, b: { c: 'x' } }, { a: 2, b: {} }), [
    '.a: 1 became 2',
    '.b.c: pruned',
  ]);
  assert.deepEqual(prunedOrChanged({ a: null, b: [1] }, { b: [1, 2] }), ['.b: list changed']);
});

test('every KubeRay sample of a ray.io kind passes a dry-run create with nothing pruned', async (t) => {
  const { client } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'samples');
  const all = samples();
  // KubeRay v1.5.0 ships 67 ray.io objects in config/samples (32 RayClusters, 22 RayJobs, 13 RayServices).
  assert.ok(all.length >= 67, `expected the KubeRay samples, found ${all.length}`);
  const failures: string[] = [];
  const check = async ({ file, index, obj }: (typeof all)[number]): Promise<void> => {
    const input = { ...obj, metadata: { ...obj.metadata, namespace: ns } };
    const where = `${relative(SAMPLES, file)}#${index} (${obj.kind} ${obj.metadata.name})`;
    try {
      const [group, version] = obj.apiVersion.split('/');
      const out = await client.request(
        'POST',
        `/apis/${group}/${version}/namespaces/${ns}/${Plurals[obj.kind]}`,
        { body: input, query: { dryRun: 'All' } },
      );
      const diffs = prunedOrChanged(input, out);
      if (diffs.length) failures.push(`${where}: ${diffs.slice(0, 5).join('; ')}`);
    } catch (err) {
      failures.push(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  // A few requests at a time: the machine is small and the objects are large.
  const queue = [...all];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await check(next);
  };
  await Promise.all([worker(), worker(), worker()]);
  assert.deepEqual(failures.sort(), []);
});
