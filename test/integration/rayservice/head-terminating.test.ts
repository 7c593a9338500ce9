import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Pod, RayService } from '../../../src/api/index.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { type Harness, harness, newRayService, reportHeadPodReady } from './support.ts';

const cond = (rs: RayService, type: string) => rs.status?.conditions?.find((c) => c.type === type);

/**
 * A node nobody runs: its pods keep the status the test writes, and a graceful delete leaves them terminating
 * (deletionTimestamp set, still Running and Ready) until the test force-deletes them, as a real kubelet does
 * for the length of the grace period. KWOK cannot play this: it deletes a pod (finalizers and all) at once.
 */
async function standInNode(h: Harness, t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const name = `rs-term-${randomBytes(3).toString('hex')}`;
  await h.kube.create(Resources.nodes, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: { unschedulable: true, taints: [{ key: 'kuberay-ts.dev/test-only', effect: 'NoSchedule' }] },
  } as never);
  t.after(async () => {
    await h.kube.delete(Resources.nodes, '', name).catch(() => {});
  });
  return name;
}

/** Creates a pod bound to `node` and writes it Running and Ready with `ip`. */
async function runningPod(
  h: Harness,
  node: string,
  name: string,
  labels: Record<string, string>,
  ip: string,
): Promise<void> {
  const created = (await h.kube.create(Resources.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: h.ns, labels },
    spec: {
      nodeName: node,
      containers: [
        { name: 'ray', image: 'rayproject/ray:2.46.0', ports: [{ name: 'serve', containerPort: 8000 }] },
      ],
    },
  } as never)) as unknown as Pod;
  await setPodReady(h, created, ip, true);
}

async function setPodReady(h: Harness, pod: Pod, ip: string, ready: boolean): Promise<void> {
  const fresh = (await h.kube.get(Resources.pods, h.ns, pod.metadata.name ?? '')) as unknown as Pod;
  const now = new Date().toISOString();
  const status = ready ? 'True' : 'False';
  await h.kube.updateStatus(Resources.pods, {
    ...fresh,
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      hostIP: '10.0.0.9',
      startTime: now,
      conditions: [
        { type: 'Ready', status, lastTransitionTime: now },
        { type: 'ContainersReady', status, lastTransitionTime: now },
      ],
    },
  } as never);
}

test('the head pod terminating (deleted, in its grace period) stops counting at once: numServeEndpoints and Ready follow the serve Service, the dashboard of the terminating head is not asked', async (t) => {
  const h = await harness(t);
  const node = await standInNode(h, t);
  const rs = newRayService('rs-term', h.ns);
  await h.kube.create(Resources.rayServices, rs as never);
  h.run('rs-term');
  const cluster = await eventually(async () => {
    const name = (await h.getRs('rs-term')).status?.pendingServiceStatus?.rayClusterName;
    assert.ok(name && (await h.getCluster(name)), 'the pending cluster is created');
    return name;
  });
  const head = `${cluster}-head`;
  const worker = `${cluster}-worker`;
  t.after(async () => {
    for (const p of [head, worker])
      await h.kube.delete(Resources.pods, h.ns, p, { gracePeriodSeconds: 0 }).catch(() => {});
  });
  await runningPod(
    h,
    node,
    head,
    { 'ray.io/cluster': cluster, 'ray.io/node-type': 'head', 'ray.io/serve': 'false' },
    '10.244.200.1',
  );
  await runningPod(
    h,
    node,
    worker,
    {
      'ray.io/cluster': cluster,
      'ray.io/node-type': 'worker',
      'ray.io/group': 'small-group',
      'ray.io/serve': 'true',
    },
    '10.244.200.2',
  );
  await reportHeadPodReady(h.kube, h.ns, cluster);

  await eventually(
    async () => {
      const got = await h.getRs('rs-term');
      assert.equal(got.status?.activeServiceStatus?.rayClusterName, cluster);
      assert.equal(got.status?.numServeEndpoints, 2, 'the head (label set healthy) and the worker');
      assert.equal(cond(got, 'Ready')?.status, 'True');
    },
    { timeoutMs: 60_000 },
  );

  // The head pod is deleted with a long grace period: it stays, terminating, still Running and Ready (its
  // readiness probe has not failed yet), and HeadPodReady stays True. Ray on it is shutting down: the
  // dashboard no longer answers.
  const dashboard = h.fake(cluster);
  dashboard.unreachable = true;
  await h.kube.delete(Resources.pods, h.ns, head, { gracePeriodSeconds: 600 });
  const callsAtDelete = dashboard.calls.length;

  // The EndpointSlice controller marks the terminating head not ready; the worker still serves.
  await eventually(async () => {
    const got = await h.getRs('rs-term');
    assert.equal(got.status?.numServeEndpoints, 1, 'only the worker is a ready endpoint');
    assert.equal(cond(got, 'Ready')?.status, 'True', 'the worker still answers');
  });
  // The worker stops passing its readiness probe: nothing serves any more.
  await setPodReady(
    h,
    (await h.kube.get(Resources.pods, h.ns, worker)) as unknown as Pod,
    '10.244.200.2',
    false,
  );
  const notReady = await eventually(async () => {
    const got = await h.getRs('rs-term');
    assert.equal(got.status?.numServeEndpoints, 0);
    assert.equal(cond(got, 'Ready')?.status, 'False');
    return got;
  });
  assert.equal(cond(notReady, 'Ready')?.reason, 'ZeroServeEndpoints');
  assert.equal(notReady.status?.serviceStatus ?? '', '');
  const still = (await h.kube.get(Resources.pods, h.ns, head)) as unknown as Pod;
  assert.ok(still.metadata.deletionTimestamp, 'all of this while the old head is still terminating');
  assert.ok(
    dashboard.calls.length - callsAtDelete <= 2,
    `the terminating head's dashboard is not asked pass after pass (${dashboard.calls.length - callsAtDelete} calls)`,
  );
});
