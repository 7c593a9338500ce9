import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeClient } from '../../src/k8s/client.ts';
import { loadKubeconfig } from '../../src/k8s/kubeconfig.ts';
import { Resources } from '../../src/k8s/resources.ts';
import { testCluster, testNamespace } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { startOperatorProcess } from '../support/operator-process.ts';
import { divergence, percentile, rayCluster, type Spec } from './clusters.ts';
import { profile, seededRandom } from './profile.ts';

/**
 * The operator is SIGKILLed at random points of a churn of RayClusters (create, scale, template change,
 * suspend and resume, delete) on KWOK nodes, and restarted each time. After every restart the namespace must
 * converge: each cluster has exactly one head and exactly the workers its spec asks for (no duplicate pods),
 * suspended clusters have none, no pod belongs to a cluster that no longer exists (no orphans), and a deleted
 * cluster is gone (no finalizer left behind). The time from each restart to convergence is reported (p50,
 * p99). CI: 20 kills over 12 clusters; `KUBERAY_TS_CHAOS=long`: 200 kills over 100 clusters.
 */
const { kills, clusters, seed } = profile({
  short: { kills: 20, clusters: 12 },
  long: { kills: 200, clusters: 100 },
});

test(`the operator SIGKILLed ${kills} times during churn converges every time: exact pods, no orphans, no stuck finalizers`, async (t) => {
  const cluster = await testCluster();
  await installCrds(cluster.client);
  const ns = await testNamespace(t, 'chaos');
  const client = KubeClient.fromAccess(loadKubeconfig(cluster.kubeconfig), {
    qps: 0,
    userAgent: 'chaos-test',
  });
  t.after(() => client.rest.close());
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const start = () => startOperatorProcess(t, { kubeconfig: cluster.kubeconfig, watchNamespace: ns });

  const want = new Map<string, Spec>();
  let next = 0;
  for (; next < clusters; next++) {
    const s = { workers: 1 + Math.floor(random() * 3), suspend: false, rev: 0 };
    want.set(`c${next}`, s);
    await client.create(Resources.rayClusters, rayCluster(`c${next}`, ns, s));
  }

  let op = start();
  const convergence: number[] = [];
  const actions: Record<string, number> = {};
  for (let kill = 1; kill <= kills; kill++) {
    // A burst of churn, with the operator killed at a random point inside it.
    const steps = 1 + Math.floor(random() * 4);
    const killAt = Math.floor(random() * steps);
    for (let i = 0; i < steps; i++) {
      if (i === killAt) {
        await new Promise((r) => setTimeout(r, random() * 1500));
        op.child.kill('SIGKILL');
        await op.exited;
        op = start();
      }
      const names = [...want.keys()];
      const action =
        names.length === 0 ? 'create' : pick(['scale', 'scale', 'template', 'suspend', 'delete', 'create']);
      actions[action] = (actions[action] ?? 0) + 1;
      const name = action === 'create' ? `c${next++}` : pick(names);
      const s = want.get(name);
      if (action === 'create') {
        const fresh = { workers: 1 + Math.floor(random() * 3), suspend: false, rev: 0 };
        want.set(name, fresh);
        await client.create(Resources.rayClusters, rayCluster(name, ns, fresh));
      } else if (action === 'delete') {
        want.delete(name);
        await client.delete(Resources.rayClusters, ns, name);
      } else if (s) {
        if (action === 'scale') s.workers = Math.floor(random() * 5);
        if (action === 'template') s.rev++;
        if (action === 'suspend') s.suspend = !s.suspend;
        const patch = {
          spec: {
            suspend: s.suspend,
            workerGroupSpecs: [
              {
                ...(rayCluster(name, ns, s) as unknown as { spec: { workerGroupSpecs: object[] } }).spec
                  .workerGroupSpecs[0],
              },
            ],
          },
        };
        await client.patch(Resources.rayClusters, ns, name, patch);
      }
    }
    const restarted = performance.now();
    let last: string[] = [];
    for (;;) {
      last = await divergence(client, ns, want);
      if (last.length === 0) break;
      assert.ok(
        performance.now() - restarted < 180_000,
        `kill ${kill} (seed ${seed}): not converged after 180 s:\n${last.join('\n')}`,
      );
      await new Promise((r) => setTimeout(r, 200));
    }
    convergence.push((performance.now() - restarted) / 1000);
    assert.equal(op.child.exitCode, null, `the operator exited on its own after kill ${kill}`);
  }
  const p50 = percentile(convergence, 0.5).toFixed(2);
  const p99 = percentile(convergence, 0.99).toFixed(2);
  t.diagnostic(
    `seed ${seed}: ${kills} kills, ${next} clusters created, actions ${JSON.stringify(actions)}; convergence after the churn p50 ${p50} s, p99 ${p99} s`,
  );
});
