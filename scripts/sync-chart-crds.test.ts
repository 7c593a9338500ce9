import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartCrdDir, isInSync, planSync, readYamlDir, sourceDir } from './sync-chart-crds.ts';

test('planSync writes new and changed files, removes orphans, keeps equal ones', () => {
  const source = new Map([
    ['ray.io_rayclusters.yaml', 'a: 1\n'],
    ['ray.io_rayjobs.yaml', 'b: 2\n'],
  ]);
  const chart = new Map([
    ['ray.io_rayclusters.yaml', 'a: 1\n'],
    ['ray.io_rayjobs.yaml', 'b: 1\n'],
    ['ray.io_old.yaml', 'x\n'],
  ]);
  const plan = planSync(source, chart);
  assert.deepEqual(plan.write, ['ray.io_rayjobs.yaml']);
  assert.deepEqual(plan.remove, ['ray.io_old.yaml']);
  assert.deepEqual(plan.unchanged, ['ray.io_rayclusters.yaml']);
  assert.equal(plan.noSource, false);
  assert.equal(isInSync(plan), false);
});

test('planSync with no generated CRDs yet: in sync only when the chart holds none either', () => {
  const empty = planSync(new Map(), new Map());
  assert.equal(empty.noSource, true);
  assert.equal(isInSync(empty), true);
  const leftover = planSync(new Map(), new Map([['ray.io_rayjobs.yaml', 'x\n']]));
  assert.equal(isInSync(leftover), false);
  assert.deepEqual(leftover.remove, ['ray.io_rayjobs.yaml']);
});

test('the chart CRD copies equal config/crd/bases byte for byte (run scripts/sync-chart-crds.ts)', () => {
  const source = readYamlDir(sourceDir);
  const chart = readYamlDir(chartCrdDir);
  const plan = planSync(source, chart);
  assert.deepEqual(
    { write: plan.write, remove: plan.remove },
    { write: [], remove: [] },
    plan.noSource
      ? 'no CRDs generated yet (config/crd/bases is empty) but the chart holds copies'
      : 'chart CRDs differ from config/crd/bases: run node scripts/sync-chart-crds.ts',
  );
});
