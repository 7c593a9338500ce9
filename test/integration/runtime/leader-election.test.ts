import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { LeaderElector, type Lease, microTime } from '../../../src/runtime/leader-election.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';

test('a leader whose lease is taken over steps down after the renew deadline', async (t) => {
  const { kubeconfig } = await testCluster();
  const ns = await testNamespace(t, 'lease');
  const c = KubeClient.fromAccess(loadKubeconfig(kubeconfig));
  t.after(() => c.rest.close());
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
