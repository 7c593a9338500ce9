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

const caps = (
  activeCapacity: number,
  pendingCapacity: number,
  activeTraffic: number,
  pendingTraffic: number,
) => ({
  activeCapacity,
  pendingCapacity,
  activeTraffic,
  pendingTraffic,
});

test('traffic moves by step, capped by the pending target capacity, once per interval, only when ready', () => {
  const active = { targetCapacity: 100, trafficRoutedPercent: 100 };
  const pending = { targetCapacity: 30, trafficRoutedPercent: 0 };
  const moved = { targetCapacity: 30, trafficRoutedPercent: 20, lastTrafficMigratedTime: iso(t0) };
  const full = { targetCapacity: 30, trafficRoutedPercent: 30 };
  const cases = [
    { active, pending, ready: true, now: t0, want: { active: 80, pending: 20 } },
    { active, pending, ready: false, now: t0, want: { active: 100, pending: 0 } },
    {
      active: { ...active, trafficRoutedPercent: 80 },
      pending: moved,
      ready: true,
      now: t0 + 9_999,
      want: { active: 80, pending: 20 },
    },
    {
      active: { ...active, trafficRoutedPercent: 80 },
      pending: moved,
      ready: true,
      now: t0 + 10_000,
      want: { active: 70, pending: 30 },
    },
    {
      active: { trafficRoutedPercent: 70 },
      pending: full,
      ready: true,
      now: t0 + 60_000,
      want: { active: 70, pending: 30 },
    },
  ];
  for (const c of cases) {
    const got = trafficStep(c.active, c.pending, o, { pendingReady: c.ready, rollback: false, now: c.now });
    assert.deepEqual(got, c.want, JSON.stringify(c));
  }
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
  const cases = [
    { at: caps(100, 0, 100, 0), want: { kind: 'set', side: 'pending', value: 50 } },
    { at: caps(100, 50, 100, 0), want: { kind: 'wait' } },
    { at: caps(100, 50, 50, 50), want: { kind: 'set', side: 'active', value: 50 } },
    { at: caps(50, 50, 50, 50), want: { kind: 'set', side: 'pending', value: 100 } },
    { at: caps(50, 100, 0, 100), want: { kind: 'set', side: 'active', value: 0 } },
    { at: caps(0, 100, 0, 100), want: { kind: 'done' } },
  ];
  for (const c of cases) assert.deepEqual(capacityStep(c.at, 50, false), c.want, JSON.stringify(c.at));
});

test('rollback capacity steps: shrink pending while the sum exceeds 100, else grow active', () => {
  const cases = [
    { at: caps(50, 100, 50, 50), want: { kind: 'set', side: 'pending', value: 50 } },
    { at: caps(50, 50, 50, 50), want: { kind: 'set', side: 'active', value: 100 } },
    { at: caps(100, 50, 60, 40), want: { kind: 'wait' } },
  ];
  for (const c of cases) assert.deepEqual(capacityStep(c.at, 50, true), c.want, JSON.stringify(c.at));
});

test('completion checks', () => {
  assert.equal(rollbackComplete(caps(100, 0, 100, 0), true), true);
  assert.equal(rollbackComplete(caps(100, 50, 100, 0), true), false);
  assert.equal(rollbackComplete(caps(100, 50, 100, 0), false), true);
  assert.equal(incrementalUpgradeComplete({ targetCapacity: 0 }, { trafficRoutedPercent: 100 }), true);
  assert.equal(incrementalUpgradeComplete({ targetCapacity: 10 }, { trafficRoutedPercent: 100 }), false);
});

test('rollback decision: the pending spec continues, the active or a third spec rolls back', () => {
  assert.equal(rollbackDecision('P', 'P'), 'continue');
  assert.equal(rollbackDecision('A', 'P'), 'rollback');
  assert.equal(rollbackDecision('X', 'P'), 'rollback');
});
