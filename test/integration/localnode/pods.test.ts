import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { binaryPath } from '../../../src/devcluster/binaries.ts';
import { eventually } from '../../support/eventually.ts';
import {
  createNamespace,
  createPod as createPodIn,
  getPod,
  type LocalCluster,
  startLocalCluster,
  waitPod,
} from '../../support/local-cluster.ts';

/**
 * The local node against a private control plane (scheduler + controller-manager): pods run as processes in
 * their own network and mount namespaces. Needs root and iproute2; one control plane for the whole file.
 */
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
) => createPodIn(lc.client, ns, name, { terminationGracePeriodSeconds: 5, ...spec }, labels);

const sh = (name: string, script: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: 'busybox:1.36',
  command: ['sh', '-c', script],
  ...extra,
});

async function kubectlLogs(ns: string, pod: string): Promise<string> {
  const { stdout } = await run(binaryPath('kubectl'), ['--kubeconfig', lc.kubeconfig, '-n', ns, 'logs', pod]);
  return stdout;
}

test('a plain pod runs with an IP from the node range, and kubectl logs shows its output', async () => {
  const ns = await namespace();
  await createPod(ns, 'hello', { containers: [sh('main', 'echo hi; sleep 1000')] });
  const pod = await waitPod(lc.client, ns, 'hello', { phase: 'Running', ready: true });
  assert.match(pod.status!.podIP!, /^10\.213\.\d+\.\d+$/);
  assert.ok(pod.status!.podIP!.startsWith(`${lc.node.net.prefix}.`));
  const logs = await eventually(async () => {
    const out = await kubectlLogs(ns, 'hello');
    assert.equal(out, 'hi\n');
    return out;
  });
  assert.equal(logs, 'hi\n');
});

test('env valueFrom: fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef, envFrom and $(VAR)', async () => {
  const ns = await namespace();
  await lc.client.request('POST', `/api/v1/namespaces/${ns}/configmaps`, {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { color: 'blue' } },
  });
  await lc.client.request('POST', `/api/v1/namespaces/${ns}/secrets`, {
    body: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sec' },
      data: { pass: Buffer.from('s3cret').toString('base64') },
    },
  });
  const env = [
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
    { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
    { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
    { name: 'PASS', valueFrom: { secretKeyRef: { name: 'sec', key: 'pass' } } },
    { name: 'JOINED', value: '$(POD_NAME)-$(COLOR)' },
  ];
  const script =
    'echo "ip=$POD_IP name=$POD_NAME app=$APP mem=$MEM_MI color=$COLOR pass=$PASS joined=$JOINED cfg_color=$CFG_color"; sleep 1000';
  await createPod(
    ns,
    'envpod',
    {
      containers: [
        sh('main', script, {
          env,
          envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'cfg' } }],
          resources: { limits: { memory: '256Mi' } },
        }),
      ],
    },
    { app: 'demo' },
  );
  const pod = await waitPod(lc.client, ns, 'envpod', { phase: 'Running' });
  await eventually(async () => {
    assert.equal(
      await kubectlLogs(ns, 'envpod'),
      `ip=${pod.status!.podIP} name=envpod app=demo mem=256 color=blue pass=s3cret joined=envpod-blue cfg_color=blue\n`,
    );
  });
});

test('a readiness probe gates Ready', async () => {
  const ns = await namespace();
  const probe = { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1 };
  await createPod(ns, 'gated', { containers: [sh('main', 'sleep 1000', { readinessProbe: probe })] });
  await waitPod(lc.client, ns, 'gated', { phase: 'Running', ready: false });
  const r = await lc.node.exec(ns, 'gated', ['touch', '/tmp/ready']);
  assert.equal(r.code, 0, r.stderr);
  const pod = await waitPod(lc.client, ns, 'gated', { phase: 'Running', ready: true }, 15_000);
  assert.equal(pod.status!.containerStatuses![0]!.ready, true);
});

test('deleting a pod stops its processes and finishes the deletion', async () => {
  const ns = await namespace();
  await createPod(ns, 'doomed', { containers: [sh('main', 'sleep 1000 & sleep 1000')] });
  await waitPod(lc.client, ns, 'doomed', { phase: 'Running' });
  const pid = lc.node.execTarget(ns, 'doomed').pid;
  const { stdout } = await lc.node.exec(ns, 'doomed', ['sh', '-c', 'echo $$']);
  assert.match(stdout, /^\d+\n$/);
  await lc.client.request('DELETE', `/api/v1/namespaces/${ns}/pods/doomed`);
  await eventually(
    async () => {
      await assert.rejects(getPod(lc.client, ns, 'doomed'), /404|not found/i);
    },
    { timeoutMs: 20_000 },
  );
  const alive = (p: number) => {
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };
  assert.equal(alive(pid), false, 'the container main process is gone');
});

test('an unknown image leaves the container waiting with ErrImagePull naming the image', async () => {
  const ns = await namespace();
  await createPod(ns, 'noimage', { containers: [{ name: 'main', image: 'example.com/nope/missing:1.0' }] });
  const state = await eventually(async () => {
    const pod = await getPod(lc.client, ns, 'noimage');
    const waiting = pod.status?.containerStatuses?.[0]?.state.waiting;
    assert.equal(waiting?.reason, 'ErrImagePull');
    return waiting!;
  });
  assert.match(state.message!, /"example\.com\/nope\/missing:1\.0"/);
  assert.equal((await getPod(lc.client, ns, 'noimage')).status?.phase, 'Pending');
});

const web = (port: number) =>
  sh('web', `exec python3 -m http.server ${port} --bind 0.0.0.0`, {
    readinessProbe: { tcpSocket: { port }, periodSeconds: 1 },
  });

test('two pods listen on the same port, each on its own IP', async () => {
  const ns = await namespace();
  await createPod(ns, 'web-a', { containers: [web(8080)] });
  await createPod(ns, 'web-b', { containers: [web(8080)] });
  const a = await waitPod(lc.client, ns, 'web-a', { phase: 'Running', ready: true });
  const b = await waitPod(lc.client, ns, 'web-b', { phase: 'Running', ready: true });
  assert.notEqual(a.status!.podIP, b.status!.podIP);
  for (const ip of [a.status!.podIP, b.status!.podIP]) {
    const res = await fetch(`http://${ip}:8080/`);
    assert.equal(res.status, 200);
    await res.body?.cancel();
  }
});

test('a pod resolves a Service name to the ready endpoint pods and reaches it', async () => {
  const ns = await namespace();
  await createPod(ns, 'backend', { containers: [web(9090)] }, { app: 'backend' });
  await lc.client.request('POST', `/api/v1/namespaces/${ns}/services`, {
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'backend-svc' },
      spec: { selector: { app: 'backend' }, ports: [{ port: 9090 }] },
    },
  });
  await createPod(ns, 'client', { containers: [sh('main', 'sleep 1000')] });
  const backend = await waitPod(lc.client, ns, 'backend', { phase: 'Running', ready: true });
  await waitPod(lc.client, ns, 'client', { phase: 'Running' });
  for (const name of [`backend-svc.${ns}.svc.cluster.local`, `backend-svc.${ns}.svc`, 'backend-svc']) {
    const out = await eventually(
      async () => {
        const r = await lc.node.exec(ns, 'client', ['getent', 'hosts', name]);
        assert.equal(r.code, 0, `${name} does not resolve yet`);
        return r.stdout;
      },
      { timeoutMs: 20_000 },
    );
    assert.equal(out.split(/\s+/)[0], backend.status!.podIP);
  }
  const r = await lc.node.exec(ns, 'client', ['wget', '-q', '-O-', 'http://backend-svc:9090/']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Directory listing/);
});

test('a pod reaches the API server as kubernetes.default.svc with its service-account token', async () => {
  const ns = await namespace();
  await createPod(ns, 'apiclient', { containers: [sh('main', 'sleep 1000')] });
  await waitPod(lc.client, ns, 'apiclient', { phase: 'Running' });
  const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
  const script = `curl -sS --cacert ${sa}/ca.crt -H "Authorization: Bearer $(cat ${sa}/token)" https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/version`;
  const r = await lc.node.exec(ns, 'apiclient', ['sh', '-c', script]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /"gitVersion": "v1\.34/);
  assert.equal((await lc.node.exec(ns, 'apiclient', ['cat', `${sa}/namespace`])).stdout, ns);
});

test('init containers run in order and share emptyDir and configMap volumes with the main container', async () => {
  const ns = await namespace();
  await lc.client.request('POST', `/api/v1/namespaces/${ns}/configmaps`, {
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'files' },
      data: { 'greeting.txt': 'hello from a configmap' },
    },
  });
  const mounts = [
    { name: 'work', mountPath: '/tmp/work-dir' },
    { name: 'files', mountPath: '/tmp/files' },
  ];
  await createPod(ns, 'steps', {
    restartPolicy: 'Never',
    volumes: [
      { name: 'work', emptyDir: {} },
      { name: 'files', configMap: { name: 'files' } },
    ],
    initContainers: [
      sh('first', 'echo one > /tmp/work-dir/log', { volumeMounts: mounts }),
      sh('second', 'echo two >> /tmp/work-dir/log', { volumeMounts: mounts }),
    ],
    containers: [sh('main', 'cat /tmp/work-dir/log /tmp/files/greeting.txt', { volumeMounts: mounts })],
  });
  const pod = await waitPod(lc.client, ns, 'steps', { phase: 'Succeeded' });
  assert.equal(pod.status!.containerStatuses![0]!.state.terminated?.reason, 'Completed');
  // The last line has no newline of its own; as at a kubelet (a CRI log of full lines), logs end it with one.
  assert.equal(await kubectlLogs(ns, 'steps'), 'one\ntwo\nhello from a configmap\n');
});

test('restartPolicy Never and a failing container give phase Failed; a liveness failure restarts a container', async () => {
  const ns = await namespace();
  await createPod(ns, 'fails', { restartPolicy: 'Never', containers: [sh('main', 'exit 3')] });
  const failed = await waitPod(lc.client, ns, 'fails', { phase: 'Failed' });
  assert.equal(failed.status!.containerStatuses![0]!.state.terminated?.exitCode, 3);
  const liveness = { exec: { command: ['test', '-f', '/tmp/never'] }, periodSeconds: 1, failureThreshold: 1 };
  await createPod(ns, 'unhealthy', { containers: [sh('main', 'sleep 1000', { livenessProbe: liveness })] });
  await eventually(
    async () => {
      const pod = await getPod(lc.client, ns, 'unhealthy');
      assert.ok(
        (pod.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
        'restarted after the liveness probe failed',
      );
    },
    { timeoutMs: 30_000 },
  );
});

test('pods coming and going never move the bridge MAC, and a pod polling the API server sees no failure', async () => {
  const ns = await namespace();
  const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
  // One line per request: "ok" or "fail"; curl's own timeout keeps a stalled connection from hiding.
  const poll = `while true; do if curl -sS -o /dev/null --max-time 3 --cacert ${sa}/ca.crt -H "Authorization: Bearer $(cat ${sa}/token)" https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/version; then echo ok; else echo fail; fi; sleep 0.2; done`;
  await createPod(ns, 'poller', { containers: [sh('main', poll)] });
  await waitPod(lc.client, ns, 'poller', { phase: 'Running' });
  const bridgeMac = () => readFileSync(`/sys/class/net/${lc.node.net.bridge}/address`, 'utf8').trim();
  assert.equal(bridgeMac(), lc.node.net.mac);
  const seen = new Set<string>([bridgeMac()]);
  // Churn: each new pod adds a bridge port with a random MAC, each deletion removes one. Without a fixed
  // address the bridge takes the lowest port MAC and follows it.
  for (let i = 0; i < 8; i++) {
    await createPod(ns, `churn-${i}`, { containers: [sh('main', 'sleep 1000')] });
    await waitPod(lc.client, ns, `churn-${i}`, { phase: 'Running' });
    seen.add(bridgeMac());
    if (i % 2 === 1) {
      await lc.client.request('DELETE', `/api/v1/namespaces/${ns}/pods/churn-${i - 1}`);
      await eventually(() => assert.rejects(getPod(lc.client, ns, `churn-${i - 1}`), /404|not found/i), {
        timeoutMs: 20_000,
      });
      seen.add(bridgeMac());
    }
  }
  assert.deepEqual([...seen], [lc.node.net.mac]);
  const lines = await eventually(async () => {
    const out = (await kubectlLogs(ns, 'poller')).split('\n').filter(Boolean);
    assert.ok(out.length >= 20, `poller made ${out.length} requests`);
    return out;
  });
  const failed = lines.filter((l) => l !== 'ok');
  assert.deepEqual(failed, [], `${failed.length} of ${lines.length} requests from the poller failed`);
});

test('a curlimages/curl container runs the host curl with the container args (its image ENTRYPOINT)', async () => {
  const ns = await namespace();
  await createPod(ns, 'curl', {
    restartPolicy: 'Never',
    containers: [{ name: 'main', image: 'curlimages/curl:8.11.1', args: ['--version'] }],
  });
  await waitPod(lc.client, ns, 'curl', { phase: 'Succeeded' });
  assert.match(await kubectlLogs(ns, 'curl'), /^curl \d+\.\d+/);
});
