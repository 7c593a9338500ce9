import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type TestContext, test } from 'node:test';
import type { KubeClient } from '../../../src/k8s/client.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import type { Lease } from '../../../src/runtime/leader-election.ts';
import { eventually, testCluster, testKubeClient, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';
import { type OperatorProcess, startOperatorProcess } from '../../support/operator-process.ts';

type Operator = OperatorProcess;

function startOperator(
  t: TestContext,
  kubeconfig: string,
  ns: string,
  env: Record<string, string>,
): Operator {
  return startOperatorProcess(t, { kubeconfig, watchNamespace: ns, env });
}

/** Starting a process and syncing its informers can be slow while other suites load the machine. */
const startup = { timeoutMs: 60_000 };

const leads = (op: Operator) => op.logs.some((l) => l.msg === 'acquired leader lease');

async function holder(c: KubeClient, ns: string): Promise<string | undefined> {
  const lease = await c.getOrUndefined<Lease>(Resources.leases, ns, 'ray-operator-leader');
  return lease?.spec?.holderIdentity;
}

/** A test cluster with the CRDs, a fresh namespace and a client closed after the test. */
async function leaseTestSetup(t: TestContext): Promise<{ kubeconfig: string; ns: string; c: KubeClient }> {
  const { kubeconfig, client } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'le');
  const c = await testKubeClient(t);
  return { kubeconfig, ns, c };
}

/** The operator's leader-election timings (Go durations). */
const leaseEnv = (lease: string, renew: string, retry: string): Record<string, string> => ({
  KUBERAY_LEADER_ELECTION_LEASE_DURATION: lease,
  KUBERAY_LEADER_ELECTION_RENEW_DEADLINE: renew,
  KUBERAY_LEADER_ELECTION_RETRY_PERIOD: retry,
});

test('two operators elect one leader; a SIGKILLed leader is replaced within the lease duration', async (t) => {
  const { kubeconfig, ns, c } = await leaseTestSetup(t);
  const env = leaseEnv('4s', '3s', '500ms');
  const a = startOperator(t, kubeconfig, ns, env);
  const b = startOperator(t, kubeconfig, ns, env);
  const [leader, follower] = await eventually(async () => {
    const h = await holder(c, ns);
    const l = [a, b].find((o) => o.identity() === h && leads(o));
    assert.ok(l, `lease holder ${h} is one of the operators`);
    return l === a ? [a, b] : [b, a];
  }, startup);
  assert.equal(leads(follower), false, 'only one operator leads');

  for (const op of [a, b]) {
    const ports = await eventually(() => op.ports() ?? assert.fail('no endpoints yet'), startup);
    // The request counter appears once the operator's first GET has answered, which can follow the endpoints.
    await eventually(async () => {
      const metrics = await fetch(`http://127.0.0.1:${ports.metrics}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(await metrics.text(), /rest_client_requests_total\{code="200",method="GET"/);
    }, startup);
    const healthz = await fetch(`http://127.0.0.1:${ports.probe}/healthz`);
    assert.equal(healthz.status, 200);
    // Ready once the informers have synced (503 before).
    await eventually(async () => {
      assert.equal((await fetch(`http://127.0.0.1:${ports.probe}/readyz`)).status, 200);
    }, startup);
  }

  await eventually(() => assert.ok(follower.identity(), 'the follower has synced and campaigns'), startup);
  leader.child.kill('SIGKILL');
  await leader.exited;
  // The follower may take over once the lease has not been renewed for its 4 s duration.
  await eventually(
    async () => {
      assert.equal(await holder(c, ns), follower.identity());
      assert.ok(leads(follower));
    },
    { timeoutMs: 4000 + 6000 },
  );
});

test('SIGTERM releases the lease at once, so a waiting operator takes over immediately', async (t) => {
  const { kubeconfig, ns, c } = await leaseTestSetup(t);
  // A long lease: without the release, the second operator would wait 60 s.
  const env = leaseEnv('60s', '30s', '300ms');
  const first = startOperator(t, kubeconfig, ns, env);
  await eventually(() => assert.ok(leads(first)), startup);
  const second = startOperator(t, kubeconfig, ns, env);
  await eventually(() => assert.ok(second.identity()), startup);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);
  assert.ok(first.logs.some((l) => l.msg === 'released leader lease'));
  await eventually(
    async () => {
      assert.equal(await holder(c, ns), second.identity());
    },
    { timeoutMs: 10_000 },
  );
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
  assert.equal(await holder(c, ns), '');
});

test("a SIGKILLed operator restarted with the same pod UID (a container restart) takes its Lease back at once, not after the lease's 120 s", async (t) => {
  const { kubeconfig, ns, c } = await leaseTestSetup(t);
  const env = { ...leaseEnv('120s', '60s', '300ms'), KUBERAY_POD_UID: randomUUID() };
  const first = startOperator(t, kubeconfig, ns, env);
  await eventually(() => assert.ok(leads(first)), startup);
  const identity = first.identity();
  assert.ok(identity?.endsWith(`_${env.KUBERAY_POD_UID}`), `identity ${identity} names the pod UID`);
  first.child.kill('SIGKILL');
  await first.exited;
  const restarted = startOperator(t, kubeconfig, ns, env);
  // Without the pod UID the restarted process has a new identity and waits out the 120 s lease (the check gives up at 60 s).
  await eventually(() => assert.ok(leads(restarted)), startup);
  assert.equal(restarted.identity(), identity);
  assert.equal(await holder(c, ns), identity);
});
