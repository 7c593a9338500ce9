import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Condition, RayServiceStatuses } from '../../api/index.ts';
import { buildRayServiceCluster } from '../../builders/rayservice/cluster.ts';
import { sampleRayService } from '../../builders/rayservice/testing.ts';
import { findCondition } from '../common/conditions.ts';
import { evaluateRollback, incrementalPromotion, incrementalServeServices } from './incremental-step.ts';

const c = (type: string, status: Condition['status'] = 'True'): Condition => ({
  type,
  status,
  reason: 'r',
  message: '',
  lastTransitionTime: 't',
});
const ready = { pendingServeReady: true, pendingHeadReady: true };

test('first creation promotes the pending cluster once Serve is ready', () => {
  const s: RayServiceStatuses = { pendingServiceStatus: { rayClusterName: 'p', targetCapacity: 100 } };
  assert.equal(incrementalPromotion(s, { ...ready, pendingServeReady: false }), s);
  const p = incrementalPromotion(s, ready);
  assert.deepEqual(
    [p.activeServiceStatus?.rayClusterName, p.activeServiceStatus?.targetCapacity, p.pendingServiceStatus],
    ['p', 100, {}],
  );
});

test('an upgrade promotes only when active capacity is 0 and pending has all traffic', () => {
  const s: RayServiceStatuses = {
    activeServiceStatus: { rayClusterName: 'a', targetCapacity: 50, trafficRoutedPercent: 0 },
    pendingServiceStatus: { rayClusterName: 'p', targetCapacity: 100, trafficRoutedPercent: 100 },
  };
  assert.equal(incrementalPromotion(s, ready), s);
  const done = incrementalPromotion(
    { ...s, activeServiceStatus: { ...s.activeServiceStatus, targetCapacity: 0 } },
    ready,
  );
  assert.equal(done.activeServiceStatus?.rayClusterName, 'p');
  assert.deepEqual(incrementalServeServices(s), ['a-serve-svc', 'p-serve-svc']);
});

test('a rollback never promotes; it ends by dropping the pending cluster', () => {
  const rolling: RayServiceStatuses = {
    conditions: [c('UpgradeInProgress'), c('RollbackInProgress')],
    activeServiceStatus: { rayClusterName: 'a', targetCapacity: 0, trafficRoutedPercent: 0 },
    pendingServiceStatus: { rayClusterName: 'p', targetCapacity: 100, trafficRoutedPercent: 100 },
  };
  assert.equal(incrementalPromotion(rolling, ready), rolling);
  const back = incrementalPromotion(
    {
      ...rolling,
      activeServiceStatus: { rayClusterName: 'a', targetCapacity: 100, trafficRoutedPercent: 100 },
      pendingServiceStatus: { rayClusterName: 'p', targetCapacity: 0, trafficRoutedPercent: 0 },
    },
    ready,
  );
  assert.deepEqual(back.pendingServiceStatus, {});
  assert.equal(findCondition(back.conditions, 'RollbackInProgress'), undefined);
});

test('rollback starts when the goal leaves the pending spec and stops when it returns', () => {
  const rs = sampleRayService();
  const changed = structuredClone(rs);
  changed.spec.rayClusterConfig.rayVersion = '2.99.0';
  const pending = buildRayServiceCluster(changed, 'rs-p', { kuberayVersion: 'v' });
  const status: RayServiceStatuses = { conditions: [c('UpgradeInProgress')] };
  evaluateRollback(rs, status, pending, 'now');
  assert.equal(findCondition(status.conditions, 'RollbackInProgress')?.reason, 'DesiredClusterSpecChanged');
  evaluateRollback(changed, status, pending, 'now');
  assert.equal(findCondition(status.conditions, 'RollbackInProgress'), undefined);
  const idle: RayServiceStatuses = { conditions: [c('UpgradeInProgress', 'False')] };
  evaluateRollback(rs, idle, pending, 'now');
  assert.equal(findCondition(idle.conditions, 'RollbackInProgress'), undefined, 'only during an upgrade');
});
