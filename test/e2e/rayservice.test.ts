import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { raySkip, useOperatorCluster } from '../support/e2e.ts';
import { eventually } from '../support/eventually.ts';
import { createNamespace } from '../support/local-cluster.ts';
import {
  describePoll,
  greeterConfigMap,
  greeterRayService,
  serveConfig,
  startPoller,
} from './fixtures/serve.ts';

/**
 * End to end with real Ray Serve: a RayService (the operator as its own process) becomes Ready and serves HTTP
 * through `<rs>-serve-svc`; then, with a client polling all along, a serveConfigV2 change is applied in place
 * and a rayClusterConfig change is rolled out as a new cluster (blue/green), with no failed request. Then, on
 * the same RayService, its head pod is deleted without GCS fault tolerance (docs/reliability.md): the head is
 * recreated, the Serve config is submitted again and HTTP answers again.
 */
const skip = raySkip;

const e2e = useOperatorCluster();

/** The RayService's serve Service, as a client in the cluster calls it. */
const serveUrl = (name: string, ns: string) => `http://${name}-serve-svc.${ns}.svc.cluster.local:8000/greet`;

/** Waits until `poller` has had `answer` once (a minute at most). */
const waitForAnswer = (poller: ReturnType<typeof startPoller>, answer: string) =>
  eventually(
    () =>
      assert.ok(poller.snapshot().answers.has(answer), `answers so far: ${describePoll(poller.snapshot())}`),
    { timeoutMs: 60_000 },
  );

interface Condition {
  type: string;
  status: string;
  reason?: string;
}
interface RayServiceObj {
  metadata: { generation: number; resourceVersion?: string };
  status?: {
    conditions?: Condition[];
    observedGeneration?: number;
    activeServiceStatus?: {
      rayClusterName?: string;
      applicationStatuses?: Record<string, { status: string }>;
    };
    pendingServiceStatus?: { rayClusterName?: string };
  };
}

const onFailure = (err: unknown) => e2e.onFailure(err);

/** The RayService the first test leaves running (after its upgrade), reused by the head-loss test. */
let running: { ns: string; name: string; cluster: string } | undefined;

test('a RayService serves HTTP, then upgrades its serve config in place and its cluster as a new cluster with no failed request', {
  skip,
}, async (t) => {
  const ns = await createNamespace(e2e.lc.client, 'rs');
  const name = 'greeter';
  const rsPath = `/apis/ray.io/v1/namespaces/${ns}/rayservices/${name}`;
  const getRs = () => e2e.lc.client.request<RayServiceObj>('GET', rsPath);
  const patchRs = (spec: Record<string, unknown>) =>
    e2e.lc.client.request('PATCH', rsPath, { body: { spec }, contentType: 'application/merge-patch+json' });
  await e2e.lc.client.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: greeterConfigMap() });
  await e2e.lc.client.request('POST', `/apis/ray.io/v1/namespaces/${ns}/rayservices`, {
    body: greeterRayService({
      name,
      message: 'hello-v1',
      revision: 'r1',
      // The old cluster goes 10 s after the switch (default 60 s), while the client still polls.
      spec: { rayClusterDeletionDelaySeconds: 10 },
    }),
  });

  // Ready: the Serve app runs and the serve Service has endpoints. Ray on a loaded 2-core machine is slow.
  const first = await eventually(
    async () => {
      const rs = await getRs();
      const ready = rs.status?.conditions?.find((c) => c.type === 'Ready');
      assert.equal(ready?.status, 'True', `Ready: ${JSON.stringify(rs.status ?? {})}`);
      return rs;
    },
    { timeoutMs: 600_000, intervalMs: 2000 },
  ).catch(onFailure);
  const firstCluster = first.status?.activeServiceStatus?.rayClusterName;
  assert.ok(firstCluster, 'the active cluster is named');
  assert.equal(first.status?.activeServiceStatus?.applicationStatuses?.greeter?.status, 'RUNNING');

  const poller = startPoller(serveUrl(name, ns), e2e.lc.node.lookup);
  try {
    await waitForAnswer(poller, 'hello-v1 r1');
    // Before the first answer the serve Service may still have been settling: count failures from here on.
    const failuresBefore = poller.snapshot().failures.length;

    // (a) serveConfigV2 change: applied to the running cluster (in place), the answer changes.
    await patchRs({ serveConfigV2: serveConfig('hello-v2') });
    await eventually(
      () =>
        assert.ok(
          poller.snapshot().answers.has('hello-v2 r1'),
          `answers so far: ${describePoll(poller.snapshot())}`,
        ),
      { timeoutMs: 300_000, intervalMs: 500 },
    ).catch(onFailure);
    assert.equal((await getRs()).status?.activeServiceStatus?.rayClusterName, firstCluster, 'no new cluster');

    // (b) rayClusterConfig change (a new env value in the pod template): a new cluster is prepared, gets the
    // Serve app, and the Services switch to it.
    const next = greeterRayService({ name, message: 'hello-v2', revision: 'r2' }) as {
      spec: { rayClusterConfig: unknown };
    };
    await patchRs({ rayClusterConfig: next.spec.rayClusterConfig });
    const upgraded = await eventually(
      async () => {
        const rs = await getRs();
        const active = rs.status?.activeServiceStatus?.rayClusterName;
        assert.ok(active && active !== firstCluster, `active cluster still ${active}`);
        assert.ok(
          poller.snapshot().answers.has('hello-v2 r2'),
          `answers so far: ${describePoll(poller.snapshot())}`,
        );
        return active;
      },
      { timeoutMs: 600_000, intervalMs: 1000 },
    ).catch(onFailure);

    // The old cluster is deleted after the delay; the client keeps being served by the new one.
    await eventually(
      async () => {
        const list = await e2e.lc.client.request<{ items: { metadata: { name: string } }[] }>(
          'GET',
          `/apis/ray.io/v1/namespaces/${ns}/rayclusters`,
        );
        assert.deepEqual(
          list.items.map((c) => c.metadata.name),
          [upgraded],
        );
      },
      { timeoutMs: 180_000, intervalMs: 1000 },
    ).catch(onFailure);

    const result = await poller.stop();
    t.diagnostic(`poller: ${describePoll(result)}`);
    assert.deepEqual(result.failures.slice(failuresBefore), [], `failed requests: ${describePoll(result)}`);
    assert.ok((result.answers.get('hello-v1 r1') ?? 0) > 0, describePoll(result));
    assert.ok((result.answers.get('hello-v2 r1') ?? 0) > 0, describePoll(result));
    assert.ok((result.answers.get('hello-v2 r2') ?? 0) > 0, describePoll(result));
    assert.deepEqual(
      [...result.answers.keys()],
      ['hello-v1 r1', 'hello-v2 r1', 'hello-v2 r2'],
      describePoll(result),
    );
    running = { ns, name, cluster: upgraded };
  } finally {
    await poller.stop();
  }
});

interface PodObj {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  status?: { podIP?: string; conditions?: Condition[] };
}

test('the head pod of the RayService deleted without GCS fault tolerance: a new head, the Serve app submitted again, Ready, HTTP answers again', {
  skip,
}, async (t) => {
  if (!running) {
    t.skip('the test before did not leave a running RayService (it failed or was skipped)');
    return;
  }
  const { ns, name, cluster } = running;
  const client = e2e.lc.client;
  const getRs = () =>
    client.request<RayServiceObj>('GET', `/apis/ray.io/v1/namespaces/${ns}/rayservices/${name}`);
  const heads = async () =>
    (
      await client.request<{ items: PodObj[] }>('GET', `/api/v1/namespaces/${ns}/pods`, {
        query: { labelSelector: `ray.io/cluster=${cluster},ray.io/node-type=head` },
      })
    ).items.filter((p) => !p.metadata.deletionTimestamp);
  const [before] = await heads();
  assert.ok(before, `a head pod of ${cluster}`);
  // How many times the operator submitted the serve config to this cluster, from its log (its
  // UpdatedServeApplications events may be dropped by the event spam filter after this many changes).
  const serveSubmits = () => {
    const log = e2e.operator ? readFileSync(e2e.operator.logFile, 'utf8') : '';
    return log.split('\n').filter((l) => l.includes('submitted serve config') && l.includes(cluster)).length;
  };

  const poller = startPoller(serveUrl(name, ns), e2e.lc.node.lookup);
  try {
    await waitForAnswer(poller, 'hello-v2 r2');
    const failuresBefore = poller.snapshot().failures.length;
    const submitsBefore = serveSubmits();
    const deletedAt = Date.now();
    await client.request('DELETE', `/api/v1/namespaces/${ns}/pods/${before.metadata.name}`);

    // Until the new head serves, the RayService is not Ready (no serve endpoint) and requests fail. `marks`:
    // when each step of the recovery was first seen (seconds after the delete), for the report.
    const readySeen: string[] = [];
    const marks = new Map<string, string>();
    const mark = (what: string) => {
      if (!marks.has(what)) marks.set(what, ((Date.now() - deletedAt) / 1000).toFixed(0));
    };
    const readyNow = async () => {
      const rs = await getRs();
      const ready = rs.status?.conditions?.find((c) => c.type === 'Ready');
      const seen = `${ready?.status}/${ready?.reason}`;
      if (readySeen.at(-1) !== seen) readySeen.push(seen);
      return { rs, ready };
    };
    await eventually(async () => assert.notEqual((await readyNow()).ready?.status, 'True', 'still Ready'), {
      timeoutMs: 120_000,
      intervalMs: 500,
    }).catch(onFailure);
    mark('not Ready');
    const back = await eventually(
      async () => {
        const { rs, ready } = await readyNow();
        const [head] = await heads();
        assert.ok(head && head.metadata.uid !== before.metadata.uid, 'a new head pod');
        mark('new head pod');
        if (head.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
          mark('new head Ready');
        assert.equal(
          rs.status?.activeServiceStatus?.applicationStatuses?.greeter?.status,
          'RUNNING',
          `the app on the new head: ${JSON.stringify(rs.status?.activeServiceStatus ?? {})}`,
        );
        mark('app RUNNING');
        assert.equal(ready?.status, 'True', `Ready: ${JSON.stringify(ready)}`);
        mark('Ready');
        const failures = poller.snapshot().failures.length;
        assert.ok(failures > failuresBefore, 'the outage was seen by the client');
        const okAfter = poller.snapshot().ok;
        return { rs, head, okAfter };
      },
      { timeoutMs: 600_000, intervalMs: 1000 },
    ).catch(onFailure);
    // HTTP through the serve Service answers again, from the new head (its only endpoint).
    await eventually(
      () => assert.ok(poller.snapshot().ok > back.okAfter, `answers: ${describePoll(poller.snapshot())}`),
      { timeoutMs: 120_000, intervalMs: 500 },
    ).catch(onFailure);
    const slices = await client.request<{
      items: { endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] }[];
    }>('GET', `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, {
      query: { labelSelector: `kubernetes.io/service-name=${name}-serve-svc` },
    });
    const [head] = await heads();
    assert.ok(head?.status?.podIP, 'the new head has an IP');
    assert.deepEqual(
      slices.items
        .flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false))
        .flatMap((e) => e.addresses),
      [head.status.podIP],
      'the serve Service has the new head as its endpoint',
    );
    // The new head started without Serve applications (no GCS FT): the operator submitted the config again.
    assert.ok(serveSubmits() > submitsBefore, `the serve config submitted again to ${cluster}`);
    const result = await poller.stop();
    const outage = result.failures.slice(failuresBefore);
    const lastFailure = outage.at(-1);
    assert.ok(lastFailure, 'requests failed while there was no head');
    const since = (at: string) => ((Date.parse(at) - deletedAt) / 1000).toFixed(0);
    marks.set('first failed request', since(outage[0]!.at));
    marks.set('last failed request', since(lastFailure.at));
    // The same cluster (a head loss is not a spec change: no new cluster), the latest answer.
    assert.equal(back.rs.status?.activeServiceStatus?.rayClusterName, cluster, 'the same active cluster');
    assert.equal(back.rs.status?.pendingServiceStatus?.rayClusterName ?? '', '', 'no pending cluster');
    assert.deepEqual([...result.answers.keys()], ['hello-v2 r2'], describePoll(result));
    t.diagnostic(
      `head ${before.metadata.name} replaced by ${back.head.metadata.name}; HTTP failed for ` +
        `${((Date.parse(lastFailure.at) - Date.parse(outage[0]!.at)) / 1000).toFixed(1)} s (${outage.length} failed requests); ` +
        `Ready seen: ${readySeen.join(' -> ')}; first seen (s after the delete): ${[...marks]
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    );
  } finally {
    await poller.stop();
  }
});
