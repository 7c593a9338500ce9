import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import {
  LEADER_LEASE_NAME,
  LeaderElector,
  type Lease,
  leaderRenewIntervalMs,
  microTime,
} from '../../../src/runtime/leader-election.ts';
import { eventually, testKubeClient, testNamespace } from '../../support/cluster.ts';

test('a leader whose lease is taken over steps down after the renew deadline', async (t) => {
  const ns = await testNamespace(t, 'lease');
  const c = await testKubeClient(t);
  const elector = new LeaderElector({
    client: c,
    namespace: ns,
    identity: 'me',
    leaseDurationMs: 3000,
    renewDeadlineMs: 2000,
    retryPeriodMs: 200,
  });
  const events: string[] = [];
  const running = elector.run({
    onStartedLeading: () => events.push('started'),
    onStoppedLeading: () => events.push('stopped'),
  });
  t.after(() => elector.stop());
  await eventually(() => assert.deepEqual(events, ['started']));
  const lease = await c.get<Lease>(Resources.leases, ns, 'ray-operator-leader');
  assert.equal(lease.spec?.holderIdentity, 'me');
  assert.equal(lease.spec?.leaseDurationSeconds, 3);
  // Someone else writes the lease (as after a split brain); the leader cannot renew and gives up.
  await c.update<Lease>(Resources.leases, {
    ...lease,
    spec: {
      ...lease.spec,
      holderIdentity: 'intruder',
      renewTime: microTime(Date.now()),
      leaseDurationSeconds: 60,
    },
  });
  await eventually(() => assert.deepEqual(events, ['started', 'stopped']), { timeoutMs: 10_000 });
  await running;
  assert.equal(elector.isLeader(), false);
  await elector.stop();
  const after = await c.get<Lease>(Resources.leases, ns, 'ray-operator-leader');
  assert.equal(
    after.spec?.holderIdentity,
    'intruder',
    'a deposed leader does not release a lease it no longer holds',
  );
});

test('a leader renews with one update of the Lease it last wrote, without reading it first (client-go fast path)', async (t) => {
  const ns = await testNamespace(t, 'lease');
  const c = await testKubeClient(t);
  const calls: string[] = [];
  const counted = (name: string, f: (...a: never[]) => Promise<unknown>) =>
    ((...a: never[]) => {
      calls.push(name);
      return f.apply(c, a);
    }) as never;
  c.getOrUndefined = counted('get', c.getOrUndefined);
  c.update = counted('update', c.update);
  // A lease long enough that the leader holds it between renewals (its duration minus the 3 s fencing margin);
  // a short renew deadline, so that it renews every 200 ms (half of it).
  const elector = new LeaderElector({
    client: c,
    namespace: ns,
    identity: 'me',
    leaseDurationMs: 10_000,
    renewDeadlineMs: 400,
    retryPeriodMs: 100,
  });
  let started = false;
  void elector.run({ onStartedLeading: () => (started = true), onStoppedLeading: () => {} });
  t.after(() => elector.stop());
  await eventually(() => assert.ok(started));
  const before = (await c.get<Lease>(Resources.leases, ns, LEADER_LEASE_NAME)).spec!.renewTime;
  await eventually(() => assert.ok(calls.filter((x) => x === 'update').length >= 5));
  // The campaign read once (no Lease: created); every renewal since is a single update.
  assert.deepEqual(
    calls.filter((x) => x === 'get'),
    ['get'],
  );
  const lease = await c.get<Lease>(Resources.leases, ns, LEADER_LEASE_NAME);
  assert.equal(lease.spec?.holderIdentity, 'me');
  assert.notEqual(lease.spec?.renewTime, before, 'the renewals moved renewTime');
  assert.equal(lease.spec?.leaseTransitions, 0);
});

test('fencing: past its lease duration (minus the margin) since the last renewal, a leader refuses writes', async (t) => {
  const ns = await testNamespace(t, 'lease');
  const c = await testKubeClient(t);
  // Renewing every 3 s a 4 s lease leaves a 1 s window (4 s - the 3 s margin) after each renewal: the rest of
  // the time the leader is still leading but behaves as one that may have been paused or cut off.
  const elector = new LeaderElector({
    client: c,
    namespace: ns,
    identity: 'me',
    leaseDurationMs: 4000,
    renewDeadlineMs: 3500,
    retryPeriodMs: 3000,
  });
  let started = 0;
  void elector.run({ onStartedLeading: () => (started = performance.now()), onStoppedLeading: () => {} });
  t.after(() => elector.stop());
  await eventually(() => assert.ok(started > 0));
  assert.equal(elector.holdsLease(), true);
  c.rest.setWriteGuard((_m, path) =>
    elector.holdsLease() || path.startsWith('/apis/coordination.k8s.io/') ? undefined : 'fenced',
  );
  const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns } });
  await c.create(Resources.configMaps, cm('while-valid'));
  await new Promise((r) => setTimeout(r, Math.max(0, started + 1500 - performance.now())));
  assert.equal(elector.isLeader(), true, 'still leading: the renew loop has not given up');
  assert.equal(elector.holdsLease(), false, 'but the lease may have passed to another replica');
  await assert.rejects(c.create(Resources.configMaps, cm('while-fenced')), /fenced/);
  assert.ok(await c.get(Resources.configMaps, ns, 'while-valid'), 'reads still work');
  assert.equal(await c.getOrUndefined(Resources.configMaps, ns, 'while-fenced'), undefined);
  await eventually(() => assert.equal(elector.holdsLease(), true), { timeoutMs: 5000 });
});

test("a process with the dead holder's identity (its container restarted in the same pod) takes the Lease back at once, with no transition", async (t) => {
  const ns = await testNamespace(t, 'lease');
  const c = await testKubeClient(t);
  // The holder died a moment ago without releasing; its Lease is valid for another minute.
  const acquireTime = microTime(Date.now() - 600_000);
  await c.create<Lease>(Resources.leases, {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { namespace: ns, name: LEADER_LEASE_NAME },
    spec: {
      holderIdentity: 'op_pod-a',
      leaseDurationSeconds: 60,
      acquireTime,
      renewTime: microTime(Date.now()),
      leaseTransitions: 3,
    },
  });
  const timings = { leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 200 };
  const led: string[] = [];
  const elector = (identity: string) => {
    const e = new LeaderElector({ client: c, namespace: ns, identity, ...timings });
    void e.run({ onStartedLeading: () => led.push(identity), onStoppedLeading: () => {} });
    t.after(() => e.stop());
    return e;
  };
  // Another pod's operator starts first: it must wait out the minute, so it is never elected in this test.
  elector('op_pod-b');
  const restarted = elector('op_pod-a');
  await eventually(() => assert.equal(restarted.isLeader(), true), { timeoutMs: 20_000 });
  assert.deepEqual(led, ['op_pod-a']);
  const lease = await c.get<Lease>(Resources.leases, ns, LEADER_LEASE_NAME);
  assert.equal(lease.spec?.holderIdentity, 'op_pod-a');
  assert.equal(lease.spec?.leaseTransitions, 3, 'the same holder: no transition');
  assert.equal(lease.spec?.acquireTime, acquireTime, 'the same holder keeps its acquire time');
  assert.equal(lease.spec?.leaseDurationSeconds, 4, 'now renewed with its own duration');
});

test('a leader renews every half renew deadline, and retries a failed renewal every retry period', async (t) => {
  const ns = await testNamespace(t, 'lease');
  const c = await testKubeClient(t);
  const updates: number[] = [];
  let failing = false;
  const update = c.update;
  c.update = ((...a: Parameters<typeof update>) => {
    updates.push(performance.now());
    return failing
      ? Promise.reject(new Error('injected: the API server is unreachable'))
      : update.apply(c, a);
  }) as typeof update;
  // Renew deadline 2 s: a renewal every 1 s (the fence, a third of 10 s - 3 s, is later); retries every 100 ms.
  const timings = { leaseDurationMs: 10_000, renewDeadlineMs: 2000, retryPeriodMs: 100 };
  assert.equal(leaderRenewIntervalMs(timings), 1000);
  const elector = new LeaderElector({ client: c, namespace: ns, identity: 'me', ...timings });
  let started = false;
  void elector.run({ onStartedLeading: () => (started = true), onStoppedLeading: () => {} });
  t.after(() => elector.stop());
  await eventually(() => assert.ok(started));
  const from = updates.length;
  await new Promise((r) => setTimeout(r, 3500));
  const healthy = updates.length - from;
  assert.ok(
    healthy >= 2 && healthy <= 4,
    `about one renewal a second while they succeed, got ${healthy} in 3.5 s`,
  );
  failing = true;
  const failFrom = updates.length;
  await new Promise((r) => setTimeout(r, 1000));
  const retries = updates.length - failFrom;
  failing = false;
  assert.ok(retries >= 4, `a failed renewal is retried every 100 ms, got ${retries} tries in 1 s`);
  assert.equal(elector.isLeader(), true, 'within its renew deadline it still leads');
});
