import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import { LeaderElector, type Lease, microTime } from '../../../src/runtime/leader-election.ts';
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
