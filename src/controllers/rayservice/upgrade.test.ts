import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayService, RayServiceUpgradeStrategy, WorkerGroupSpec } from '../../api/index.ts';
import { buildRayServiceCluster } from '../../builders/rayservice/cluster.ts';
import { sampleRayService } from '../../builders/rayservice/testing.ts';
import {
  compareClusterSpec,
  shouldPrepareNewCluster,
  shouldUpdateCluster,
  zeroDowntimeEnabled,
} from './upgrade.ts';

const flags = { enableZeroDowntime: true, incrementalUpgradeGate: true, kuberayVersion: 'v1' };
const withType = (type?: string): RayService => {
  const rs = sampleRayService();
  if (type !== undefined) rs.spec.upgradeStrategy = { type: type as RayServiceUpgradeStrategy['type'] };
  return rs;
};

test('zero-downtime truth table', () => {
  const cases: [string | undefined, boolean, boolean, boolean][] = [
    // type, ENABLE_ZERO_DOWNTIME, gate, expected
    [undefined, true, true, true],
    [undefined, false, true, false],
    ['NewCluster', false, true, true],
    ['NewCluster', true, true, true],
    ['None', true, true, false],
    ['None', false, true, false],
    ['NewClusterWithIncrementalUpgrade', true, true, true],
    ['NewClusterWithIncrementalUpgrade', false, true, true],
    ['NewClusterWithIncrementalUpgrade', true, false, false],
  ];
  for (const [type, env, gate, want] of cases)
    assert.equal(
      zeroDowntimeEnabled(withType(type), { enableZeroDowntime: env, incrementalUpgradeGate: gate }),
      want,
      `${type} ${env} ${gate}`,
    );
});

test('compareClusterSpec: same, appended groups, changed', () => {
  const rs = sampleRayService();
  const rc = buildRayServiceCluster(rs, 'rs-a', { kuberayVersion: 'v1' });
  assert.equal(compareClusterSpec(rs, rc), 'same');
  const appended = structuredClone(rs);
  appended.spec.rayClusterConfig.workerGroupSpecs!.push({ groupName: 'g2', replicas: 1 } as WorkerGroupSpec);
  assert.equal(compareClusterSpec(appended, rc), 'appendedGroups');
  const scaled = structuredClone(rs);
  scaled.spec.rayClusterConfig.workerGroupSpecs![0]!.replicas = 4;
  assert.equal(compareClusterSpec(scaled, rc), 'same');
  const changed = structuredClone(rs);
  changed.spec.rayClusterConfig.rayVersion = '2.99.0';
  assert.equal(compareClusterSpec(changed, rc), 'changed');
  const removed = structuredClone(rs);
  removed.spec.rayClusterConfig.workerGroupSpecs = [];
  assert.equal(compareClusterSpec(removed, rc), 'changed');
});

test('shouldPrepareNewCluster', () => {
  const rs = sampleRayService();
  const rc = buildRayServiceCluster(rs, 'rs-a', { kuberayVersion: 'v1' });
  assert.equal(shouldPrepareNewCluster(rs, undefined, undefined, false, flags), true, 'first creation');
  assert.equal(shouldPrepareNewCluster(rs, rc, undefined, false, flags), false, 'unchanged');
  const changed = structuredClone(rs);
  changed.spec.rayClusterConfig.rayVersion = '2.99.0';
  assert.equal(shouldPrepareNewCluster(changed, rc, undefined, false, flags), true, 'changed');
  assert.equal(shouldPrepareNewCluster(changed, rc, undefined, true, flags), false, 'pending serving');
  assert.equal(
    shouldPrepareNewCluster(changed, rc, undefined, false, { ...flags, enableZeroDowntime: false }),
    false,
  );
  const pending = buildRayServiceCluster(changed, 'rs-b', { kuberayVersion: 'v1' });
  assert.equal(
    shouldPrepareNewCluster(changed, rc, pending, false, flags),
    false,
    'pending matches the goal',
  );
  const again = structuredClone(changed);
  again.spec.rayClusterConfig.rayVersion = '2.100.0';
  assert.equal(shouldPrepareNewCluster(again, rc, pending, false, flags), true, 'changed during the upgrade');
  const appended = structuredClone(changed);
  appended.spec.rayClusterConfig.workerGroupSpecs!.push({ groupName: 'g2' } as WorkerGroupSpec);
  assert.equal(shouldPrepareNewCluster(appended, rc, pending, false, flags), false, 'appended to pending');
  const rolling = structuredClone(again);
  rolling.status = {
    conditions: [
      { type: 'RollbackInProgress', status: 'True', reason: 'x', message: '', lastTransitionTime: '' },
    ],
  };
  assert.equal(shouldPrepareNewCluster(rolling, rc, pending, false, flags), false, 'rollback');
});

test('shouldUpdateCluster', () => {
  const rs = sampleRayService();
  const rc = buildRayServiceCluster(rs, 'rs-a', { kuberayVersion: 'v1' });
  assert.equal(shouldUpdateCluster(rs, rc, 'active', flags), false);
  assert.equal(
    shouldUpdateCluster(rs, rc, 'active', { kuberayVersion: 'v2' }),
    true,
    'operator version changed',
  );
  assert.equal(
    shouldUpdateCluster(rs, rc, 'pending', { kuberayVersion: 'v2' }),
    false,
    'version only matters for active',
  );
  const appended = structuredClone(rs);
  appended.spec.rayClusterConfig.workerGroupSpecs!.push({ groupName: 'g2' } as WorkerGroupSpec);
  assert.equal(shouldUpdateCluster(appended, rc, 'active', flags), true);
  assert.equal(shouldUpdateCluster(appended, rc, 'pending', flags), true);
  appended.status = {
    conditions: [
      { type: 'UpgradeInProgress', status: 'True', reason: 'x', message: '', lastTransitionTime: '' },
    ],
  };
  assert.equal(
    shouldUpdateCluster(appended, rc, 'active', flags),
    false,
    'never the active one during an upgrade',
  );
  const changed = structuredClone(rs);
  changed.spec.rayClusterConfig.rayVersion = '2.99.0';
  assert.equal(shouldUpdateCluster(changed, rc, 'pending', flags), false);
});
