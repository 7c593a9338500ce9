import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayJob } from '../../../src/api/index.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { rayJobManifest, startHarness } from './harness.ts';

test('the submitter Job: backoffLimit 2 by default, 88 when set; a 47-character name works end to end', async (t) => {
  const h = await startHarness(t);
  const long = 'a'.repeat(47);
  await h.kube.create(Resources.rayJobs, rayJobManifest(h.ns, long));
  await h.kube.create(
    Resources.rayJobs,
    rayJobManifest(h.ns, 'custom', { submitterConfig: { backoffLimit: 88 } }),
  );
  for (const name of [long, 'custom']) {
    const rj = await h.waitFor(name, (r) => assert.ok(r.status?.rayClusterName));
    await eventually(async () => assert.ok(await h.getCluster(rj.status!.rayClusterName!)));
    await h.makeClusterReady(rj.status!.rayClusterName!);
  }
  const job = async (name: string) =>
    (await eventually(() => h.kube.get(Resources.jobs, h.ns, name))).spec as { backoffLimit: number };
  assert.equal((await job(long)).backoffLimit, 2);
  assert.equal((await job('custom')).backoffLimit, 88);
  const rj = await h.waitFor(long, (r) => assert.equal(r.status?.jobDeploymentStatus, 'Running'));
  assert.equal(rj.status?.rayClusterName?.length, 53);
  // The RayJob's own head Service selects the cluster's head.
  // The RayJob's own head Service selects the cluster's head with KubeRay's five keys.
  const cluster = rj.status!.rayClusterName!;
  const selector = {
    'ray.io/cluster': cluster,
    'ray.io/node-type': 'head',
    'ray.io/identifier': `${cluster}-head`,
    'app.kubernetes.io/name': 'kuberay',
    'app.kubernetes.io/created-by': 'kuberay-operator',
  };
  type Svc = KubeObject & { spec: { selector: Record<string, string> } };
  const svc = (await eventually(() => h.kube.get(Resources.services, h.ns, `${long}-head-svc`))) as Svc;
  assert.deepEqual(svc.spec.selector, selector);
  // Take-over of a Service with another selector (older kuberay-ts: three keys): converged.
  svc.spec.selector = { 'ray.io/cluster': cluster, 'ray.io/node-type': 'head' };
  await h.kube.update(Resources.services, svc);
  await eventually(async () => {
    const now = (await h.kube.get(Resources.services, h.ns, `${long}-head-svc`)) as Svc;
    assert.deepEqual(now.spec.selector, selector);
  });
});

test('an invalid submitter template (no restartPolicy) emits FailedToCreateRayJobSubmitter naming the Job', async (t) => {
  const h = await startHarness(t);
  await h.kube.create(
    Resources.rayJobs,
    rayJobManifest(h.ns, 'rayjob-invalid-test', {
      submitterPodTemplate: {
        spec: { containers: [{ name: 'ray-job-submitter', image: 'rayproject/ray:2.46.0' }] },
      },
    }),
  );
  const rj = await h.waitFor('rayjob-invalid-test', (r) => assert.ok(r.status?.rayClusterName));
  await eventually(async () => assert.ok(await h.getCluster(rj.status!.rayClusterName!)));
  await h.makeClusterReady(rj.status!.rayClusterName!);
  await eventually(async () => {
    const ev = (await h.events()).find((e) => e.reason === 'FailedToCreateRayJobSubmitter');
    assert.ok(ev);
    assert.match(ev.message, new RegExp(`Failed to create new Kubernetes Job ${h.ns}/rayjob-invalid-test`));
  });
  assert.equal((await h.getRayJob('rayjob-invalid-test')).status?.jobDeploymentStatus, 'Initializing');
});

test('ValidationFailed: a Warning event and status; fixing the spec recovers (KubeRay stays stuck)', async (t) => {
  const h = await startHarness(t);
  await h.kube.create(Resources.rayJobs, rayJobManifest(h.ns, 'fixme', { suspend: true }));
  await h.waitFor('fixme', (r) => {
    assert.equal(r.status?.jobDeploymentStatus, 'ValidationFailed');
    assert.equal(r.status?.reason, 'ValidationFailed');
    assert.match(r.status?.message ?? '', /shutdownAfterJobFinishes/);
  });
  await eventually(async () =>
    assert.ok((await h.events()).some((e) => e.reason === 'InvalidRayJobSpec' && e.type === 'Warning')),
  );
  const current = await h.getRayJob('fixme');
  await h.kube.update(Resources.rayJobs, {
    ...(current as unknown as RayJob & { metadata: object }),
    spec: { ...current.spec, suspend: false },
  } as never);
  await h.waitFor('fixme', (r) => {
    assert.equal(r.status?.jobDeploymentStatus, 'Initializing');
    assert.ok(r.status?.rayClusterName);
  });
});
