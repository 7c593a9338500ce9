/**
 * `kubectl ray` end to end with real Ray on the local node: `job submit` with a working directory runs to
 * SUCCEEDED and prints the job's output; `session` forwards the dashboard (an HTTP call goes through it);
 * `log` downloads the Ray log files over exec + tar; `delete` removes the RayJob. Bad input (a missing
 * working directory) fails with one line and creates nothing. The plugin talks to the API server's streaming
 * endpoints itself (WebSocket exec, SPDY-over-WebSocket port-forward): no kubectl is involved.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KubeClient } from '../../src/k8s/client.ts';
import { loadKubeconfig } from '../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../src/k8s/objects.ts';
import { Resources } from '../../src/k8s/resources.ts';
import { raySkip, useOperatorCluster } from '../support/e2e.ts';
import { eventually } from '../support/eventually.ts';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'kubectl-ray');
const e2e = useOperatorCluster();

function start(
  kubeconfig: string,
  args: readonly string[],
): { child: ChildProcess; output: () => string; done: Promise<number> } {
  const child = spawn(bin, [`--kubeconfig=${kubeconfig}`, ...args], {
    env: { ...process.env, KUBECONFIG: '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const done = new Promise<number>((r) => child.on('close', (code) => r(code ?? 1)));
  return { child, output: () => output, done };
}

async function run(kubeconfig: string, args: readonly string[]): Promise<{ code: number; output: string }> {
  const p = start(kubeconfig, args);
  const code = await p.done;
  return { code, output: p.output() };
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { signal: AbortSignal.timeout(30_000) }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('job submit, session, log and delete on real Ray', { skip: raySkip, timeout: 1_200_000 }, async (t) => {
  const { kubeconfig } = e2e.lc;
  const kube = KubeClient.fromAccess(loadKubeconfig(kubeconfig), { qps: 0 });
  t.after(() => kube.rest.close());
  const work = mkdtempSync(join(tmpdir(), 'kubectl-ray-e2e-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const wd = join(work, 'app');
  mkdirSync(join(wd, 'data'), { recursive: true });
  writeFileSync(join(wd, 'data', 'greeting.txt'), 'hello from the working directory\n');
  writeFileSync(
    join(wd, 'main.py'),
    'import ray\nray.init()\n@ray.remote\ndef square(x):\n    return x * x\nprint("greeting:", open("data/greeting.txt").read().strip())\nprint("squares:", ray.get([square.remote(i) for i in range(4)]))\n',
  );
  const ns = ['-n', 'default'];

  // bad input first: nothing may be created
  const missing = await run(kubeconfig, [
    'job',
    'submit',
    '--name',
    'never',
    '--working-dir',
    join(work, 'nope'),
    ...ns,
    '--',
    'python',
    'main.py',
  ]);
  assert.equal(missing.code, 1, missing.output);
  assert.match(missing.output, /^Error: working directory .*nope does not exist\n$/);
  assert.equal(await kube.getOrUndefined(Resources.rayJobs, 'default', 'never'), undefined);

  // job submit with a working directory, followed to the end
  const small = ['--head-cpu', '1', '--head-memory', '2Gi', '--worker-replicas', '0'];
  const submit = await run(kubeconfig, [
    'job',
    'submit',
    '--name',
    'cli-job',
    '--working-dir',
    wd,
    ...small,
    ...ns,
    '--',
    'python',
    'main.py',
  ]).catch(e2e.onFailure);
  assert.equal(submit.code, 0, submit.output);
  assert.match(submit.output, /^Submitted RayJob cli-job\.\n/);
  assert.match(
    submit.output,
    /Uploaded working directory .* \(2 files\) as gcs:\/\/_ray_pkg_[0-9a-f]{40}\.zip/,
  );
  assert.match(submit.output, /Job 'raysubmit_\w+' submitted successfully/);
  assert.match(submit.output, /greeting: hello from the working directory/);
  assert.match(submit.output, /squares: \[0, 1, 4, 9\]/);
  assert.match(submit.output, /-{42}\nJob 'raysubmit_\w+' succeeded\n-{42}\n$/);
  const id = /Job '(raysubmit_\w+)' succeeded/.exec(submit.output)![1];
  const job = await eventually(
    async () => {
      const j = await kube.get<
        KubeObject & {
          spec: { jobId?: string };
          status?: { jobStatus?: string; rayClusterName?: string };
        }
      >(Resources.rayJobs, 'default', 'cli-job');
      assert.equal(j.spec.jobId, id);
      assert.equal(j.status?.jobStatus, 'SUCCEEDED');
      return j;
    },
    { timeoutMs: 120_000 },
  );
  const cluster = job.status!.rayClusterName!;

  // session: the dashboard answers through the forwarded port
  const offset = 20_000 + Math.floor(Math.random() * 20_000);
  const session = start(kubeconfig, ['session', 'rayjob/cli-job', '--port-offset', String(offset), ...ns]);
  t.after(() => session.child.kill('SIGKILL'));
  const url = await eventually(
    () => {
      const m = /Ray Dashboard: (http:\/\/localhost:\d+)/.exec(session.output());
      assert.ok(m, session.output());
      return m[1]!;
    },
    { timeoutMs: 60_000 },
  );
  assert.match(session.output(), /^Forwarding ports to service cli-job-\w+-head-svc\n/);
  const version = await httpGet(`${url.replace('localhost', '127.0.0.1')}/api/version`);
  assert.equal(version.status, 200);
  assert.match(JSON.parse(version.body).ray_version, /^2\./);
  const jobs = await httpGet(`${url.replace('localhost', '127.0.0.1')}/api/jobs/${id}`);
  assert.equal(JSON.parse(jobs.body).status, 'SUCCEEDED');
  session.child.kill('SIGINT');
  assert.equal(await session.done, 0, session.output());

  // log: the head's Ray log directory over exec + tar, and its container log
  const logs = join(work, 'logs');
  mkdirSync(logs);
  const log = await run(kubeconfig, ['log', cluster, '--out-dir', logs, '--node-type', 'head', ...ns]);
  assert.equal(log.code, 0, log.output);
  assert.match(log.output, /Command set to retrieve only head node logs\.\nDownloading log for Ray Node /);
  const [headDir] = readdirSync(logs);
  assert.ok(headDir?.startsWith(`${cluster}-head-`), String(headDir));
  const files = readdirSync(join(logs, headDir!));
  assert.ok(files.includes('stdout.log'), files.join(' '));
  assert.ok(
    files.some((f) => f.startsWith('gcs_server')),
    files.join(' '),
  );
  assert.ok(
    files.some((f) => f.startsWith('raylet')),
    files.join(' '),
  );
  assert.ok(existsSync(join(logs, headDir!, `job-driver-${id}.log`)), files.join(' '));
  assert.match(readFileSync(join(logs, headDir!, `job-driver-${id}.log`), 'utf8'), /squares: \[0, 1, 4, 9\]/);
  const badLog = await run(kubeconfig, ['log', 'no-such-cluster', '--out-dir', logs, ...ns]);
  assert.equal(badLog.code, 1);
  assert.match(badLog.output, /Error: No Ray nodes found for resource no-such-cluster\n$/);

  // delete
  const del = await run(kubeconfig, ['delete', 'rayjob/cli-job', '--yes', ...ns]);
  assert.equal(del.code, 0, del.output);
  assert.equal(del.output, 'Deleted rayjob cli-job\n');
  await eventually(
    async () => assert.equal(await kube.getOrUndefined(Resources.rayClusters, 'default', cluster), undefined),
    { timeoutMs: 120_000 },
  );
});
