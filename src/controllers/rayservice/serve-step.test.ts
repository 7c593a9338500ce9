import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConditionStatus, RayCluster } from '../../api/index.ts';
import type { Pod, RayServiceReader } from './kube.ts';
import { configuredAppNames, hasServeEndpoint, headServeLabel, isTrafficReady } from './serve-step.ts';

const config = 'applications:\n  - name: a\n    import_path: x:y\n  - name: b\n    import_path: x:z\n';

test('configured app names come from serveConfigV2; an unnamed app is default; bad YAML gives none', () => {
  assert.deepEqual(configuredAppNames(config), ['a', 'b']);
  assert.deepEqual(configuredAppNames('applications:\n  - import_path: x:y\n'), ['default']);
  assert.deepEqual(configuredAppNames('a: [1'), []);
  assert.deepEqual(configuredAppNames(undefined), []);
});

test('traffic readiness: all apps RUNNING, every configured app present, nothing just submitted', () => {
  const running = { a: { status: 'RUNNING' }, b: { status: 'RUNNING' } };
  assert.equal(isTrafficReady(running, config, false), true);
  assert.equal(isTrafficReady(running, config, true), false, 'statuses read before a submission are stale');
  assert.equal(isTrafficReady({ a: { status: 'RUNNING' } }, config, false), false, 'app b not deployed yet');
  assert.equal(isTrafficReady({ ...running, c: { status: 'DELETING' } }, config, false), false);
  assert.equal(isTrafficReady({}, '', false), false);
});

test('head serve label: excluded heads are always false', () => {
  assert.equal(headServeLabel(false, true), 'true');
  assert.equal(headServeLabel(false, false), 'false');
  assert.equal(headServeLabel(true, true), 'false');
});

test('a serve endpoint is a Running and Ready pod of the cluster labelled ray.io/serve=true, not being deleted', async () => {
  const selectors: Record<string, string>[] = [];
  const reader = (pods: Pod[]) =>
    ({
      listPods: async (_ns: string, labels: Record<string, string>) => {
        selectors.push(labels);
        return pods;
      },
    }) as unknown as RayServiceReader;
  const cluster = { metadata: { name: 'rs-abcde', namespace: 'ns' } } as RayCluster;
  // A partial pod (no spec): only its phase and Ready condition are read.
  const pod = (phase: string, ready: ConditionStatus) =>
    ({
      metadata: { name: 'p' },
      status: { phase, conditions: [{ type: 'Ready', status: ready }] },
    }) as Pod;
  assert.equal(await hasServeEndpoint(reader([pod('Running', 'True')]), cluster), true);
  assert.deepEqual(selectors[0], { 'ray.io/cluster': 'rs-abcde', 'ray.io/serve': 'true' });
  assert.equal(await hasServeEndpoint(reader([pod('Running', 'False')]), cluster), false, 'not ready');
  assert.equal(await hasServeEndpoint(reader([pod('Pending', 'True')]), cluster), false, 'not running');
  assert.equal(await hasServeEndpoint(reader([]), cluster), false, 'no labelled pod');
  const deleting = pod('Running', 'True');
  deleting.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  assert.equal(
    await hasServeEndpoint(reader([deleting]), cluster),
    false,
    'terminating: not a ready endpoint',
  );
});
