import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { binaryPath } from '../../../src/devcluster/binaries.ts';
import { redisServerMissing } from '../../../src/devcluster/node/images.ts';
import { eventually } from '../../support/eventually.ts';
import {
  createNamespace,
  createPod as createPodIn,
  getPod,
  type LocalCluster,
  startLocalCluster,
  waitPod,
} from '../../support/local-cluster.ts';

/** The local node's image table (redis), host-side Service lookup, previous logs and graceful deletion. */
let lc: LocalCluster;
before(async () => {
  lc = await startLocalCluster();
});
after(async () => {
  await lc?.stop();
});

const run = promisify(execFile);

const namespace = () => createNamespace(lc.client);
const createPod = (
  ns: string,
  name: string,
  spec: Record<string, unknown>,
  labels: Record<string, string> = {},
) => createPodIn(lc.client, ns, name, spec, labels);

/** A busybox pod running `sh -c script` with the host folder `out` mounted at /out, for the deletion tests. */
const createScriptPod = (ns: string, name: string, script: string, out: string, grace: number) =>
  createPod(ns, name, {
    terminationGracePeriodSeconds: grace,
    volumes: [{ name: 'out', hostPath: { path: out } }],
    containers: [
      {
        name: 'main',
        image: 'busybox',
        command: ['sh', '-c', script],
        volumeMounts: [{ name: 'out', mountPath: '/out' }],
      },
    ],
  });
const redisMissing = redisServerMissing();

test('the redis image runs Debian redis-server with its default command', {
  skip: redisMissing ?? false,
}, async () => {
  const ns = await namespace();
  await createPod(ns, 'redis', {
    containers: [
      { name: 'redis', image: 'redis:7.2', readinessProbe: { tcpSocket: { port: 6379 }, periodSeconds: 1 } },
    ],
  });
  await waitPod(lc.client, ns, 'redis', { phase: 'Running', ready: true });
  const r = await lc.node.exec(ns, 'redis', ['redis-cli', 'ping']);
  assert.equal(r.stdout.trim(), 'PONG');
});

test('the host resolves a Service name through LocalNode.lookup and reaches the pod behind it', async () => {
  const ns = await namespace();
  await createPod(
    ns,
    'web',
    {
      containers: [
        {
          name: 'web',
          image: 'busybox',
          command: ['python3', '-m', 'http.server', '8265'],
          readinessProbe: { httpGet: { path: '/', port: 8265 }, periodSeconds: 1 },
        },
      ],
    },
    { app: 'web' },
  );
  await lc.client.request('POST', `/api/v1/namespaces/${ns}/services`, {
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'dash' },
      spec: { selector: { app: 'web' }, ports: [{ port: 8265 }] },
    },
  });
  const pod = await waitPod(lc.client, ns, 'web', { phase: 'Running', ready: true });
  const host = `dash.${ns}.svc.cluster.local`;
  await eventually(() => assert.deepEqual(lc.node.serviceIPs(host), [pod.status!.podIP]));
  assert.deepEqual(lc.node.serviceIPs(`dash.${ns}`), [pod.status!.podIP]);
  assert.deepEqual(lc.node.serviceIPs('dash.other.svc.cluster.local'), []);
  const agent = new Agent({ lookup: lc.node.lookup });
  const status = await new Promise<number>((resolve, reject) => {
    get(`http://${host}:8265/`, { agent }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
  agent.destroy();
  assert.equal(status, 200);
});

test('kubectl logs --previous shows the run before a restart', async () => {
  const ns = await namespace();
  // Each run prints its number, then exits 1 once: the second run stays up.
  const script =
    'if [ -f /tmp/ran ]; then echo second; exec sleep 1000; fi; touch /tmp/ran; echo first; exit 1';
  await createPod(ns, 'twice', {
    containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }],
  });
  await eventually(
    async () => {
      const pod = await getPod(lc.client, ns, 'twice');
      const cs = pod.status?.containerStatuses?.[0];
      assert.equal(cs?.restartCount, 1);
      assert.ok(cs?.state.running, 'running again');
    },
    { timeoutMs: 30_000 },
  );
  const kubectl = (...args: string[]) =>
    run(binaryPath('kubectl'), ['--kubeconfig', lc.kubeconfig, '-n', ns, 'logs', 'twice', ...args]);
  await eventually(async () => assert.equal((await kubectl()).stdout, 'second\n'));
  assert.equal((await kubectl('--previous')).stdout, 'first\n');
  const pod = await getPod(lc.client, ns, 'twice');
  assert.equal(pod.status!.containerStatuses![0]!.state.running !== undefined, true);
});

test('deletion sends SIGTERM first: a container that traps it exits on its own', async (t) => {
  const ns = await namespace();
  const out = mkdtempSync(join('/var/tmp', 'kuberay-ts-term-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  // The script says when its trap is set: a pod is Running as soon as its process starts, and a SIGTERM that
  // arrives before `trap` ran would kill the shell by the default action.
  const script =
    "trap 'echo TERM > /out/signal; exit 0' TERM; touch /out/trapped; while true; do sleep 0.2; done";
  await createScriptPod(ns, 'graceful', script, out, 30);
  await waitPod(lc.client, ns, 'graceful', { phase: 'Running' });
  await eventually(() =>
    assert.ok(existsSync(join(out, 'trapped')), 'the container has set its SIGTERM trap'),
  );
  await lc.client.request('DELETE', `/api/v1/namespaces/${ns}/pods/graceful`);
  await eventually(
    async () => {
      await assert.rejects(getPod(lc.client, ns, 'graceful'), /404|not found/i);
    },
    { timeoutMs: 30_000 },
  );
  assert.equal(readFileSync(join(out, 'signal'), 'utf8'), 'TERM\n');
});

test('deletion as a kubelet does it: SIGTERM to the main process only; what it leaves is SIGKILLed when it exits, not after the grace period', async (t) => {
  const ns = await namespace();
  const out = mkdtempSync(join('/var/tmp', 'kuberay-ts-term-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  // A child that would note a SIGTERM and carry on (Ray's raylet and GCS take their time when signalled), and
  // a main process that stops on SIGTERM without waiting for it (as `ray start --block` does).
  const child =
    "trap 'echo TERM >> /out/child-signal' TERM; echo $$ > /out/child.pid; while true; do sleep 0.2; done";
  const script = `sh -c "${child}" & trap 'echo TERM > /out/signal; exit 0' TERM; touch /out/trapped; while true; do sleep 0.2; done`;
  await createScriptPod(ns, 'parent', script, out, 600);
  await waitPod(lc.client, ns, 'parent', { phase: 'Running' });
  await eventually(() => {
    assert.ok(existsSync(join(out, 'trapped')), 'the main process has set its SIGTERM trap');
    assert.ok(existsSync(join(out, 'child.pid')), 'the child has set its SIGTERM trap');
  });
  const childPid = Number(readFileSync(join(out, 'child.pid'), 'utf8'));
  await lc.client.request('DELETE', `/api/v1/namespaces/${ns}/pods/parent`);
  // Gone long before the 600 s grace period: the main process exited, so the child was killed.
  await eventually(
    async () => {
      await assert.rejects(getPod(lc.client, ns, 'parent'), /404|not found/i);
    },
    { timeoutMs: 60_000 },
  );
  assert.equal(readFileSync(join(out, 'signal'), 'utf8'), 'TERM\n');
  assert.equal(existsSync(join(out, 'child-signal')), false, 'only the main process gets the SIGTERM');
  // Gone, or a zombie left for its new parent to reap: no longer running either way.
  const state = () => /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${childPid}/stat`, 'utf8'))?.[1];
  await eventually(() => assert.ok(!existsSync(`/proc/${childPid}`) || state() === 'Z', 'the child is gone'));
});
