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
import {
  type JobSpec,
  rayJob,
  rayService,
  rayServicePatch,
  type ServiceSpec,
  workloadDivergence,
} from './workloads.ts';

/**
 * The operator is SIGKILLed at random points of a churn of RayClusters (create, scale, template change,
 * suspend and resume, delete), RayJobs (create, suspend and resume, delete; half with
 * `shutdownAfterJobFinishes`) and RayServices (create, a spec change that needs a new pending cluster, suspend
 * and resume, delete) on KWOK nodes, and restarted each time. After every restart the namespace must converge:
 * each RayCluster has exactly one head and exactly the workers its spec asks for (no duplicate pods),
 * suspended clusters have none, no pod belongs to a cluster that no longer exists (no orphans), and a deleted
 * cluster is gone (no finalizer left behind); each RayJob and RayService is in a state that says where it
 * stands and owns exactly the clusters that state allows (workloads.ts), nothing owned outlives its owner, and
 * a deleted one is gone. The time from each restart to convergence is reported (p50, p99). CI: 20 kills over
 * 8 clusters, 3 jobs and 2 services; `KUBERAY_TS_CHAOS=long`: 200 kills over 70, 15 and 15.
 */
const { kills, clusters, jobs, services, seed } = profile({
  short: { kills: 20, clusters: 8, jobs: 3, services: 2 },
  long: { kills: 200, clusters: 70, jobs: 15, services: 15 },
});

test(`the operator SIGKILLed ${kills} times during churn of RayClusters, RayJobs and RayServices converges every time: exact pods, owned clusters as the state allows, no orphans, no stuck finalizers`, async (t) => {
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
  // A SIGKILLed leader cannot release its Lease: each restarted operator waits for it to expire before it
  // reconciles. What is checked here is the state after a restart, not the hand-over (leader-failover.test.ts
  // covers that with the default 15 s Lease, test/integration/runtime/ with a 4 s one), so the Lease is shorter
  // than the default: each kill waits about 6 s for it instead of 15 s.
  const leaseEnv = {
    KUBERAY_LEADER_ELECTION_LEASE_DURATION: '6s',
    KUBERAY_LEADER_ELECTION_RENEW_DEADLINE: '5s',
    KUBERAY_LEADER_ELECTION_RETRY_PERIOD: '500ms',
  };
  const start = () =>
    startOperatorProcess(t, { kubeconfig: cluster.kubeconfig, watchNamespace: ns, env: leaseEnv });

  const want = new Map<string, Spec>();
  let next = 0;
  for (; next < clusters; next++) {
    const s = { workers: 1 + Math.floor(random() * 3), suspend: false, rev: 0 };
    want.set(`c${next}`, s);
    await client.create(Resources.rayClusters, rayCluster(`c${next}`, ns, s));
  }

  const wantJobs = new Map<string, JobSpec>();
  const wantServices = new Map<string, ServiceSpec>();
  let nextJob = 0;
  let nextService = 0;
  const createJob = async () => {
    const name = `j${nextJob++}`;
    const s = { suspend: false, shutdown: random() < 0.5 };
    wantJobs.set(name, s);
    await client.create(Resources.rayJobs, rayJob(name, ns, s));
  };
  const createService = async () => {
    const name = `s${nextService++}`;
    const s = { suspend: false, rev: 0 };
    wantServices.set(name, s);
    await client.create(Resources.rayServices, rayService(name, ns, s));
  };
  for (let i = 0; i < jobs; i++) await createJob();
  for (let i = 0; i < services; i++) await createService();

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
      const suspendable = [...wantJobs].filter(([, j]) => j.shutdown).map(([n]) => n);
      let action = pick([
        ...['scale', 'scale', 'template', 'suspend', 'delete', 'create'],
        ...['job-create', 'job-suspend', 'job-delete'],
        ...['service-change', 'service-suspend', 'service-delete', 'service-create'],
      ]);
      if (action.startsWith('job-') && action !== 'job-create' && wantJobs.size === 0) action = 'job-create';
      if (action === 'job-suspend' && suspendable.length === 0) action = 'job-create';
      if (action.startsWith('service-') && wantServices.size === 0) action = 'service-create';
      if (!action.includes('-') && names.length === 0) action = 'create';
      actions[action] = (actions[action] ?? 0) + 1;
      if (action.includes('-')) {
        if (action === 'job-create') await createJob();
        else if (action === 'service-create') await createService();
        else if (action === 'job-delete') {
          const job = pick([...wantJobs.keys()]);
          wantJobs.delete(job);
          await client.delete(Resources.rayJobs, ns, job);
        } else if (action === 'job-suspend') {
          const job = pick(suspendable);
          const j = wantJobs.get(job)!;
          j.suspend = !j.suspend;
          await client.patch(Resources.rayJobs, ns, job, { spec: { suspend: j.suspend } });
        } else if (action === 'service-delete') {
          const svc = pick([...wantServices.keys()]);
          wantServices.delete(svc);
          await client.delete(Resources.rayServices, ns, svc);
        } else {
          const svc = pick([...wantServices.keys()]);
          const v = wantServices.get(svc)!;
          if (action === 'service-suspend') v.suspend = !v.suspend;
          else v.rev++;
          await client.patch(Resources.rayServices, ns, svc, rayServicePatch(v));
        }
        continue;
      }
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
      last = [
        ...(await divergence(client, ns, want)),
        ...(await workloadDivergence(client, ns, wantJobs, wantServices)),
      ];
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
    `seed ${seed}: ${kills} kills, ${next} clusters, ${nextJob} jobs and ${nextService} services created, actions ${JSON.stringify(actions)}; convergence after the churn p50 ${p50} s, p99 ${p99} s`,
  );
});
