import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { eventually, testCluster } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import type { NamespaceDump, Obj } from './support/dump.ts';
import { type OperatorProcess, startOperator } from './support/operators.ts';
import { applyDocs, loadSamples } from './support/samples.ts';
import { settle } from './support/settle.ts';
import { bigKwokNode, dropFinalizers, namespaces } from './support/world.ts';

/**
 * Take-over: objects one operator created are adopted by the other, started on the same namespace after the
 * first is stopped, and then handed back, with nothing disrupted: no pod deleted or recreated (same pod uids),
 * no RayCluster replaced (same uids; a RayService keeps its active and pending cluster names, a RayJob its
 * cluster), no Service re-pointed (same selectors).
 *
 * The workload: KubeRay's RayCluster sample; a finished RayJob (ray-job.sample.yaml: under KWOK the submitter
 * completes without a Ray job status, and the RayJob ends Failed once the grace period is over); a RayJob in
 * progress (ray-job.interactive-mode.yaml: its cluster is up and it waits for a job id); and the RayService
 * sample. KWOK runs no Ray dashboard, so a RayService never reaches Running: what is checked for it is what
 * can be observed, that its pending cluster and that cluster's pods stay the same through both hand-overs.
 */

const SAMPLES = [
  'ray-cluster.sample.yaml',
  'ray-job.sample.yaml',
  'ray-job.interactive-mode.yaml',
  'ray-service.sample.yaml',
];

/** What must not change when the operator changes hands. */
function snapshot(d: NamespaceDump): Record<string, unknown> {
  const of = (kind: string) => d.objects.filter((o) => o.kind === kind);
  const byName = (kind: string, pick: (o: Obj) => unknown) =>
    Object.fromEntries(of(kind).map((o) => [o.metadata.name, pick(o)]));
  const status = (o: Obj) =>
    (o.status ?? {}) as Record<string, { rayClusterName?: string } | string | undefined>;
  return {
    pods: byName('Pod', (o) => o.metadata.uid),
    rayClusters: byName('RayCluster', (o) => o.metadata.uid),
    serviceSelectors: byName('Service', (o) => (o.spec as { selector?: unknown }).selector),
    jobs: byName('Job', (o) => o.metadata.uid),
    rayJobClusters: byName('RayJob', (o) => status(o).rayClusterName),
    rayServiceClusters: byName('RayService', (o) => ({
      active: (status(o).activeServiceStatus as { rayClusterName?: string } | undefined)?.rayClusterName,
      pending: (status(o).pendingServiceStatus as { rayClusterName?: string } | undefined)?.rayClusterName,
    })),
  };
}

async function handOver(t: TestContext, first: 'kuberay' | 'ours'): Promise<void> {
  const second = first === 'kuberay' ? 'ours' : 'kuberay';
  const { client, kubeconfig } = await testCluster();
  await installCrds(client);
  await bigKwokNode(client);
  const [ns] = await namespaces(t, [`takeover-${first}`]);
  const all = loadSamples();
  const running = new Set<OperatorProcess>();
  const start = (which: 'kuberay' | 'ours') => {
    const op = startOperator(which, { kubeconfig, namespaces: [ns!] });
    running.add(op);
    return op;
  };
  const stop = async (op: OperatorProcess) => {
    await op.stop();
    running.delete(op);
  };
  t.after(async () => {
    await dropFinalizers(client, [ns!]);
    await Promise.all([...running].map((op) => op.stop()));
  });

  let op = start(first);
  for (const name of SAMPLES) {
    const sample = all.find((s) => s.name === name);
    assert.ok(sample, `KubeRay sample ${name} not found`);
    await applyDocs(client, ns!, sample.docs);
  }
  // The finished RayJob: wait for its terminal state before handing over.
  await eventually(
    async () => {
      const job = await client.request<Obj>('GET', `/apis/ray.io/v1/namespaces/${ns}/rayjobs/rayjob-sample`);
      const state = (job.status as { jobDeploymentStatus?: string } | undefined)?.jobDeploymentStatus;
      assert.ok(state === 'Complete' || state === 'Failed', `rayjob-sample is ${state}, not finished`);
    },
    { timeoutMs: 180_000, intervalMs: 2000 },
  );
  const before = snapshot((await settle(client, [ns!])).get(ns!)!);
  assert.ok(
    Object.keys(before.pods as object).length >= 6,
    `the samples' pods exist: ${JSON.stringify(before.pods)}`,
  );
  assert.ok(
    Object.values(before.rayServiceClusters as object).every((c) => c.pending || c.active),
    `the RayService has a cluster: ${JSON.stringify(before.rayServiceClusters)}`,
  );

  // Both hops run even when the first fails, so a failure says which hand-overs disturb what.
  const failures: string[] = [];
  let baseline = before;
  for (const [from, to] of [
    [first, second],
    [second, first],
  ] as const) {
    await stop(op);
    op = start(to);
    const after = snapshot((await settle(client, [ns!], { stablePolls: 6 })).get(ns!)!);
    assert.equal(op.child.exitCode, null, `the ${to} operator exited; log: ${op.logFile}`);
    for (const key of Object.keys(before)) {
      try {
        assert.deepEqual(after[key], baseline[key]);
      } catch (err) {
        failures.push(`${from} -> ${to}: ${key} changed (log: ${op.logFile})\n${(err as Error).message}`);
      }
    }
    baseline = after;
  }
  assert.deepEqual(failures, []);
}

describe('take-over between KubeRay v1.5.0 and our operator, on the same namespace', {
  concurrency: 2,
}, () => {
  it("our operator adopts KubeRay's objects and hands them back with nothing replaced", {
    timeout: 600_000,
  }, async (t) => {
    await handOver(t, 'kuberay');
  });
  it('KubeRay adopts our objects and hands them back with nothing replaced', {
    timeout: 600_000,
  }, async (t) => {
    await handOver(t, 'ours');
  });
});
