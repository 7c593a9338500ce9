import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Condition, RayServiceStatuses } from '../../api/index.ts';
import { sampleRayService } from '../../builders/rayservice/testing.ts';
import { findCondition } from '../common/conditions.ts';
import { calculateConditions, isInitializingTimedOut, promote, statusChanged } from './status.ts';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const cond = (type: string, status: Condition['status'], reason: string, at = t0): Condition => ({
  type,
  status,
  reason,
  message: '',
  lastTransitionTime: new Date(at).toISOString(),
});

/** The status calculateConditions gives the sample RayService at t0 from these conditions (and `extra`). */
const afterConditions = (conditions: Condition[], extra: RayServiceStatuses = {}) =>
  calculateConditions(sampleRayService(), { conditions, ...extra }, t0).status;

test('no conditions: Ready and UpgradeInProgress start False/Initializing', () => {
  const { status } = calculateConditions(sampleRayService(), { observedGeneration: 3 }, t0);
  const ready = findCondition(status.conditions, 'Ready')!;
  const up = findCondition(status.conditions, 'UpgradeInProgress')!;
  assert.deepEqual(
    [ready.status, ready.reason, ready.message, ready.observedGeneration],
    ['False', 'Initializing', 'RayService is initializing', 3],
  );
  assert.deepEqual([up.status, up.reason], ['False', 'Initializing']);
  assert.equal(status.serviceStatus, '');
});

test('Ready follows the serve endpoints; UpgradeInProgress follows the cluster names', () => {
  const rs = sampleRayService();
  let { status } = calculateConditions(
    rs,
    { numServeEndpoints: 2, activeServiceStatus: { rayClusterName: 'a' } },
    t0,
  );
  assert.equal(findCondition(status.conditions, 'Ready')!.reason, 'NonZeroServeEndpoints');
  assert.equal(findCondition(status.conditions, 'UpgradeInProgress')!.reason, 'NoPendingCluster');
  assert.equal(status.serviceStatus, 'Running');
  ({ status } = calculateConditions(
    rs,
    { ...status, numServeEndpoints: 0, pendingServiceStatus: { rayClusterName: 'b' } },
    t0 + 1000,
  ));
  const ready = findCondition(status.conditions, 'Ready')!;
  assert.deepEqual([ready.status, ready.reason], ['False', 'ZeroServeEndpoints']);
  assert.equal(
    ready.lastTransitionTime,
    '2026-01-01T00:00:01Z',
    "a metav1.Time: whole seconds, as KubeRay's",
  );
  const up = findCondition(status.conditions, 'UpgradeInProgress')!;
  assert.deepEqual([up.status, up.reason], ['True', 'BothActivePendingClustersExist']);
  ({ status } = calculateConditions(rs, { ...status, activeServiceStatus: {} }, t0));
  assert.deepEqual(findCondition(status.conditions, 'UpgradeInProgress')!.status, 'Unknown');
});

test('no active cluster while initializing keeps UpgradeInProgress at Initializing', () => {
  const status = afterConditions(
    [cond('Ready', 'False', 'Initializing'), cond('UpgradeInProgress', 'False', 'Initializing')],
    { pendingServiceStatus: { rayClusterName: 'p' } },
  );
  assert.equal(findCondition(status.conditions, 'UpgradeInProgress')!.reason, 'Initializing');
});

test('initializing timeout clears both names and is terminal', () => {
  const rs = sampleRayService();
  rs.metadata.annotations = { 'ray.io/initializing-timeout': '5m' };
  const before: RayServiceStatuses = {
    conditions: [cond('Ready', 'False', 'Initializing'), cond('UpgradeInProgress', 'False', 'Initializing')],
    pendingServiceStatus: { rayClusterName: 'rs-p' },
  };
  let r = calculateConditions(rs, before, t0 + 299_000);
  assert.equal(r.timedOut, false);
  assert.equal(r.status.pendingServiceStatus!.rayClusterName, 'rs-p');
  r = calculateConditions(rs, before, t0 + 300_000);
  assert.equal(r.timedOut, true);
  assert.equal(r.status.pendingServiceStatus!.rayClusterName, undefined);
  assert.equal(findCondition(r.status.conditions, 'Ready')!.reason, 'InitializingTimeout');
  assert.equal(isInitializingTimedOut(r.status), true);
  const again = calculateConditions(rs, r.status, t0 + 400_000);
  assert.equal(again.timedOut, false);
  assert.equal(findCondition(again.status.conditions, 'UpgradeInProgress')!.reason, 'Initializing');
});

test('the initializing timeout clears only the cluster names: the app statuses that tell why stay', () => {
  const rs = sampleRayService();
  rs.metadata.annotations = { 'ray.io/initializing-timeout': '60' };
  const apps = { app: { status: 'DEPLOY_FAILED', message: 'import failed' } };
  const r = calculateConditions(
    rs,
    {
      conditions: [
        cond('Ready', 'False', 'Initializing'),
        cond('UpgradeInProgress', 'False', 'Initializing'),
      ],
      pendingServiceStatus: {
        rayClusterName: 'rs-p',
        applicationStatuses: apps,
        rayClusterStatus: { state: 'ready' },
      },
    },
    t0 + 60_000,
  );
  assert.equal(r.timedOut, true);
  assert.deepEqual(r.status.pendingServiceStatus, {
    applicationStatuses: apps,
    rayClusterStatus: { state: 'ready' },
  });
  assert.deepEqual(r.status.activeServiceStatus, {});
});

test('a spec that passes validation again leaves ValidationFailed', () => {
  const failed = cond('Ready', 'False', 'ValidationFailed');
  // Invalid from the start (no cluster): it starts over from Initializing, its timeout counting from now.
  let status = afterConditions([failed]);
  const ready = findCondition(status.conditions, 'Ready')!;
  assert.deepEqual(
    [ready.status, ready.reason, ready.message],
    ['False', 'Initializing', 'RayService is initializing'],
  );
  assert.deepEqual(
    [findCondition(status.conditions, 'UpgradeInProgress')!.reason, status.serviceStatus],
    ['Initializing', ''],
  );
  const rs = sampleRayService();
  rs.metadata.annotations = { 'ray.io/initializing-timeout': '60' };
  const later = calculateConditions(rs, { conditions: [failed] }, t0 + 30_000).status;
  assert.equal(calculateConditions(rs, later, t0 + 89_000).timedOut, false);
  assert.equal(calculateConditions(rs, later, t0 + 90_000).timedOut, true);
  // An active cluster: the serve endpoints decide.
  status = afterConditions([failed, cond('UpgradeInProgress', 'False', 'NoPendingCluster')], {
    activeServiceStatus: { rayClusterName: 'a' },
  });
  assert.equal(findCondition(status.conditions, 'Ready')!.reason, 'ZeroServeEndpoints');
  status = afterConditions([failed], { activeServiceStatus: { rayClusterName: 'a' }, numServeEndpoints: 1 });
  assert.deepEqual(
    [findCondition(status.conditions, 'Ready')!.reason, status.serviceStatus],
    ['NonZeroServeEndpoints', 'Running'],
  );
});

test('promotion: Services on the pending cluster make it active', () => {
  const s: RayServiceStatuses = {
    activeServiceStatus: { rayClusterName: 'a', applicationStatuses: { x: { status: 'RUNNING' } } },
    pendingServiceStatus: { rayClusterName: 'b', applicationStatuses: { y: { status: 'RUNNING' } } },
  };
  assert.equal(promote(s, { headTarget: 'a', serveTarget: 'a' }), s);
  assert.equal(promote(s, { headTarget: undefined, serveTarget: 'b' }), s);
  const p = promote(s, { headTarget: 'b', serveTarget: 'b' });
  assert.deepEqual(p.activeServiceStatus, s.pendingServiceStatus);
  assert.deepEqual(p.pendingServiceStatus, {});
  assert.throws(
    () => promote(s, { headTarget: 'a', serveTarget: 'b' }),
    /head Service points at cluster "a"/,
  );
  assert.throws(() => promote(s, { headTarget: 'c', serveTarget: 'c' }), /neither active nor pending/);
});

test('status write rule: rayClusterStatus alone does not count; names, apps and conditions do', () => {
  const base: RayServiceStatuses = {
    serviceStatus: 'Running',
    numServeEndpoints: 1,
    conditions: [cond('Ready', 'True', 'NonZeroServeEndpoints')],
    activeServiceStatus: {
      rayClusterName: 'a',
      applicationStatuses: {
        x: { status: 'RUNNING', serveDeploymentStatuses: { d: { status: 'HEALTHY' } } },
      },
    },
  };
  assert.equal(statusChanged(base, structuredClone(base)), false);
  assert.equal(
    statusChanged(base, {
      ...base,
      lastUpdateTime: 'x',
      activeServiceStatus: { ...base.activeServiceStatus, rayClusterStatus: { state: 'ready' } },
    }),
    false,
  );
  assert.equal(statusChanged(base, { ...base, numServeEndpoints: 2 }), true);
  assert.equal(statusChanged(base, { ...base, pendingServiceStatus: { rayClusterName: 'b' } }), true);
  const dep = structuredClone(base);
  dep.activeServiceStatus!.applicationStatuses!.x!.serveDeploymentStatuses!.d!.status = 'UNHEALTHY';
  assert.equal(statusChanged(base, dep), true);
  assert.equal(
    statusChanged(base, { ...base, conditions: [cond('Ready', 'False', 'ZeroServeEndpoints')] }),
    true,
  );
  assert.equal(
    statusChanged(base, {
      ...base,
      activeServiceStatus: { ...base.activeServiceStatus, targetCapacity: 50 },
    }),
    true,
  );
});

test("no cluster at all after initialization: UpgradeInProgress Unknown with KubeRay's message", () => {
  const status = afterConditions([
    cond('Ready', 'True', 'NonZeroServeEndpoints'),
    cond('UpgradeInProgress', 'False', 'NoPendingCluster'),
  ]);
  const up = findCondition(status.conditions, 'UpgradeInProgress')!;
  assert.deepEqual(
    [up.status, up.reason, up.message],
    [
      'Unknown',
      'NoActiveCluster',
      'No active Ray cluster exists, and the RayService is not initializing. Please open a GitHub issue in the KubeRay repository.',
    ],
  );
});

test("the initializing timeout's Ready message starts with KubeRay's text, durations as Go prints them", () => {
  const rs = sampleRayService();
  rs.metadata.annotations = { 'ray.io/initializing-timeout': '30m' };
  const r = calculateConditions(
    rs,
    { conditions: [cond('Ready', 'False', 'Initializing')] },
    t0 + 30 * 60_000 + 500,
  );
  assert.ok(
    findCondition(r.status.conditions, 'Ready')!.message.startsWith(
      'RayService failed to become ready within the configured timeout of 30m0s. Time spent initializing: 30m0.5s',
    ),
  );
  assert.deepEqual(r.timeout, { limitMs: 30 * 60_000, spentMs: 30 * 60_000 + 500 });
});
