import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../../src/builders/raycluster/index.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { baseCluster, createCluster, startOperator } from './harness.ts';

// One reconcile worker (KubeRay's default) and a client rate limit low enough that a scale-up of 200 pods takes
// seconds. Without yielding, a cluster created meanwhile waits for the whole scale-up; with it, its pods are
// created while the big cluster is still scaling. Asserted from the order of the pod watch's ADDED events
// (etcd's order), not from timings.
test('a cluster created during another cluster’s big scale-up gets its pods before that scale-up ends', async (t) => {
  const op = await startOperator(t, {}, 1, undefined, { qps: 50, burst: 10 });
  const added: string[] = [];
  const pods = op.informers.informerFor<Pod>(Resources.pods);
  pods.addEventHandler({
    onAdd: (p) =>
      added.push(`${p.metadata.labels?.['ray.io/cluster']}/${p.metadata.labels?.['ray.io/node-type']}`),
  });
  await pods.waitForSync();

  const big = baseCluster('big', op.ns);
  big.spec.workerGroupSpecs![0]!.replicas = 200;
  big.spec.workerGroupSpecs![0]!.maxReplicas = 200;
  await createCluster(op, big);
  await eventually(() => assert.ok(added.length >= 20, `${added.length} pods so far`), { timeoutMs: 60_000 });
  const small = baseCluster('small', op.ns);
  small.spec.workerGroupSpecs![0]!.replicas = 1;
  await createCluster(op, small);

  await eventually(() => assert.equal(added.length, 203), { timeoutMs: 120_000 });
  const smallWorker = added.indexOf('small/worker');
  const bigAfter = added.slice(smallWorker).filter((a) => a.startsWith('big/')).length;
  assert.ok(added.indexOf('small/head') >= 0 && smallWorker >= 0);
  // The big cluster still had most of its pods to create when the small one was served.
  assert.ok(
    bigAfter >= 100,
    `only ${bigAfter} of the big cluster's pods came after the small cluster's worker`,
  );
  // Yielding loses and duplicates nothing: exactly the pods asked for.
  assert.equal(added.filter((a) => a === 'big/worker').length, 200);
  assert.equal(added.filter((a) => a.startsWith('big/head')).length, 1);
});

// A multi-host replica is one unit: a yield between its pods would leave it incomplete, and the next reconcile
// deletes incomplete replicas. Small clusters keep the queue busy so the big one yields as often as it can.
test('yielding never splits a multi-host replica: no pod is deleted, every replica is whole', async (t) => {
  const op = await startOperator(t, { featureGates: { RayMultiHostIndexing: true } }, 1, undefined, {
    qps: 50,
    burst: 10,
  });
  let deleted = 0;
  const pods = op.informers.informerFor<Pod>(Resources.pods);
  pods.addEventHandler({ onDelete: () => deleted++ });
  await pods.waitForSync();

  const big = baseCluster('multi', op.ns);
  const group = big.spec.workerGroupSpecs![0]!;
  group.numOfHosts = 25;
  group.replicas = 4;
  group.maxReplicas = 4;
  await createCluster(op, big);
  for (let i = 0; i < 6; i++) {
    const small = baseCluster(`small-${i}`, op.ns);
    small.spec.workerGroupSpecs![0]!.replicas = 1;
    await createCluster(op, small);
  }

  const workers = () =>
    pods
      .list()
      .filter(
        (p) =>
          p.metadata.labels?.['ray.io/cluster'] === 'multi' &&
          p.metadata.labels?.['ray.io/node-type'] === 'worker',
      );
  await eventually(() => assert.equal(workers().length, 100), { timeoutMs: 120_000 });
  const byReplica = new Map<string, number>();
  for (const p of workers()) {
    const r = p.metadata.labels?.['ray.io/worker-group-replica-name'] ?? '';
    byReplica.set(r, (byReplica.get(r) ?? 0) + 1);
  }
  assert.deepEqual([...byReplica.values()], [25, 25, 25, 25]);
  assert.equal(deleted, 0, 'no replica was cleaned up as incomplete');
});

// Creates that fail while a scale-up yields to other clusters (before, at or after the yield, or among the
// writes still in flight when it stopped) must be retried, and never create a pod twice. A policy refuses every
// pod whose generated name ends in "b" or "c" (about 1 in 14), so failures come at random amid the yields that
// the small clusters' turns cause.
test('pod creates refused amid yields are retried: every cluster ends with exactly its pods', async (t) => {
  const op = await startOperator(t, {}, 1, undefined, { qps: 50, burst: 10 });
  const policy = `refuse-names-${op.ns}`;
  const admission = '/apis/admissionregistration.k8s.io/v1';
  // Creates one cluster-scoped admission object named `policy`, deleted when the test ends.
  const make = async (resource: string, kind: string, spec: Record<string, unknown>) => {
    await op.client.rest.request('POST', `${admission}/${resource}`, {
      body: { apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name: policy }, spec },
    });
    t.after(() => op.client.rest.request('DELETE', `${admission}/${resource}/${policy}`).catch(() => {}));
  };
  await make('validatingadmissionpolicies', 'ValidatingAdmissionPolicy', {
    failurePolicy: 'Fail',
    matchConstraints: {
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
    },
    validations: [
      {
        expression: "!object.metadata.name.endsWith('b') && !object.metadata.name.endsWith('c')",
        message: 'this test refuses pod names ending in b or c',
      },
    ],
  });
  await make('validatingadmissionpolicybindings', 'ValidatingAdmissionPolicyBinding', {
    policyName: policy,
    validationActions: ['Deny'],
    matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': op.ns } } },
  });
  // The API server takes the policy up asynchronously: wait until a probe pod is refused.
  const probe = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'probe-b' },
    spec: { containers: [{ name: 'c', image: 'none' }], schedulerName: 'none' },
  };
  await eventually(
    async () => {
      const refused = await op.client
        .create(Resources.pods, { ...probe, metadata: { ...probe.metadata, namespace: op.ns } })
        .then(
          async () => {
            await op.client.delete(Resources.pods, op.ns, 'probe-b');
            return false;
          },
          (e: unknown) => String(e).includes('refuses pod names'),
        );
      assert.ok(refused, 'the policy is not in force yet');
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );

  let deleted = 0;
  const pods = op.informers.informerFor<Pod>(Resources.pods);
  pods.addEventHandler({ onDelete: () => deleted++ });
  await pods.waitForSync();
  const big = baseCluster('big', op.ns);
  big.spec.workerGroupSpecs![0]!.replicas = 150;
  big.spec.workerGroupSpecs![0]!.maxReplicas = 150;
  await createCluster(op, big);
  for (let i = 0; i < 4; i++) {
    const small = baseCluster(`small-${i}`, op.ns);
    small.spec.workerGroupSpecs![0]!.replicas = 1;
    await createCluster(op, small);
  }
  const count = (cluster: string, type: string) =>
    pods
      .list()
      .filter(
        (p) =>
          p.metadata.labels?.['ray.io/cluster'] === cluster &&
          p.metadata.labels?.['ray.io/node-type'] === type,
      ).length;
  await eventually(
    () => {
      assert.equal(count('big', 'worker'), 150);
      for (let i = 0; i < 4; i++) assert.equal(count(`small-${i}`, 'worker'), 1, `small-${i}`);
    },
    { timeoutMs: 120_000 },
  );
  for (const c of ['big', 'small-0', 'small-1', 'small-2', 'small-3']) assert.equal(count(c, 'head'), 1, c);
  assert.equal(deleted, 0, 'no pod was created twice and deleted');
  // Every create went through the policy: no pod of these clusters has a refused name. Of about 160 generated
  // names, the chance that none drew one of the two refused letters (2 in 27) is under 1 in 100,000, so creates
  // were refused and retried. (Their Warning events are not a reliable witness: after 25 events for one object
  // the recorder's spam filter, as client-go's, drops the rest.)
  const names = pods.list().map((p) => p.metadata.name ?? '');
  assert.deepEqual(
    names.filter((n) => /[bc]$/.test(n)),
    [],
  );
});
