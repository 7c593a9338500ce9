import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { KubeClient } from '../../src/k8s/client.ts';
import { loadKubeconfig } from '../../src/k8s/kubeconfig.ts';
import { Resources } from '../../src/k8s/resources.ts';
import { LEADER_LEASE_NAME, type Lease } from '../../src/runtime/leader-election.ts';
import { startAuditedControlPlane } from '../support/audited-control-plane.ts';
import { installCrds } from '../support/crds.ts';
import { eventually } from '../support/eventually.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { type OperatorProcess, startOperatorProcess } from '../support/operator-process.ts';
import { DesiredClusters, type Spec } from './clusters.ts';
import { profile } from './profile.ts';

/**
 * Two operator replicas with leader election, each behind its own proxy that impersonates a user of its own
 * (replica-a, replica-b), so the API server's audit log tells whose every write was. The leader is paused
 * (SIGSTOP) past its lease and resumed, then the new leader is cut off from the API server (a partition) and
 * healed. Checked: the standby takes over and the clusters converge to changes made meanwhile; the deposed
 * leader exits; and, from the audit log, the replicas never wrote at the same time: the writers, in time
 * order, change only at the two hand-overs, and no second of the log has writes from both. The failover times
 * (from the fault to the new holder's first renewal) are reported. Long profile: the rounds repeat.
 */
const { rounds } = profile({ short: { rounds: 1 }, long: { rounds: 5 } });

interface AuditWrite {
  at: number;
  who: string;
  what: string;
}

function auditWrites(path: string): AuditWrite[] {
  const writes: AuditWrite[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as {
      stage: string;
      verb: string;
      impersonatedUser?: { username?: string };
      objectRef?: { resource?: string; subresource?: string; name?: string };
      responseStatus?: { code?: number };
      requestReceivedTimestamp: string;
    };
    const who = e.impersonatedUser?.username;
    if (e.stage !== 'ResponseComplete' || !who?.startsWith('replica-')) continue;
    if (!['create', 'update', 'patch', 'delete', 'deletecollection'].includes(e.verb)) continue;
    if (e.objectRef?.resource === 'leases') continue;
    if ((e.responseStatus?.code ?? 500) >= 400) continue;
    const r = e.objectRef;
    writes.push({
      at: Date.parse(e.requestReceivedTimestamp),
      who,
      what: `${e.verb} ${r?.resource}${r?.subresource ? `/${r.subresource}` : ''} ${r?.name ?? ''}`,
    });
  }
  return writes.sort((a, b) => a.at - b.at);
}

test('leader failover: a paused leader and a partitioned leader hand over, and two replicas never write at once', {
  timeout: 900_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'failover-chaos-'));
  const { cp, auditLog } = await startAuditedControlPlane(dir);
  after(() => cp.stop());
  const access = loadKubeconfig(cp.kubeconfig);
  const admin = KubeClient.fromAccess(access, { qps: 0, userAgent: 'chaos-test' });
  after(() => admin.rest.close());
  await installCrds(admin.rest, { timeoutMs: 120_000 });
  const ns = 'failover';
  await admin.create(Resources.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

  const replica = async (name: string) => {
    const proxy = await startFaultProxy(access, {
      headers: { 'Impersonate-User': name, 'Impersonate-Group': ['system:masters', 'system:authenticated'] },
    });
    after(() => proxy.close());
    return proxy;
  };
  const ops: OperatorProcess[] = [];
  // The replicas go before their kubeconfigs do: a replica that outlives its file logs a confusing ENOENT.
  after(() => {
    for (const op of ops)
      if (op.child.exitCode === null && op.child.signalCode === null) op.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  let paused: OperatorProcess | undefined;
  const proxies: Record<string, FaultProxy> = {
    a: await replica('replica-a'),
    b: await replica('replica-b'),
  };
  const start = (r: 'a' | 'b') => {
    const op = startOperatorProcess(t, { kubeconfig: proxies[r]!.kubeconfig(dir), watchNamespace: ns });
    ops.push(op);
    return op;
  };
  const holder = async () =>
    (await admin.getOrUndefined<Lease>(Resources.leases, ns, LEADER_LEASE_NAME))?.spec?.holderIdentity;
  const identity = (op: OperatorProcess) => {
    const id = op.identity();
    assert.ok(id, 'the operator logged its identity');
    return id;
  };
  const waitHolder = async (op: OperatorProcess) =>
    eventually(async () => assert.equal(await holder(), identity(op)), { timeoutMs: 90_000 });

  const desired = new DesiredClusters(admin, ns);
  const put = (name: string, s: Spec) => desired.put(name, s);
  const converge = async (what: string) => {
    try {
      await eventually(
        async () => {
          const problems = await desired.divergence();
          assert.deepEqual(problems, [], what);
        },
        { timeoutMs: 120_000, intervalMs: 250 },
      );
    } catch (err) {
      for (const w of auditWrites(auditLog))
        console.error(`--- audit ${new Date(w.at).toISOString()} ${w.who} ${w.what}`);
      const pods = await admin.list(Resources.pods, { namespace: ns });
      console.error(
        `--- pods: ${pods.items.map((p) => `${p.metadata.name} ${p.metadata.creationTimestamp}`).join(', ')}`,
      );
      for (const op of ops) {
        const port = op.ports()?.metrics;
        if (!port || op.child.exitCode !== null || op.child.signalCode !== null || op === paused) continue;
        const metrics = await fetch(`http://127.0.0.1:${port}/metrics`)
          .then((r) => r.text())
          .catch((e: unknown) => String(e));
        console.error(
          `--- metrics of ${op.identity()}:\n${metrics
            .split('\n')
            .filter((l) => /^(workqueue|rest_client|controller_runtime)/.test(l))
            .join('\n')}`,
        );
      }
      for (const op of ops)
        console.error(
          `--- operator ${op.identity()} (exit ${op.child.exitCode}), last log lines:\n${op.logs
            .slice(-400)
            .map((l) => JSON.stringify(l))
            .join('\n')}`,
        );
      throw err;
    }
  };

  let leader = start('a');
  await eventually(() => assert.ok(leader.identity()), { timeoutMs: 60_000 });
  await waitHolder(leader);
  let standby = start('b');
  let standbyName: 'a' | 'b' = 'b';
  for (let i = 0; i < 3; i++) await put(`c${i}`, { workers: 2, suspend: false, rev: 0 });
  await converge('start');

  const report: string[] = [];
  /** Times (ms) when the writer may legitimately change: each takeover. */
  const handovers: number[] = [];
  /** Writes the resumed replicas tried and their fence refused. */
  let fenced = 0;
  for (let round = 1; round <= rounds; round++) {
    // 1. The leader paused (SIGSTOP) right after a change, past its lease; then resumed.
    await eventually(() => assert.ok(standby.identity()), { timeoutMs: 60_000 });
    // A scale-up of several pods (the template's maxReplicas is 10). The leader's pod creates reach the API
    // server at once but their answers come 3 s later, and the leader is paused as soon as the first create is
    // seen: the pause lands between the reconcile's writes (the pods are created; its events and status are
    // not written yet), so on resume the reconcile goes on writing, and the fence must refuse it.
    const leaderProxy = proxies[standbyName === 'a' ? 'b' : 'a']!;
    leaderProxy.resetCounts();
    leaderProxy.delayResponses(3000, (method, path) => method === 'POST' && path.endsWith('/pods'));
    // Always a scale-up (6, 7, ... 10 over the long profile's five rounds): the pause waits for a pod create.
    await put('c0', { workers: 5 + round, suspend: false, rev: round });
    await eventually(() => assert.ok(leaderProxy.counts().delayed > 0, 'the leader creates pods'), {
      timeoutMs: 30_000,
      intervalMs: 10,
    });
    leader.child.kill('SIGSTOP');
    paused = leader;
    const pausedAt = performance.now();
    await waitHolder(standby);
    const pauseFailover = (performance.now() - pausedAt) / 1000;
    handovers.push(Date.now());
    await converge(`round ${round}: after the leader was paused`);
    leaderProxy.delayResponses(0);
    leader.child.kill('SIGCONT');
    paused = undefined;
    const code = await Promise.race([
      leader.exited,
      new Promise<string>((r) => setTimeout(() => r('still running'), 60_000)),
    ]);
    assert.notEqual(code, 'still running', 'the resumed replica gives up (its lease is gone) and exits');
    const refused = leader.logs.filter((l) => JSON.stringify(l).includes('write refused'));
    assert.ok(
      refused.length > 0,
      `the resumed replica went on with its reconcile and the fence refused its writes; its last log lines:\n${leader.logs
        .slice(-30)
        .map((l) => JSON.stringify(l))
        .join('\n')}`,
    );
    fenced += refused.length;
    report.push(
      `round ${round}: leader paused between ${leaderProxy.counts().delayed} pod creates and the rest of its reconcile; standby took over after ${pauseFailover.toFixed(1)} s; on resume the fence refused ${refused.length} writes (${refusedWhat(refused)})`,
    );
    const resumedName: 'a' | 'b' = standbyName === 'a' ? 'b' : 'a';
    [leader, standby, standbyName] = [standby, start(resumedName), resumedName];

    // 2. The leader cut off from the API server (every connection reset) right after a change; then healed.
    await eventually(() => assert.ok(standby.identity()), { timeoutMs: 60_000 });
    await put('c1', { workers: 1 + round, suspend: false, rev: round });
    const cutOff: 'a' | 'b' = standbyName === 'a' ? 'b' : 'a';
    proxies[cutOff]!.partition(true);
    const partitioned = performance.now();
    await waitHolder(standby);
    const partitionFailover = (performance.now() - partitioned) / 1000;
    handovers.push(Date.now());
    await converge(`round ${round}: after the leader was cut off`);
    const exited = await Promise.race([
      leader.exited,
      new Promise<string>((r) => setTimeout(() => r('still running'), 60_000)),
    ]);
    assert.notEqual(
      exited,
      'still running',
      'the cut-off replica gives up after its renew deadline and exits',
    );
    proxies[cutOff]!.partition(false);
    report.push(`round ${round}: leader cut off, standby took over after ${partitionFailover.toFixed(1)} s`);
    [leader, standby, standbyName] = [standby, start(cutOff), cutOff];
  }
  await put('c2', { workers: 3, suspend: false, rev: 9 });
  await converge('end');

  // The audit log: who wrote what, when.
  const writes = auditWrites(auditLog);
  assert.ok(writes.length > 0, 'the audit log has the replicas’ writes');
  const switches = writes.filter((w, i) => i > 0 && w.who !== writes[i - 1]!.who);
  assert.ok(
    switches.length <= handovers.length,
    `the writer changed ${switches.length} times for ${handovers.length} hand-overs:\n${switches
      .map((w) => `${new Date(w.at).toISOString()} ${w.who}: ${w.what}`)
      .join('\n')}`,
  );
  const bySecond = new Map<number, Set<string>>();
  for (const w of writes) {
    const s = Math.floor(w.at / 1000);
    bySecond.set(s, (bySecond.get(s) ?? new Set()).add(w.who));
  }
  const both = [...bySecond].filter(([, who]) => who.size > 1).length;
  assert.equal(both, 0, 'no second of the audit log has writes from both replicas');
  const counts: Record<string, number> = {};
  for (const w of writes) counts[w.who] = (counts[w.who] ?? 0) + 1;
  for (const line of report) t.diagnostic(line);
  t.diagnostic(
    `audit log: ${writes.length} writes (${JSON.stringify(counts)}), writer changed ${switches.length} times, 0 seconds with both; ${fenced} writes refused by the fence`,
  );
});

/** What the refused writes were, from the operator's log lines (their messages, counted). */
function refusedWhat(lines: Record<string, unknown>[]): string {
  const byMsg = new Map<string, number>();
  for (const l of lines) byMsg.set(String(l.msg), (byMsg.get(String(l.msg)) ?? 0) + 1);
  return [...byMsg].map(([m, n]) => `${n} × ${m}`).join(', ');
}
