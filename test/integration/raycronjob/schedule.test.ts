import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCronJob } from '../../../src/api/index.ts';
import { cacheTransformFor } from '../../../src/controllers/common/pod-cache.ts';
import { createRayCronJobController } from '../../../src/controllers/raycronjob/index.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { FakeClock } from '../../../src/lib/clock.ts';
import { MemoryEventRecorder } from '../../../src/runtime/events.ts';
import { InformerFactory } from '../../../src/runtime/informer-factory.ts';
import { inProcessOperatorUserAgent } from '../../support/audit.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

const MINUTE = 60_000;
const stamp = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

const jobTemplate = {
  entrypoint: 'python /home/ray/samples/sample_code.py',
  shutdownAfterJobFinishes: true,
  ttlSecondsAfterFinished: 600,
  rayClusterSpec: {
    rayVersion: '2.52.0',
    headGroupSpec: {
      rayStartParams: {},
      template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.52.0' }] } },
    },
  },
};

const cronJob = (ns: string, name: string, schedule: string) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayCronJob',
  metadata: { name, namespace: ns },
  spec: { schedule, jobTemplate },
});

test('RayCronJob: every minute on an injected clock creates owned RayJobs, records lastScheduleTime, honours suspend', async (t) => {
  const { client, kubeconfig } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'raycronjob');
  const kube = KubeClient.fromAccess(loadKubeconfig(kubeconfig), { qps: 0, userAgent: 'kuberay-ts-test' });
  t.after(() => kube.rest.close());

  const created = (await kube.create(
    Resources.rayCronJobs,
    cronJob(ns, 'every-minute', '* * * * *') as KubeObject,
  )) as unknown as RayCronJob;
  const createdAt = Date.parse(created.metadata.creationTimestamp!);
  // One second before the first minute boundary after creation: the first run is due after one tick.
  const firstRun = Math.floor(createdAt / MINUTE) * MINUTE + MINUTE;
  const clock = new FakeClock(firstRun - 1000);
  const events = new MemoryEventRecorder();

  const opKube = KubeClient.fromAccess(loadKubeconfig(kubeconfig), {
    qps: 0,
    userAgent: inProcessOperatorUserAgent(),
  });
  t.after(() => opKube.rest.close());
  const informers = new InformerFactory({
    client: opKube,
    namespaces: [ns],
    transformFor: cacheTransformFor,
  });
  const controller = createRayCronJobController({ informers, client: opKube, events, clock });
  informers.start();
  controller.start();
  t.after(async () => {
    await controller.stop();
    await informers.stop();
  });

  const rayJobs = async () =>
    (await kube.list(Resources.rayJobs, { namespace: ns })).items.filter(
      (j) => j.metadata.labels?.['ray.io/cronjob-name'] === 'every-minute',
    );
  const status = async () =>
    ((await kube.get(Resources.rayCronJobs, ns, 'every-minute')) as unknown as RayCronJob).status;
  // The first reconcile finds nothing due and requeues on the fake clock.
  await eventually(() => assert.ok(clock.pending() > 0, 'a requeue is scheduled'));
  assert.equal((await rayJobs()).length, 0);

  clock.advance(1000);
  const [first] = await eventually(async () => {
    const items = await rayJobs();
    assert.equal(items.length, 1);
    return items;
  });
  assert.match(first!.metadata.name ?? '', /^every-minute-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(first!.metadata.annotations?.['ray.io/cronjob-scheduled-timestamp'], stamp(firstRun));
  assert.deepEqual(
    first!.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]),
    [['RayCronJob', 'every-minute', created.metadata.uid, true]],
  );
  // The RayJob's spec is the template (plus whatever the CRD defaults add).
  const spec = (first as unknown as { spec: typeof jobTemplate }).spec;
  assert.equal(spec.entrypoint, jobTemplate.entrypoint);
  assert.equal(spec.shutdownAfterJobFinishes, true);
  assert.equal(spec.ttlSecondsAfterFinished, 600);
  assert.deepEqual(
    spec.rayClusterSpec.headGroupSpec.template,
    jobTemplate.rayClusterSpec.headGroupSpec.template,
  );
  await eventually(async () => assert.equal((await status())?.lastScheduleTime, stamp(firstRun)));

  // The next run, one minute later.
  await eventually(() => assert.ok(clock.pending() > 0, 'the next run is scheduled'));
  clock.advance(MINUTE);
  const two = await eventually(async () => {
    const items = await rayJobs();
    assert.equal(items.length, 2);
    return items;
  });
  assert.deepEqual(two.map((j) => j.metadata.annotations?.['ray.io/cronjob-scheduled-timestamp']).sort(), [
    stamp(firstRun),
    stamp(firstRun + MINUTE),
  ]);
  await eventually(async () => assert.equal((await status())?.lastScheduleTime, stamp(firstRun + MINUTE)));

  // Suspended: the pending run fires, is recorded as suspended, and creates nothing.
  await eventually(() => assert.ok(clock.pending() > 0));
  await kube.patch(Resources.rayCronJobs, ns, 'every-minute', { spec: { suspend: true } });
  const suspended = () => events.events.filter((e) => e.reason === 'SuspendedRayCronJob').length;
  await eventually(() => assert.ok(suspended() > 0));
  const seen = suspended();
  clock.advance(MINUTE);
  await eventually(() => assert.ok(suspended() > seen, 'the due reconcile ran while suspended'));
  assert.equal((await rayJobs()).length, 2);
  assert.equal(
    events.events.find((e) => e.reason === 'SuspendedRayCronJob')?.message,
    'RayCronJob suspended, no new RayJobs will be created',
  );
});

test('RayCronJob: an invalid schedule is a Warning event naming it, and nothing is created', async (t) => {
  const { client, kubeconfig } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'raycronjob');
  const kube = KubeClient.fromAccess(loadKubeconfig(kubeconfig), { qps: 0, userAgent: 'kuberay-ts-test' });
  t.after(() => kube.rest.close());
  const clock = new FakeClock(Date.now());
  const events = new MemoryEventRecorder();
  const opKube = KubeClient.fromAccess(loadKubeconfig(kubeconfig), {
    qps: 0,
    userAgent: inProcessOperatorUserAgent(),
  });
  t.after(() => opKube.rest.close());
  const informers = new InformerFactory({
    client: opKube,
    namespaces: [ns],
    transformFor: cacheTransformFor,
  });
  const controller = createRayCronJobController({ informers, client: opKube, events, clock });
  informers.start();
  controller.start();
  t.after(async () => {
    await controller.stop();
    await informers.stop();
  });

  await kube.create(Resources.rayCronJobs, cronJob(ns, 'bad', '61 * * * *') as KubeObject);
  const warning = await eventually(() => {
    const e = events.events.find((x) => x.reason === 'InvalidRayCronJobSpec');
    assert.ok(e);
    return e;
  });
  assert.equal(warning.type, 'Warning');
  assert.match(warning.message, new RegExp(`^${ns}/bad: invalid cron schedule: .*61`));
  assert.equal(clock.pending(), 0, 'an invalid spec is not requeued');
  assert.equal((await kube.list(Resources.rayJobs, { namespace: ns })).items.length, 0);
});
