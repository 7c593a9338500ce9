import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { raySkip } from '../support/e2e.ts';
import { eventually } from '../support/eventually.ts';
import { type LocalCluster, startLocalCluster, waitPod } from '../support/local-cluster.ts';

/**
 * Smoke test of real Ray on the local node, without the operator: a head pod shaped like KubeRay's (bash
 * wrapper, `ray start --head --block`, the exec readiness probe) becomes Running and Ready, `ray status`
 * works inside it through exec, and a worker pod joins through the head Service's name.
 */
let lc: LocalCluster;
before(async () => {
  if (!raySkip) lc = await startLocalCluster();
});
after(async () => {
  await lc?.stop();
});

const rayImage = 'rayproject/ray:2.52.0';

/** On failure: the pod's Ray logs, to tell a slow machine from a broken pod. */
async function dumpRayLogs(ns: string, pod: string): Promise<void> {
  const logs = '/tmp/ray/session_latest/logs';
  const r = await lc.node
    .exec(ns, pod, [
      'sh',
      '-c',
      `tail -n 15 ${logs}/dashboard.log ${logs}/raylet.out ${logs}/gcs_server.out 2>&1; uptime`,
    ])
    .catch((e: Error) => ({ stdout: '', stderr: e.message }));
  console.error(`--- Ray logs of ${ns}/${pod}:\n${r.stdout}${r.stderr}`);
}
const probe = (checks: string) => ({
  exec: { command: ['bash', '-c', checks] },
  initialDelaySeconds: 5,
  periodSeconds: 2,
  timeoutSeconds: 5,
  failureThreshold: 60,
});
const raylet = 'wget --tries 1 -T 2 -q -O- http://localhost:52365/api/local_raylet_healthz | grep success';
const gcs = 'wget --tries 1 -T 10 -q -O- http://localhost:8265/api/gcs_healthz | grep success';

test('a Ray head pod runs, passes its readiness probe, answers `ray status`, and a worker joins it', {
  // In CI the install step always provides Ray, so a missing venv there is a failure, never a skip.
  skip: raySkip,
}, async () => {
  const ns = 'default';
  const labels = { 'ray.io/cluster': 'smoke', 'ray.io/node-type': 'head' };
  const start =
    'ray start --head --block --num-cpus=1 --memory=1000000000 --object-store-memory=100000000 --dashboard-host=0.0.0.0 --dashboard-agent-listen-port=52365 --metrics-export-port=8080';
  await lc.client.request('POST', `/api/v1/namespaces/${ns}/pods`, {
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'smoke-head', labels },
      spec: {
        containers: [
          {
            name: 'ray-head',
            image: rayImage,
            command: ['/bin/bash', '-lc', '--'],
            args: [`ulimit -n 65536; ${start}`],
            env: [{ name: 'RAY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
            ports: [
              { name: 'gcs-server', containerPort: 6379 },
              { name: 'dashboard', containerPort: 8265 },
            ],
            readinessProbe: probe(`${raylet} && ${gcs}`),
          },
        ],
      },
    },
  });
  await lc.client.request('POST', `/api/v1/namespaces/${ns}/services`, {
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'smoke-head-svc' },
      spec: {
        selector: labels,
        ports: [
          { name: 'gcs-server', port: 6379 },
          { name: 'dashboard', port: 8265 },
        ],
      },
    },
  });
  const head = await waitPod(lc.client, ns, 'smoke-head', { phase: 'Running', ready: true }, 300_000).catch(
    async (err) => {
      await dumpRayLogs(ns, 'smoke-head');
      throw err;
    },
  );
  // Ready means GCS and the raylet answer; the autoscaler's first status report can come a few seconds later.
  await eventually(
    async () => {
      const status = await lc.node.exec(ns, 'smoke-head', ['ray', 'status']);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /Node status/);
    },
    { timeoutMs: 120_000, intervalMs: 2000 },
  );
  const res = await fetch(`http://${head.status!.podIP}:8265/api/version`);
  assert.equal(res.status, 200);
  await res.body?.cancel();

  await lc.client.request('POST', `/api/v1/namespaces/${ns}/pods`, {
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'smoke-worker', labels: { 'ray.io/cluster': 'smoke', 'ray.io/node-type': 'worker' } },
      spec: {
        initContainers: [
          {
            name: 'wait-gcs-ready',
            image: rayImage,
            command: ['/bin/bash', '-c', '--'],
            args: [
              `until ray health-check --address smoke-head-svc.${ns}.svc.cluster.local:6379 > /dev/null 2>&1; do sleep 1; done`,
            ],
          },
        ],
        containers: [
          {
            name: 'ray-worker',
            image: rayImage,
            command: ['/bin/bash', '-c', '--'],
            args: [
              `ulimit -n 65536; ray start --block --num-cpus=1 --memory=500000000 --object-store-memory=80000000 --address=smoke-head-svc.${ns}.svc.cluster.local:6379 --dashboard-agent-listen-port=52365`,
            ],
            readinessProbe: probe(raylet),
          },
        ],
      },
    },
  });
  await waitPod(lc.client, ns, 'smoke-worker', { phase: 'Running', ready: true }, 300_000).catch(
    async (err) => {
      await dumpRayLogs(ns, 'smoke-worker');
      throw err;
    },
  );
  await eventually(
    async () => {
      const r = await lc.node.exec(ns, 'smoke-head', [
        'python',
        '-c',
        'import ray; ray.init(address="auto"); print(len([n for n in ray.nodes() if n["Alive"]]))',
      ]);
      assert.equal(r.stdout.trim().split('\n').at(-1), '2', r.stderr.slice(-500));
    },
    { timeoutMs: 60_000, intervalMs: 2000 },
  );
});
