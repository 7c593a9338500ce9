import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { binaryPath } from '../../src/devcluster/binaries.ts';
import { rayVenvDir } from '../../src/devcluster/node/images.ts';
import { freePort } from '../../src/lib/ports.ts';
import { headlessChromium } from '../support/browser.ts';
import { raySkip, useOperatorCluster } from '../support/e2e.ts';
import { eventually } from '../support/eventually.ts';
import { samplesDir } from '../support/samples.ts';
import { runTool } from '../support/tool.ts';

/**
 * End to end with real Ray: the operator (as its own process, as users run it) on a local cluster whose node
 * runs pods as processes. KubeRay's RayCluster sample becomes ready and `ray status` in its head lists the
 * worker; the demo RayJob runs its Python entrypoint to SUCCEEDED and its cluster is deleted afterwards.
 */
const repo = join(import.meta.dirname, '../..');
const skip = raySkip;

const e2e = useOperatorCluster();

interface Obj {
  metadata: { name: string };
  status?: Record<string, unknown>;
}

function manifests(file: string): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .filter((d): d is Record<string, unknown> => d !== null);
}

async function apply(ns: string, docs: Record<string, unknown>[]): Promise<void> {
  for (const doc of docs) {
    const kind = doc.kind as string;
    const path =
      kind === 'ConfigMap'
        ? `/api/v1/namespaces/${ns}/configmaps`
        : `/apis/ray.io/v1/namespaces/${ns}/${kind.toLowerCase()}s`;
    await e2e.lc.client.request('POST', path, { body: doc });
  }
}

const onFailure = (err: unknown) => e2e.onFailure(err);

function kubectl(args: string[]) {
  return runTool(binaryPath('kubectl'), ['--kubeconfig', e2e.lc.kubeconfig, ...args]);
}

/**
 * The Ray dashboard through the port-forward in a browser (headless Chromium): the page's scripts run and
 * render the app (its navigation and the job just submitted, none of which is in the static index.html),
 * and a screenshot of it is taken.
 */
async function dashboardInBrowser(url: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'krts-dashboard-'));
  const domFile = join(dir, 'jobs.html');
  await eventually(
    async () => {
      const html = await headlessChromium(`${url}#/jobs`, { dumpDom: true });
      writeFileSync(domFile, html);
      for (const word of ['Overview', 'Jobs', 'Cluster', 'Actors'])
        assert.match(
          html,
          new RegExp(`>\\s*${word}\\s*<`),
          `the rendered dashboard shows ${word} (${domFile})`,
        );
      assert.match(html, /SUCCEEDED/, `the jobs page lists the submitted job (${domFile})`);
    },
    { timeoutMs: 180_000, intervalMs: 5000 },
  );
  const shot = join(dir, 'dashboard.png');
  await headlessChromium(url, { screenshot: shot });
  const png = readFileSync(shot);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.ok(png.length > 20_000, `a screenshot with content (${png.length} bytes): ${shot}`);
}

/**
 * Ray's KubeRay quick start as a user types it, on the running cluster: `kubectl exec` `ray status` and a Python
 * one-liner in the head, then `kubectl port-forward` of the head Service's dashboard port and `ray job submit`
 * through it to SUCCEEDED.
 */
async function quickStart(ns: string, cluster: string, head: string): Promise<void> {
  const st = await kubectl(['-n', ns, 'exec', head, '-c', 'ray-head', '--', 'ray', 'status']);
  assert.equal(st.code, 0, st.stderr);
  assert.match(st.stdout, /Node status/);
  const py = await kubectl([
    '-n',
    ns,
    'exec',
    head,
    '--',
    'python',
    '-c',
    "import ray; ray.init(); print('CPUS', ray.cluster_resources()['CPU'])",
  ]);
  assert.equal(py.code, 0, py.stderr);
  assert.match(py.stdout, /CPUS \d/);
  const local = await freePort();
  const forward = spawn(binaryPath('kubectl'), [
    '--kubeconfig',
    e2e.lc.kubeconfig,
    '-n',
    ns,
    'port-forward',
    `svc/${cluster}-head-svc`,
    `${local}:8265`,
  ]);
  let fwdOut = '';
  forward.stdout.on('data', (d) => {
    fwdOut += d;
  });
  try {
    await eventually(() => assert.match(fwdOut, /Forwarding from/), { timeoutMs: 30_000 });
    const submit = await runTool(join(rayVenvDir(), 'bin', 'ray'), [
      'job',
      'submit',
      '--address',
      `http://127.0.0.1:${local}`,
      '--',
      'python',
      '-c',
      'import ray; ray.init(); print("RESOURCES", ray.cluster_resources())',
    ]);
    assert.equal(submit.code, 0, submit.stdout + submit.stderr);
    assert.match(submit.stdout, /RESOURCES \{/);
    assert.match(submit.stdout, /succeeded/i);
    await dashboardInBrowser(`http://127.0.0.1:${local}/`);
  } finally {
    forward.kill('SIGTERM');
  }
}

test('a KubeRay RayCluster sample becomes ready with real Ray, `ray status` in the head lists the worker, and the quick start works (kubectl exec, port-forward, ray job submit)', {
  skip,
}, async () => {
  const ns = 'default';
  const [cluster] = manifests(join(samplesDir, 'ray-cluster.sample.yaml'));
  await apply(ns, [cluster!]);
  const name = (cluster!.metadata as { name: string }).name;
  await eventually(
    async () => {
      const rc = await e2e.lc.client.request<Obj>(
        'GET',
        `/apis/ray.io/v1/namespaces/${ns}/rayclusters/${name}`,
      );
      assert.equal(rc.status?.state, 'ready', `state is ${String(rc.status?.state)}`);
      assert.equal(rc.status?.readyWorkerReplicas, 1);
    },
    { timeoutMs: 420_000, intervalMs: 2000 },
  ).catch(onFailure);
  const pods = await e2e.lc.client.request<{ items: Obj[] }>('GET', `/api/v1/namespaces/${ns}/pods`, {
    query: { labelSelector: `ray.io/cluster=${name},ray.io/node-type=head` },
  });
  const head = pods.items[0]!.metadata.name;
  const status = await eventually(
    async () => {
      const r = await e2e.lc.node.exec(ns, head, ['ray', 'status']);
      // One head and one worker: the "Active:" and "Idle:" sections of the node status count 2 nodes, one of
      // them in the sample's worker group.
      const section = r.stdout.split('Node status')[1]?.split('Pending:')[0] ?? '';
      const counts = [...section.matchAll(/^\s*(\d+) (\S+)$/gm)];
      const total = counts.reduce((n, m) => n + Number(m[1]), 0);
      assert.equal(total, 2, r.stdout + r.stderr);
      assert.ok(
        counts.some((m) => m[2] === 'workergroup'),
        `no workergroup node in ray status:\n${r.stdout}`,
      );
      return r.stdout;
    },
    { timeoutMs: 120_000, intervalMs: 3000 },
  );
  assert.match(status, /Node status/);
  await quickStart(ns, name, head).catch(onFailure);
  await e2e.lc.client.request('DELETE', `/apis/ray.io/v1/namespaces/${ns}/rayclusters/${name}`);
  await eventually(
    async () => {
      const left = await e2e.lc.client.request<{ items: Obj[] }>('GET', `/api/v1/namespaces/${ns}/pods`, {
        query: { labelSelector: `ray.io/cluster=${name}` },
      });
      assert.equal(left.items.length, 0);
    },
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
});

/** The head pod of a cluster, once it exists. */
async function headPod(ns: string, cluster: string): Promise<string> {
  return eventually(
    async () => {
      const pods = await e2e.lc.client.request<{ items: Obj[] }>('GET', `/api/v1/namespaces/${ns}/pods`, {
        query: { labelSelector: `ray.io/cluster=${cluster},ray.io/node-type=head` },
      });
      assert.equal(pods.items.length, 1, 'one head pod');
      return pods.items[0]!.metadata.name;
    },
    { timeoutMs: 300_000, intervalMs: 2000 },
  );
}

/**
 * `kubectl logs -f` of the head's submitter container while the job prints (SidecarMode puts the submitter,
 * which follows the job's logs, in the head pod): the lines come as they are printed, in order, and the
 * follow ends when the container does. Resolves with what it saw.
 */
async function followHeadWhileJobPrints(ns: string, job: string): Promise<string> {
  const cluster = await eventually(
    async () => {
      const rj = await e2e.lc.client.request<Obj>('GET', `/apis/ray.io/v1/namespaces/${ns}/rayjobs/${job}`);
      assert.ok(rj.status?.rayClusterName, 'the RayJob names its cluster');
      return rj.status.rayClusterName as string;
    },
    { timeoutMs: 60_000, intervalMs: 1000 },
  );
  const head = await headPod(ns, cluster);
  // kubectl logs of a container that has not started is refused (waiting to start): wait until it runs.
  await eventually(
    async () => {
      const pod = await e2e.lc.client.request<{
        status?: { containerStatuses?: { name: string; state: { running?: unknown } }[] };
      }>('GET', `/api/v1/namespaces/${ns}/pods/${head}`);
      const sub = pod.status?.containerStatuses?.find((c) => c.name === 'ray-job-submitter');
      assert.ok(sub?.state.running, 'the submitter container runs');
    },
    { timeoutMs: 420_000, intervalMs: 1000 },
  );
  const follow = spawn(binaryPath('kubectl'), [
    '--kubeconfig',
    e2e.lc.kubeconfig,
    '-n',
    ns,
    'logs',
    '-f',
    head,
    '-c',
    'ray-job-submitter',
  ]);
  let out = '';
  follow.stdout.on('data', (d) => {
    out += d;
  });
  follow.stderr.on('data', (d) => {
    out += d;
  });
  const code = await new Promise<number>((resolve) => follow.on('close', (c) => resolve(c ?? 1)));
  assert.equal(code, 0, out);
  return out;
}

test('a RayJob (SidecarMode) runs its Python entrypoint to SUCCEEDED on real Ray while `kubectl logs -f` of the head follows its output, then its cluster is deleted', {
  skip,
}, async () => {
  const ns = 'default';
  const docs = manifests(join(repo, 'config/samples/ray-job.demo.yaml'));
  const job = docs.find((d) => d.kind === 'RayJob')!;
  const spec = job.spec as Record<string, unknown>;
  spec.ttlSecondsAfterFinished = 0;
  spec.submissionMode = 'SidecarMode';
  // A job that prints for a while, after the demo program.
  spec.entrypoint =
    'python /home/ray/samples/demo.py && python -c "import time\nfor i in range(6):\n    print(\'progress\', i, flush=True)\n    time.sleep(1)"';
  await apply(ns, docs);
  const followed = followHeadWhileJobPrints(ns, 'rayjob-demo');
  const done = await eventually(
    async () => {
      const rj = await e2e.lc.client.request<Obj>(
        'GET',
        `/apis/ray.io/v1/namespaces/${ns}/rayjobs/rayjob-demo`,
      );
      assert.equal(rj.status?.jobDeploymentStatus, 'Complete', JSON.stringify(rj.status));
      return rj;
    },
    { timeoutMs: 600_000, intervalMs: 2000 },
  ).catch(onFailure);
  assert.equal(done.status?.jobStatus, 'SUCCEEDED');
  const seen = await followed.catch(onFailure);
  const progress = [...seen.matchAll(/^progress (\d)$/gm)].map((m) => Number(m[1]));
  assert.deepEqual(progress, [0, 1, 2, 3, 4, 5], `the job's lines, in order, through logs -f:\n${seen}`);
  const clusterName = done.status?.rayClusterName as string;
  assert.ok(clusterName, 'the RayJob names its cluster');
  await eventually(
    async () => {
      const list = await e2e.lc.client.request<{ items: Obj[] }>(
        'GET',
        `/apis/ray.io/v1/namespaces/${ns}/rayclusters`,
      );
      assert.deepEqual(
        list.items.map((c) => c.metadata.name).filter((n) => n === clusterName),
        [],
        'the cluster is deleted after the job',
      );
    },
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
});
