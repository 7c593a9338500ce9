import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KubeClient } from '../../src/k8s/client.ts';
import { loadKubeconfig } from '../../src/k8s/kubeconfig.ts';
import { Resources } from '../../src/k8s/resources.ts';
import { eventually, testCluster, testNamespace } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import { startOperatorProcess } from '../support/operator-process.ts';
import { DesiredClusters, type Spec } from './clusters.ts';
import { profile } from './profile.ts';

/**
 * Control-plane faults between the operator and a real API server, through a fault-injecting proxy: requests
 * answered with 429/500, every watch cut (an API server restart), every watch expired with 410 Gone (an etcd
 * compaction), every watch stalled without a word (a wedged connection). Changes are made while each fault
 * lasts; afterwards the namespace must converge (exact pods, no orphans), the operator must still run, and
 * the requests it sent during the fault must stay bounded (a backoff, not a hot loop). The long profile
 * (`KUBERAY_TS_CHAOS=long`) keeps the error window open longer and repeats the rounds.
 */
const { errorSeconds, rounds } = profile({
  short: { errorSeconds: 20, rounds: 1 },
  long: { errorSeconds: 120, rounds: 5 },
});

test('API server faults: 429/500, cut, expired and stalled watches; the operator converges with bounded requests', async (t) => {
  const cluster = await testCluster();
  await installCrds(cluster.client);
  const ns = await testNamespace(t, 'faults');
  const admin = KubeClient.fromAccess(loadKubeconfig(cluster.kubeconfig), {
    qps: 0,
    userAgent: 'chaos-test',
  });
  t.after(() => admin.rest.close());
  const proxy = await startFaultProxy(loadKubeconfig(cluster.kubeconfig));
  t.after(() => proxy.close());
  const dir = mkdtempSync(join(tmpdir(), 'kuberay-ts-faults-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The stalled watches of step 4 are dropped once silent for the idle timeout: 5 s here (test-only knob)
  // instead of 90 s. It applies once a watch has sent something: a watch on a resource nobody writes gets no
  // bookmark and is left open. Watches between two bookmarks are reopened every 5 s, which the bounds allow for.
  const idleTimeoutSeconds = 5;
  const op = startOperatorProcess(t, {
    kubeconfig: proxy.kubeconfig(dir),
    watchNamespace: ns,
    env: { KUBERAY_TS_WATCH_IDLE_TIMEOUT: `${idleTimeoutSeconds}s` },
  });

  const desired = new DesiredClusters(admin, ns);
  const put = (name: string, s: Spec) => desired.put(name, s);
  const remove = (name: string) => desired.remove(name);
  const want = desired.want;
  const converge = async (what: string): Promise<number> => {
    const started = performance.now();
    for (;;) {
      const problems = await desired.divergence();
      if (problems.length === 0) return (performance.now() - started) / 1000;
      if (performance.now() - started >= 180_000) {
        // What the operator said last, to tell a stuck operator from a slow one.
        const said = op.logs
          .filter((l) => l.level !== 'info' && l.level !== 'debug')
          .slice(-15)
          .map((l) => JSON.stringify(l).slice(0, 400));
        assert.fail(
          `${what}: not converged after 180 s (operator exit ${op.child.exitCode ?? op.child.signalCode ?? 'none'}):\n` +
            `${problems.join('\n')}\noperator's last warnings and errors:\n${said.join('\n')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const report: string[] = [];
  let next = 0;
  for (let i = 0; i < 4; i++) await put(`c${next++}`, { workers: 2, suspend: false, rev: 0 });
  await converge('start');

  for (let round = 1; round <= rounds; round++) {
    // 1. Half of the requests (Leases aside: an operator that cannot renew its lease exits by design) answered
    //    with 429 (Retry-After: 1) or 500 while clusters are scaled, created and deleted.
    proxy.resetCounts();
    proxy.failRequests(0.5, (_m, path) => !path.includes('/leases'));
    const names = [...want.keys()];
    await put(names[0]!, { workers: 4, suspend: false, rev: round });
    await put(names[1]!, { workers: 0, suspend: false, rev: 0 });
    await remove(names[2]!);
    await put(`c${next++}`, { workers: 3, suspend: false, rev: 0 });
    await put(`c${next++}`, { workers: 1, suspend: false, rev: 0 });
    await new Promise((r) => setTimeout(r, errorSeconds * 1000));
    proxy.failRequests(0);
    const errors = proxy.counts();
    // A hot loop would send hundreds of requests a second (the client's rate limit is 100/s).
    assert.ok(
      errors.total <= errorSeconds * 25,
      `${errors.total} requests in ${errorSeconds} s of errors (${errors.failed} failed): a hot loop?`,
    );
    const afterErrors = await converge('after 429/500');
    report.push(
      `429/500 on half the requests for ${errorSeconds} s: ${errors.total} requests (${errors.failed} failed), converged ${afterErrors.toFixed(1)} s after`,
    );

    // 2. Every watch cut at once (an API server restart), with a change made at the same moment.
    proxy.resetCounts();
    const cut = proxy.cutWatches();
    assert.ok(cut > 0, 'the operator had watches open');
    await put(names[3]!, { workers: 3, suspend: false, rev: 0 });
    const afterCut = await converge('after the watches were cut');
    // The namespace can converge before every watch is back (only some informers carry this change; each
    // reopens after its own backoff): wait for all of them before counting.
    const allOpen = () =>
      eventually(
        () => assert.ok(proxy.openWatches() >= cut, `${proxy.openWatches()} of ${cut} watches open`),
        { timeoutMs: 60_000 },
      );
    await allOpen();
    const reopened = proxy.counts().watches;
    assert.ok(reopened >= cut, `${cut} watches cut, ${reopened} reopened`);
    report.push(`${cut} watches cut: ${reopened} reopened, converged in ${afterCut.toFixed(1)} s`);

    // 3. Every watch expired (410 Gone, as after an etcd compaction): the informers relist and watch again;
    //    changes made meanwhile are not missed (a scale-up only the operator acts on; a deletion).
    proxy.resetCounts();
    proxy.expireNextWatches(cut);
    proxy.cutWatches();
    await put(names[3]!, { workers: 1, suspend: false, rev: 0 });
    await remove(names[0]!);
    const afterGone = await converge('after 410 Gone');
    await allOpen();
    const gone = proxy.counts();
    assert.ok(gone.watches >= 2 * cut, `${gone.watches} watch requests: each expired watch is opened again`);
    assert.ok(gone.total < 40 * cut, `${gone.total} requests to recover ${cut} expired watches: a hot loop?`);
    report.push(
      `${cut} watches expired (410): ${gone.total} requests to relist and rewatch, converged in ${afterGone.toFixed(1)} s`,
    );

    // 4. Every watch stalled: open, silent. The informers drop a watch that has delivered an event and then stays
    //    silent for longer than the idle timeout, and reopen it, so a change made now still arrives (only the
    //    operator creates these pods). A watch that has delivered nothing since it opened is left to the server's
    //    timeout (5-10 min, as client-go does): on a resource nobody writes the API server sends no bookmark, and
    //    reopening such watches was the operator's only traffic while idle. So first the RayCluster and pod
    //    watches reopened in step 3 get an event each: a touch of every cluster and of one pod.
    const touch = { metadata: { annotations: { 'kuberay-ts.test/touch': String(round) } } };
    for (const name of want.keys()) await admin.patch(Resources.rayClusters, ns, name, touch);
    const [aPod] = (
      await admin.list(Resources.pods, { namespace: ns, labelSelector: { 'ray.io/node-type': 'head' } })
    ).items;
    assert.ok(aPod, 'a head pod to touch');
    await admin.patch(Resources.pods, ns, aPod.metadata.name ?? '', touch);
    await eventually(
      () => {
        const delivered = proxy.deliveredWatches();
        for (const kind of ['/rayclusters', '/pods'])
          assert.ok(
            delivered.some((p) => p.endsWith(kind)),
            `the operator's ${kind} watch has delivered an event (${delivered.join(', ')})`,
          );
      },
      { timeoutMs: 30_000 },
    );
    const stalled = proxy.stallWatches();
    assert.ok(stalled >= cut, `${stalled} of ${cut} watches stalled`);
    await put(names[1]!, { workers: 2, suspend: false, rev: 0 });
    const afterStall = await converge('after the watches stalled');
    // Well under the 90 s default: the operator took the shorter timeout (and it is what ended the stall).
    assert.ok(
      afterStall < 60,
      `converged ${afterStall.toFixed(1)} s after the stall: the idle timeout not taken?`,
    );
    report.push(
      `${stalled} watches stalled: converged in ${afterStall.toFixed(1)} s (watch idle timeout ${idleTimeoutSeconds} s)`,
    );
  }
  assert.equal(op.child.exitCode, null, 'the operator is still running');
  assert.equal(op.child.signalCode, null, 'the operator is still running');
  for (const line of report) t.diagnostic(line);
});
