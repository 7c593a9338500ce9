import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  capacities,
  capacityStep,
  incrementalUpgradeComplete,
  rollbackComplete,
  rollbackDecision,
  trafficStep,
} from './incremental.ts';

const o = { stepSizePercent: 20, intervalSeconds: 10 };
const t0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

test('capacities default to active 100 / pending 0', () => {
  assert.deepEqual(capacities(undefined, undefined), {
    activeCapacity: 100,
    pendingCapacity: 0,
    activeTraffic: 100,
    pendingTraffic: 0,
  });
});

test('traffic moves by step, capped by the pending target capacity, once per interval, only when ready', () => {
  const active = { targetCapacity: 100, trafficRoutedPercent: 100 };
  const pending = { targetCapacity: 30, trafficRoutedPercent: 0 };
  assert.deepEqual(trafficStep(active, pending, o, { pendingReady: true, rollback: false, now: t0 }), {
    active: 80,
    pending: 20,
  });
  assert.deepEqual(trafficStep(active, pending, o, { pendingReady: false, rollback: false, now: t0 }), {
    active: 100,
    pending: 0,
  });
  const moved = { targetCapacity: 30, trafficRoutedPercent: 20, lastTrafficMigratedTime: iso(t0) };
  assert.deepEqual(
    trafficStep({ ...active, trafficRoutedPercent: 80 }, moved, o, {
      pendingReady: true,
      rollback: false,
      now: t0 + 9_999,
    }),
    { active: 80, pending: 20 },
  );
  assert.deepEqual(
    trafficStep({ ...active, trafficRoutedPercent: 80 }, moved, o, {
      pendingReady: true,
      rollback: false,
      now: t0 + 10_000,
    }),
    { active: 70, pending: 30 },
  );
  const full = { targetCapacity: 30, trafficRoutedPercent: 30 };
  assert.deepEqual(
    trafficStep({ trafficRoutedPercent: 70 }, full, o, {
      pendingReady: true,
      rollback: false,
      now: t0 + 60_000,
    }),
    { active: 70, pending: 30 },
  );
});

test('rollback moves traffic back to the active cluster even when pending is not ready', () => {
  const active = { targetCapacity: 100, trafficRoutedPercent: 40 };
  const pending = { targetCapacity: 60, trafficRoutedPercent: 60 };
  assert.deepEqual(trafficStep(active, pending, o, { pendingReady: false, rollback: true, now: t0 }), {
    active: 60,
    pending: 40,
  });
});

test('target capacity steps: grow pending while the sum is <= 100, then shrink active; wait for traffic', () => {
  assert.deepEqual(
    capacityStep(
      { activeCapacity: 100, pendingCapacity: 0, activeTraffic: 100, pendingTraffic: 0 },
      50,
      false,
    ),
    { kind: 'set', side: 'pending', value: 50 },
  );
  assert.deepEqual(
    capacityStep(
      { activeCapacity: 100, pendingCapacity: 50, activeTraffic: 100, pendingTraffic: 0 },
      50,
      false,
    ),
    { kind: 'wait' },
  );
  assert.deepEqual(
    capacityStep(
      { activeCapacity: 100, pendingCapacity: 50, activeTraffic: 50, pendingTraffic: 50 },
      50,
      false,
    ),
    { kind: 'set', side: 'active', value: 50 },
  );
  assert.deepEqual(
    capacityStep(
      { activeCapacity: 50, pendingCapacity: 50, activeTraffic: 50, pendingTraffic: 50 },
      50,
      false,
    ),
    { kind: 'set', side: 'pending', value: 100 },
  );
  assert.deepEqual(
    capacityStep(
      { activeCapacity: 50, pendingCapacity: 100, activeTraffic: 0, pendingTraffic: 100 },
      50,
      false,
    ),
    { kind: 'set', side: 'active', value: 0 },
  );
  assert.deepEqual(
    capacityStep(
      { activeCapacity: 0, pendingCapacity: 100, activeTraffic: 0, pendingTraffic: 100 },
      50,
      false,
    ),
    { kind: 'done' },
  );
});

test('rollback capacity steps: shrink pending while the sum exceeds 100, else grow active', () => {
  assert.deepEqual(
    capacityStep(
      { activeCapacity: 50, pendingCapacity: 100, activeTraffic: 50, pendingTraffic: 50 },
      50,
      true,
    ),
    { kind: 'set', side: 'pending', value: 50 },
  );
  assert.deepEqual(
    capacityStep(
      { activeCapacity: 50, pendingCapacity: 50, activeTraffic: 50, pendingTraffic: 50 },
      50,
      true,
    ),
    { kind: 'set', side: 'active', value: 100 },
  );
  assert.deepEqual(
    capacityStep(
      { activeCapacity: 100, pendingCapacity: 50, activeTraffic: 60, pendingTraffic: 40 },
      50,
      true,
    ),
    { kind: 'wait' },
  );
});

test('completion checks', () => {
  assert.equal(
    rollbackComplete(
      { activeCapacity: 100, pendingCapacity: 0, activeTraffic: 100, pendingTraffic: 0 },
      true,
    ),
    true,
  );
  assert.equal(
    rollbackComplete(
      { activeCapacity: 100, pendingCapacity: 50, activeTraffic: 100, pendingTraffic: 0 },
      true,
    ),
    false,
  );
  assert.equal(
    rollbackComplete(
      { activeCapacity: 100, pendingCapacity: 50, activeTraffic: 100, pendingTraffic: 0 },
      false,
    ),
    true,
  );
  assert.equal(incrementalUpgradeComplete({ targetCapacity: 0 }, { trafficRoutedPercent: 100 }), true);
  assert.equal(incrementalUpgradeComplete({ targetCapacity: 10 }, { trafficRoutedPercent: 100 }), false);
});

test('rollback decision: the pending spec continues, the active or a third spec rolls back', () => {
  assert.equal(rollbackDecision('P', 'P'), 'continue');
  assert.equal(rollbackDecision('A', 'P'), 'rollback');
  assert.equal(rollbackDecision('X', 'P'), 'rollback');
});
