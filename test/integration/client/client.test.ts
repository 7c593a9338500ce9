import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import {
  ApiError,
  ClientError,
  connect,
  isNotFound,
  type RayClient,
  type RayCluster,
  type RayWatchEvent,
  rayClusterManifest,
  rayCronJobManifest,
  rayJobManifest,
  rayServiceManifest,
  WaitConditionError,
  WaitTimeoutError,
} from '../../../clients/typescript/src/index.ts';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';
import { startOperatorProcess } from '../../support/operator-process.ts';

/**
 * The TypeScript SDK against the real control plane (kube-apiserver + etcd, KWOK nodes: pods become Running
 * and Ready without any process, so a RayCluster gets ready but Ray never runs). Every resource method of the
 * four kinds, watch events, server-side apply, and waitFor with the operator running as its own process.
 * Real Ray (a RayJob to SUCCEEDED, job logs) is test/e2e/ts-client.test.ts.
 */

async function setup(t: TestContext): Promise<{ client: RayClient; ns: string; kubeconfig: string }> {
  const cluster = await testCluster();
  await installCrds(cluster.client);
  const ns = await testNamespace(t, 'tsclient');
  const client = connect({ kubeconfig: cluster.kubeconfig, namespace: ns });
  t.after(() => client.close());
  return { client, ns, kubeconfig: cluster.kubeconfig };
}

const kwok = { nodeSelector: { type: 'kwok' } };

test('builders produce objects the CRDs accept (server dry run of all four kinds)', async (t) => {
  const { client, ns } = await setup(t);
  const dry = { dryRun: true };
  const rc = await client.clusters.create(rayClusterManifest({ name: 'dry', workers: 2 }), dry);
  assert.equal(rc.metadata.namespace, ns);
  assert.equal(rc.spec.workerGroupSpecs?.[0]?.replicas, 2);
  const rj = await client.jobs.create(
    rayJobManifest({ name: 'dry', entrypoint: 'python -V', cluster: { workers: 1 } }),
    dry,
  );
  assert.equal(rj.spec.submissionMode, 'K8sJobMode', 'the CRD default is applied');
  const rs = await client.services.create(
    rayServiceManifest({ name: 'dry', serveConfig: { applications: [{ name: 'a', import_path: 'a:b' }] } }),
    dry,
  );
  assert.ok(rs.spec.serveConfigV2);
  const cron = await client.cronJobs.create(
    rayCronJobManifest({ name: 'dry', schedule: '*/5 * * * *', job: { entrypoint: 'python -V' } }),
    dry,
  );
  assert.equal(cron.spec.schedule, '*/5 * * * *');
  assert.deepEqual(await client.clusters.list(), [], 'a dry run stores nothing');
});

test('create, get, find, list, patch (merge and JSON), update, delete of every kind', async (t) => {
  const { client, ns } = await setup(t);
  const kinds = [
    { c: client.clusters, obj: rayClusterManifest({ name: 'crud', labels: { team: 'a' }, ...kwok }) },
    {
      c: client.jobs,
      obj: rayJobManifest({ name: 'crud', labels: { team: 'a' }, entrypoint: 'x', suspend: true }),
    },
    {
      c: client.services,
      obj: rayServiceManifest({ name: 'crud', labels: { team: 'a' }, serveConfig: 'applications: []\n' }),
    },
    {
      c: client.cronJobs,
      obj: rayCronJobManifest({
        name: 'crud',
        labels: { team: 'a' },
        schedule: '@hourly',
        suspend: true,
        job: { entrypoint: 'x' },
      }),
    },
  ] as const;
  for (const { c, obj } of kinds) {
    const kind = c.type.kind;
    // biome-ignore lint/suspicious/noExplicitAny: one loop over four differently typed clients
    const r = c as any;
    const created = await r.create(obj);
    assert.ok(created.metadata.uid, `${kind}: created`);
    assert.equal((await r.get('crud')).metadata.uid, created.metadata.uid, `${kind}: get`);
    assert.equal(await r.find('missing'), undefined, `${kind}: find of a missing one`);
    assert.deepEqual(
      (await r.list({ labelSelector: { team: 'a' } })).map((o: RayCluster) => o.metadata.name),
      ['crud'],
      `${kind}: list by label`,
    );
    assert.deepEqual(await r.list({ labelSelector: 'team=b' }), [], `${kind}: list, no match`);
    assert.ok(
      (await r.list({ allNamespaces: true })).some((o: RayCluster) => o.metadata.namespace === ns),
      `${kind}: list in all namespaces`,
    );
    const merged = await r.patch('crud', { metadata: { labels: { patched: 'merge' } } });
    assert.equal(merged.metadata.labels.patched, 'merge', `${kind}: merge patch`);
    const json = await r.patch('crud', [{ op: 'add', path: '/metadata/annotations', value: { a: 'json' } }], {
      type: 'json',
    });
    assert.equal(json.metadata.annotations.a, 'json', `${kind}: JSON patch`);
    json.metadata.labels.updated = 'yes';
    const updated = await r.update(json);
    assert.equal(updated.metadata.labels.updated, 'yes', `${kind}: update`);
    await assert.rejects(
      r.update(json),
      (e: unknown) => e instanceof ApiError && e.isConflict(),
      `${kind}: stale update`,
    );
    assert.equal(await r.delete('crud'), true, `${kind}: delete`);
    assert.equal(await r.delete('crud'), false, `${kind}: delete of a gone one`);
    await assert.rejects(r.get('crud'), (e: unknown) => isNotFound(e), `${kind}: get after delete`);
  }
});

test('bad input is a clear error before any request; server refusals keep the server message', async (t) => {
  const { client } = await setup(t);
  await assert.rejects(
    client.clusters.get(''),
    (e: unknown) => e instanceof ClientError && /^name: the RayCluster name is required/.test(e.message),
  );
  await assert.rejects(
    client.clusters.create({ kind: 'RayJob', metadata: { name: 'x' } } as never),
    /kind: expected RayCluster, got RayJob/,
  );
  await assert.rejects(
    client.jobs.waitFor('x', 'ready' as never),
    /condition: RayJob has no condition 'ready' \(known: running, terminal, succeeded, suspended\)/,
  );
  const bad = rayClusterManifest({ name: 'bad' });
  bad.spec.workerGroupSpecs = [{ groupName: 'g', minReplicas: 0, maxReplicas: 1, replicas: -1 } as never];
  await assert.rejects(client.clusters.create(bad), (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 422);
    assert.match(e.message, /workerGroupSpecs/);
    return true;
  });
});

test('server-side apply: create, change owned fields, conflicts with another manager unless forced', async (t) => {
  const { client } = await setup(t);
  const base = rayClusterManifest({ name: 'ssa', workers: 1, ...kwok });
  const first = await client.clusters.apply(base);
  assert.equal(first.spec.workerGroupSpecs?.[0]?.replicas, 1);
  const managers = (first.metadata as { managedFields?: { manager?: string; operation?: string }[] })
    .managedFields;
  assert.ok(managers?.some((m) => m.manager === 'kuberay-ts-client' && m.operation === 'Apply'));
  const grown = rayClusterManifest({ name: 'ssa', workers: 2, ...kwok });
  assert.equal(
    (await client.clusters.apply(grown)).spec.workerGroupSpecs?.[0]?.replicas,
    2,
    'same manager changes its field',
  );
  const other = rayClusterManifest({ name: 'ssa', workers: 3, ...kwok });
  await assert.rejects(
    client.clusters.apply(other, { fieldManager: 'someone-else' }),
    (e: unknown) => e instanceof ApiError && e.status === 409,
  );
  const forced = await client.clusters.apply(other, { fieldManager: 'someone-else', force: true });
  assert.equal(forced.spec.workerGroupSpecs?.[0]?.replicas, 3);
  const dry = await client.clusters.apply(rayClusterManifest({ name: 'ssa', workers: 1, ...kwok }), {
    fieldManager: 'someone-else',
    dryRun: true,
  });
  assert.equal(dry.spec.workerGroupSpecs?.[0]?.replicas, 1);
  assert.equal(
    (await client.clusters.get('ssa')).spec.workerGroupSpecs?.[0]?.replicas,
    3,
    'dry run stored nothing',
  );
});

test('watch: ADDED, MODIFIED and DELETED events, by name; abort ends it', async (t) => {
  const { client } = await setup(t);
  // Watching from this resourceVersion delivers every later change, however late the watch opens.
  const other = await client.clusters.create(rayClusterManifest({ name: 'other', ...kwok }));
  const ac = new AbortController();
  const seen: RayWatchEvent<RayCluster>[] = [];
  const watching = (async () => {
    const events = client.clusters.watch({
      name: 'watched',
      resourceVersion: other.metadata.resourceVersion,
      signal: ac.signal,
    });
    for await (const ev of events) {
      seen.push(ev);
      if (ev.type === 'DELETED') ac.abort(new Error('seen the deletion'));
    }
  })();
  // Handled from the start: the deletion's event can end the watch before delete() has returned, and a
  // rejection without a handler by then fails the test as unhandled.
  const ended = assert.rejects(watching, /seen the deletion/);
  await client.clusters.create(rayClusterManifest({ name: 'watched', ...kwok }));
  await client.clusters.patch('watched', { metadata: { labels: { step: 'two' } } });
  await client.clusters.delete('watched');
  await ended;
  assert.equal(seen[0]?.type, 'ADDED');
  assert.equal(seen.at(-1)?.type, 'DELETED');
  assert.ok(seen.some((e) => e.type === 'MODIFIED' && e.object.metadata.labels?.step === 'two'));
  assert.ok(
    seen.every((e) => e.object.metadata.name === 'watched'),
    'only the named object',
  );
});

test('waitFor with the operator: a cluster on KWOK gets ready; a RayJob past its deadline never succeeds', {
  timeout: 240_000,
}, async (t) => {
  const { client, ns, kubeconfig } = await setup(t);
  startOperatorProcess(t, { kubeconfig, watchNamespace: ns });

  const created = await client.clusters.create(rayClusterManifest({ name: 'ready', workers: 2, ...kwok }));
  const ready = await client.waitFor(created, 'ready', { timeoutMs: 120_000 });
  assert.equal(ready.status?.state, 'ready');
  assert.equal(ready.status?.readyWorkerReplicas, 2);

  // A condition of your own, on the same watch machinery.
  const withHead = await client.clusters.waitFor(
    'ready',
    (c) => ({ done: Boolean(c.status?.head?.serviceName) }),
    {
      timeoutMs: 60_000,
    },
  );
  assert.equal(withHead.status?.head?.serviceName, 'ready-head-svc');

  // Timeout and abort against the real server: the cluster never suspends.
  await assert.rejects(client.waitFor(ready, 'suspended', { timeoutMs: 1500 }), (e: unknown) => {
    assert.ok(e instanceof WaitTimeoutError);
    assert.match(e.message, /timed out after 1500 ms waiting for RayCluster .*\/ready: state ready/);
    return true;
  });
  const ac = new AbortController();
  const waiting = client.clusters.waitFor('ready', 'suspended', { signal: ac.signal });
  setTimeout(() => ac.abort(new Error('stopped by the caller')), 200);
  await assert.rejects(waiting, /stopped by the caller/);

  // Suspend, then wait for it.
  await client.clusters.patch('ready', { spec: { suspend: true } });
  assert.equal(
    (await client.clusters.waitFor('ready', 'suspended', { timeoutMs: 120_000 })).status?.state,
    'suspended',
  );

  // Job submission goes through the head service's proxy path.
  const jobs = await client.jobSubmission(ready);
  assert.match(
    jobs.description,
    new RegExp(`/api/v1/namespaces/${ns}/services/ready-head-svc:dashboard/proxy$`),
  );

  // A RayJob whose deadline passes: terminal (Failed, DeadlineExceeded), and `succeeded` can never hold.
  const job = await client.jobs.create(
    rayJobManifest({
      name: 'late',
      entrypoint: 'python -c "import time; time.sleep(600)"',
      activeDeadlineSeconds: 1,
      cluster: { ...kwok },
    }),
  );
  await assert.rejects(client.waitFor(job, 'succeeded', { timeoutMs: 120_000 }), (e: unknown) => {
    assert.ok(e instanceof WaitConditionError, String(e));
    assert.match(
      e.message,
      /the RayJob ended without succeeding: jobDeploymentStatus Failed.*reason DeadlineExceeded/,
    );
    return true;
  });
  const ended = await client.jobs.waitFor('late', 'terminal', { timeoutMs: 10_000 });
  assert.equal(ended.status?.jobDeploymentStatus, 'Failed');

  // The object vanishing while waited on.
  await client.clusters.create(rayClusterManifest({ name: 'doomed', ...kwok }));
  const { promise: read, resolve: markRead } = Promise.withResolvers<void>();
  const doomed = client.clusters.waitFor(
    'doomed',
    () => {
      markRead();
      return { done: false };
    },
    { timeoutMs: 60_000 },
  );
  await read; // waitFor has read the object: the deletion comes after its resourceVersion
  const outcome = doomed.then(
    () => new Error('waitFor resolved'),
    (e: unknown) => e,
  );
  await client.clusters.delete('doomed');
  const err = await outcome;
  assert.ok(err instanceof WaitConditionError, String(err));
  assert.match(err.message, /RayCluster .*\/doomed was deleted while waiting/);
});
