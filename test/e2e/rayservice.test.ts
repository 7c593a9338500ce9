import assert from 'node:assert/strict';
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
 * and a rayClusterConfig change is rolled out as a new cluster (blue/green), with no failed request.
 */
const skip = raySkip;

const e2e = useOperatorCluster();

interface Condition {
  type: string;
  status: string;
  reason?: string;
}
interface RayServiceObj {
  metadata: { generation: number };
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

  const url = `http://${name}-serve-svc.${ns}.svc.cluster.local:8000/greet`;
  const poller = startPoller(url, e2e.lc.node.lookup);
  try {
    await eventually(
      () =>
        assert.ok(
          poller.snapshot().answers.has('hello-v1 r1'),
          `answers so far: ${describePoll(poller.snapshot())}`,
        ),
      { timeoutMs: 60_000 },
    );
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
  } finally {
    await poller.stop();
  }
});
