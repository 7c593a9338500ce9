import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster, RayJobSpec } from '../../../src/api/index.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { type Harness, rayJobManifest, startHarness } from './harness.ts';

type Outcome = 'SUCCEEDED' | 'FAILED';
const policies = ['DeleteCluster', 'DeleteWorkers', 'DeleteSelf', 'DeleteNone'] as const;

/** Creates a RayJob whose Ray job ends with `outcome`, drives it to a terminal state, returns its cluster name. */
async function finish(
  h: Harness,
  name: string,
  spec: Partial<RayJobSpec>,
  outcome: Outcome,
): Promise<string> {
  await h.kube.create(Resources.rayJobs, rayJobManifest(h.ns, name, spec));
  const rj = await h.waitFor(name, (r) => assert.ok(r.status?.jobId && r.status.rayClusterName), 30_000);
  h.dashboard.setJob(rj.status!.jobId!, { status: outcome });
  await eventually(async () => assert.ok(await h.getCluster(rj.status!.rayClusterName!)), {
    timeoutMs: 30_000,
  });
  await h.makeClusterReady(rj.status!.rayClusterName!);
  // The default submitter pod runs to completion at once under KWOK, so the Job completes by itself.
  return rj.status!.rayClusterName!;
}

async function expectPolicy(h: Harness, name: string, cluster: string, policy: string): Promise<void> {
  const gone = async () => (await h.kube.getOrUndefined(Resources.rayJobs, h.ns, name)) === undefined;
  if (policy === 'DeleteSelf') {
    await eventually(async () => assert.ok(await gone(), `${name} deleted`), { timeoutMs: 60_000 });
    return;
  }
  await h.waitFor(
    name,
    (r) => assert.ok(['Complete', 'Failed'].includes(r.status?.jobDeploymentStatus ?? '')),
    60_000,
  );
  if (policy === 'DeleteCluster') {
    await eventually(
      async () => assert.equal(await h.getCluster(cluster), undefined, `${name}: cluster deleted`),
      { timeoutMs: 30_000 },
    );
  } else if (policy === 'DeleteWorkers') {
    await eventually(
      async () => {
        const c = (await h.getCluster(cluster)) as RayCluster;
        assert.ok(
          c.spec.workerGroupSpecs?.every((g) => g.suspend === true),
          `${name}: workers suspended`,
        );
      },
      { timeoutMs: 30_000 },
    );
  } else {
    const c = await h.getCluster(cluster);
    assert.equal(c?.spec.workerGroupSpecs?.[0]?.replicas, 3, `${name}: cluster kept as is`);
    assert.ok(!c?.spec.workerGroupSpecs?.[0]?.suspend);
  }
  assert.ok(await h.kube.getOrUndefined(Resources.jobs, h.ns, name), `${name}: submitter Job kept`);
}

test('deletion policies: legacy onSuccess/onFailure and single deletionRules, for success and failure', async (t) => {
  const h = await startHarness(t);
  const cases: { name: string; policy: string; outcome: Outcome; spec: Partial<RayJobSpec> }[] = [];
  for (const policy of policies) {
    for (const outcome of ['SUCCEEDED', 'FAILED'] as const) {
      const o = outcome === 'SUCCEEDED' ? 's' : 'f';
      const p = policy.slice(6).toLowerCase();
      cases.push({
        name: `legacy-${p}-${o}`,
        policy,
        outcome,
        spec: { deletionStrategy: { onSuccess: { policy }, onFailure: { policy } } },
      });
      cases.push({
        name: `rule-${p}-${o}`,
        policy,
        outcome,
        spec: {
          deletionStrategy: { deletionRules: [{ policy, condition: { jobStatus: outcome, ttlSeconds: 0 } }] },
        },
      });
    }
  }
  const clusters = await Promise.all(cases.map((c) => finish(h, c.name, c.spec, c.outcome)));
  await Promise.all(cases.map((c, i) => expectPolicy(h, c.name, clusters[i]!, c.policy)));
});

test('deletion rules: all overdue -> DeleteSelf wins; staged TTLs delete workers, then the cluster, then the RayJob', async (t) => {
  const h = await startHarness(t);
  const all = (status: Outcome) =>
    (['DeleteWorkers', 'DeleteCluster', 'DeleteSelf'] as const).map((policy) => ({
      policy,
      condition: { jobStatus: status },
    }));
  await finish(h, 'all-s', { deletionStrategy: { deletionRules: all('SUCCEEDED') } }, 'SUCCEEDED');
  await finish(h, 'all-f', { deletionStrategy: { deletionRules: all('FAILED') } }, 'FAILED');
  const staged = [
    { policy: 'DeleteWorkers' as const, condition: { jobStatus: 'SUCCEEDED' as const, ttlSeconds: 0 } },
    { policy: 'DeleteCluster' as const, condition: { jobStatus: 'SUCCEEDED' as const, ttlSeconds: 5 } },
    { policy: 'DeleteSelf' as const, condition: { jobStatus: 'SUCCEEDED' as const, ttlSeconds: 10 } },
  ];
  const cluster = await finish(h, 'staged', { deletionStrategy: { deletionRules: staged } }, 'SUCCEEDED');
  await expectPolicy(h, 'all-s', '', 'DeleteSelf');
  await expectPolicy(h, 'all-f', '', 'DeleteSelf');
  await eventually(
    async () => {
      const c = await h.getCluster(cluster);
      assert.ok(
        c?.spec.workerGroupSpecs?.every((g) => g.suspend === true),
        'workers first',
      );
    },
    { timeoutMs: 30_000 },
  );
  const rj = await h.getRayJob('staged');
  assert.ok(rj, 'the RayJob is still there while the cluster waits for its TTL');
  await eventually(async () => assert.equal(await h.getCluster(cluster), undefined, 'then the cluster'), {
    timeoutMs: 30_000,
  });
  await eventually(
    async () =>
      assert.equal(
        await h.kube.getOrUndefined(Resources.rayJobs, h.ns, 'staged'),
        undefined,
        'then the RayJob',
      ),
    {
      timeoutMs: 30_000,
    },
  );
});
