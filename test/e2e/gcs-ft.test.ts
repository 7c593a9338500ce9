import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { raySkip, useOperatorCluster } from '../support/e2e.ts';
import { eventually } from '../support/eventually.ts';
import { createNamespace } from '../support/local-cluster.ts';
import { redisObjects } from './fixtures/redis.ts';
import {
  describePoll,
  greeterConfigMap,
  greeterRayService,
  type PollResult,
  startPoller,
} from './fixtures/serve.ts';

/**
 * End to end: GCS fault tolerance with an external Redis (Debian's redis-server on the local node). A
 * RayService whose head keeps no CPUs (the Serve replica and the traffic are on the worker, and the head pod
 * is kept out of the serve Service) answers while its head pod is deleted and recreated: the worker's proxy and
 * replica keep serving, the new head's GCS reloads the cluster state from Redis, and the cluster comes back
 * ready with the same Serve app. Deleting the RayService then runs the Redis cleanup Job behind the
 * `ray.io/gcs-ft-redis-cleanup-finalizer`, which empties Redis.
 */
const skip = raySkip;

const e2e = useOperatorCluster();

interface PodObj {
  metadata: { name: string; uid: string; deletionTimestamp?: string; labels?: Record<string, string> };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { restartCount: number }[];
  };
}
interface RayServiceObj {
  status?: {
    conditions?: { type: string; status: string }[];
    activeServiceStatus?: {
      rayClusterName?: string;
    };
  };
}

const onFailure = (err: unknown) => e2e.onFailure(err);
const isReady = (p: PodObj) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

test('with GCS FT on Redis, the Serve app keeps answering while the head pod is deleted and recreated; deletion cleans Redis', {
  skip,
}, async (t) => {
  const ns = await createNamespace(e2e.lc.client, 'ft');
  const name = 'greeter';
  const rsPath = `/apis/ray.io/v1/namespaces/${ns}/rayservices/${name}`;
  const getRs = () => e2e.lc.client.request<RayServiceObj>('GET', rsPath);
  const pods = async (selector: string) =>
    (
      await e2e.lc.client.request<{ items: PodObj[] }>('GET', `/api/v1/namespaces/${ns}/pods`, {
        query: { labelSelector: selector },
      })
    ).items;
  const redis = redisObjects(ns);
  for (const { path, body } of redis.objects) await e2e.lc.client.request('POST', path, { body });
  await e2e.lc.client.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: greeterConfigMap() });
  await e2e.lc.client.request('POST', `/apis/ray.io/v1/namespaces/${ns}/rayservices`, {
    body: greeterRayService({
      name,
      message: 'hello-ft',
      revision: 'r1',
      workers: 1,
      spec: { excludeHeadPodFromServeSvc: true },
      clusterConfig: { gcsFaultToleranceOptions: redis.faultToleranceOptions },
    }),
  });
  const redisCli = async (...args: string[]) => {
    const [pod] = await pods('app=redis');
    const r = await e2e.lc.node.exec(ns, pod!.metadata.name, [
      'redis-cli',
      '-a',
      redis.password,
      '--no-auth-warning',
      ...args,
    ]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  };

  const ready = await eventually(
    async () => {
      const rs = await getRs();
      const cond = rs.status?.conditions?.find((c) => c.type === 'Ready');
      assert.equal(cond?.status, 'True', `Ready: ${JSON.stringify(rs.status ?? {})}`);
      return rs;
    },
    { timeoutMs: 600_000, intervalMs: 2000 },
  ).catch(onFailure);
  const cluster = ready.status!.activeServiceStatus!.rayClusterName!;
  assert.ok(Number(await redisCli('DBSIZE')) > 0, 'the GCS keeps its state in Redis');

  const url = `http://${name}-serve-svc.${ns}.svc.cluster.local:8000/greet`;
  // While the GCS is down and while the new head's Serve controller recovers, the worker's proxy can hold a
  // request for several seconds (seen: >10 s on a loaded 2-core machine) before answering it. That is a slow
  // answer, not a failed one, so each request may take up to a minute; the slowest is reported.
  const poller = startPoller(url, e2e.lc.node.lookup, { timeoutMs: 60_000 });
  let result: PollResult | undefined;
  try {
    await eventually(
      () => assert.ok(poller.snapshot().answers.has('hello-ft r1'), describePoll(poller.snapshot())),
      {
        timeoutMs: 60_000,
      },
    );
    const failuresBefore = poller.snapshot().failures.length;
    const [head] = await pods(`ray.io/cluster=${cluster},ray.io/node-type=head`);
    const [worker] = await pods(`ray.io/cluster=${cluster},ray.io/node-type=worker`);
    assert.ok(head && worker, 'one head and one worker');

    await e2e.lc.client.request('DELETE', `/api/v1/namespaces/${ns}/pods/${head.metadata.name}`);
    // While the head is gone, the worker keeps answering: wait until the old head pod is gone for good.
    await eventually(
      async () => {
        const heads = await pods(`ray.io/cluster=${cluster},ray.io/node-type=head`);
        assert.ok(!heads.some((p) => p.metadata.uid === head.metadata.uid), 'old head still there');
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    ).catch(onFailure);
    const okAtHeadGone = poller.snapshot().ok;
    // Successful answers counted while no new head was Ready yet (updated on each check below).
    let okWithoutHead = 0;

    // A new head starts, its GCS reloads the state from Redis, the same cluster is ready again, and the Serve
    // controller on the new head reports the same app RUNNING (read from its dashboard, not from the
    // RayService status, whose copy of the cluster status is refreshed only on meaningful changes).
    await eventually(
      async () => {
        const heads = await pods(`ray.io/cluster=${cluster},ray.io/node-type=head`);
        if (!heads.some(isReady)) okWithoutHead = poller.snapshot().ok - okAtHeadGone;
        assert.equal(heads.length, 1);
        assert.notEqual(heads[0]!.metadata.uid, head.metadata.uid);
        assert.ok(isReady(heads[0]!), 'new head not ready yet');
        const rc = await e2e.lc.client.request<{ status?: { state?: string; head?: { podName?: string } } }>(
          'GET',
          `/apis/ray.io/v1/namespaces/${ns}/rayclusters/${cluster}`,
        );
        assert.equal(rc.status?.state, 'ready');
        assert.equal(rc.status?.head?.podName, heads[0]!.metadata.name);
        const serve = await getJson<{
          applications: Record<string, { status: string }>;
          controller_info?: { node_instance_id?: string };
        }>(
          `http://${cluster}-head-svc.${ns}.svc.cluster.local:8265/api/serve/applications/`,
          e2e.lc.node.lookup,
        );
        assert.equal(serve.applications.greeter?.status, 'RUNNING');
        assert.equal(
          serve.controller_info?.node_instance_id,
          heads[0]!.metadata.name,
          'controller on new head',
        );
        const rs = await getRs();
        assert.equal(rs.status?.activeServiceStatus?.rayClusterName, cluster, 'same cluster');
        assert.equal(rs.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
      },
      { timeoutMs: 600_000, intervalMs: 2000 },
    ).catch(onFailure);
    // The worker was never replaced or restarted: it served throughout.
    const [workerNow] = await pods(`ray.io/cluster=${cluster},ray.io/node-type=worker`);
    assert.equal(workerNow?.metadata.uid, worker.metadata.uid, 'same worker pod');
    assert.equal(workerNow?.status?.containerStatuses?.[0]?.restartCount, 0, 'worker not restarted');
    // A few more answers with the new head in place.
    const okAtRecovery = poller.snapshot().ok;
    await eventually(() => assert.ok(poller.snapshot().ok >= okAtRecovery + 20), { timeoutMs: 60_000 });

    result = await poller.stop();
    t.diagnostic(
      `poller: ${describePoll(result)}; answered with no head pod Ready: at least ${okWithoutHead}`,
    );
    assert.deepEqual(result.failures.slice(failuresBefore), [], `failed requests: ${describePoll(result)}`);
    assert.deepEqual([...result.answers.keys()], ['hello-ft r1'], describePoll(result));
    assert.ok(okWithoutHead > 0, 'the worker answered while there was no head');
  } finally {
    await poller.stop();
  }

  // Deletion: the cluster's finalizer runs the Redis cleanup Job, which deletes the cluster's keys.
  await e2e.lc.client.request('DELETE', rsPath);
  await eventually(
    async () => {
      const list = await e2e.lc.client.request<{ items: unknown[] }>(
        'GET',
        `/apis/ray.io/v1/namespaces/${ns}/rayclusters`,
      );
      assert.equal(list.items.length, 0, 'the RayCluster is gone');
    },
    { timeoutMs: 300_000, intervalMs: 1000 },
  ).catch(onFailure);
  const events = await e2e.lc.client.request<{
    items: { reason: string; involvedObject: { name: string } }[];
  }>('GET', `/api/v1/namespaces/${ns}/events`);
  assert.ok(
    events.items.some((e) => e.reason === 'CreatedRedisCleanupJob' && e.involvedObject.name === cluster),
    'a Redis cleanup Job was created',
  );
  assert.equal(await redisCli('DBSIZE'), '0', 'the cleanup Job emptied Redis');
});

/** GET a JSON document, resolving Service names with `lookup` (5 s timeout). */
function getJson<T>(url: string, lookup: http.AgentOptions['lookup']): Promise<T> {
  return new Promise((resolve, reject) => {
    const agent = new http.Agent({ lookup });
    const req = http.get(url, { agent, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => {
        agent.destroy();
        if (res.statusCode !== 200)
          reject(new Error(`GET ${url}: HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
        else resolve(JSON.parse(body) as T);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on('error', (e) => {
      agent.destroy();
      reject(e);
    });
  });
}
