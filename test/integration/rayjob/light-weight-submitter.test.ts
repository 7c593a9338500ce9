import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../../src/lib/ports.ts';
import { FakeDashboard } from '../../../src/ray/fake-dashboard.ts';
import {
  type FakeDashboardServerOptions,
  startFakeDashboardServer,
  type TailSocket,
} from '../../../src/ray/fake-dashboard-server.ts';
import { runSubmitter } from '../../../src/ray/submitter/index.ts';

/**
 * The light-weight submitter (src/main/submitter.ts) against a local HTTP + WebSocket server standing in for
 * the Ray dashboard: submission, the auth header, the log tail and the exit codes.
 */
const repo = join(import.meta.dirname, '../../..');
const sampleArgs = [
  '--runtime-env-json',
  '{"env_vars":{"counter_name":"test_counter"}}',
  '--',
  'python',
  'x.py',
];

async function withServer(
  t: { after: (fn: () => Promise<void>) => void },
  opts: Partial<FakeDashboardServerOptions> = {},
) {
  const dashboard = new FakeDashboard();
  const server = await startFakeDashboardServer({ dashboard, ...opts });
  t.after(() => server.close());
  return { dashboard, server };
}

/** Runs the program as a process, as the submitter pod does. */
function runProgram(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(repo, 'src/main/submitter.ts'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the submitter in this process (faster than a process per case). */
async function runInProcess(args: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await runSubmitter({
    argv: args,
    env,
    out: (s) => (stdout += s),
    err: (s) => (stderr += s),
  });
  return { code, stdout, stderr };
}

const streamed =
  (...lines: string[]) =>
  async (s: TailSocket) => {
    for (const l of lines) s.send(l);
    s.close(1000);
  };

test('the program submits the job with the auth token, prints every log message and exits 0 on a normal close', async (t) => {
  const { dashboard, server } = await withServer(t, { tail: streamed('counter got 1\n', 'counter got 2\n') });
  const r = await runProgram(sampleArgs, {
    RAY_DASHBOARD_ADDRESS: server.address,
    RAY_JOB_SUBMISSION_ID: 'rayjob-abc12',
    RAY_AUTH_TOKEN: 's3cret',
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^SUCC -- Job rayjob-abc12 submitted$/m);
  assert.match(r.stdout, /INFO -- Tailing the logs of job rayjob-abc12/);
  assert.ok(r.stdout.includes('counter got 1\ncounter got 2\n'), r.stdout);
  assert.match(r.stdout, /SUCC -- The log stream of job rayjob-abc12 closed normally/);
  assert.deepEqual(dashboard.submissions, [
    {
      entrypoint: 'python x.py',
      submission_id: 'rayjob-abc12',
      runtime_env: { env_vars: { counter_name: 'test_counter' } },
    },
  ]);
  const post = server.requests.find((q) => q.method === 'POST')!;
  assert.equal(post.path, '/api/jobs/');
  assert.equal(post.headers['content-type'], 'application/json');
  assert.equal(post.headers['x-ray-authorization'], 'Bearer s3cret');
  const upgrade = server.requests.find((q) => q.path.endsWith('/logs/tail'))!;
  assert.equal(upgrade.path, '/api/jobs/rayjob-abc12/logs/tail');
  assert.equal(upgrade.headers['x-ray-authorization'], 'Bearer s3cret');
  // No compression offered: Ray 2.52's proxied tail delivers nothing to a client that negotiates it.
  assert.equal(upgrade.headers['sec-websocket-extensions'], undefined);
  assert.match(r.stdout, /INFO -- Job rayjob-abc12 status: PENDING/);
  // The client answered the server's close frame.
  assert.deepEqual(server.clientCloseCodes, [1000]);
});

test('the program exits 1 naming a missing environment variable, and 0 for --help', async () => {
  const missing = await runProgram(sampleArgs, { RAY_DASHBOARD_ADDRESS: '127.0.0.1:1' });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /ERROR -- environment variable RAY_JOB_SUBMISSION_ID must be set/);
  const help = await runProgram(['--help'], {});
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: submitter/);
});

test('a job already submitted under the id (a retried submitter pod) is followed, not an error', async (t) => {
  const { dashboard, server } = await withServer(t);
  dashboard.setJob('rayjob-again', { status: 'RUNNING', entrypoint: 'python x.py' });
  const r = await runInProcess(sampleArgs, {
    RAY_DASHBOARD_ADDRESS: `http://${server.address}`,
    RAY_JOB_SUBMISSION_ID: 'rayjob-again',
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /INFO -- Job rayjob-again was already submitted/);
  // The default tail sends the job's logs once.
  assert.match(r.stdout, /logs of rayjob-again/);
  const post = server.requests.find((q) => q.method === 'POST')!;
  assert.equal(post.headers['x-ray-authorization'], undefined, 'no token, no auth header');
});

test('an abnormal end of the log stream exits 1: an error close code, or a dropped connection', async (t) => {
  const cases: [string, (s: TailSocket) => void, RegExp][] = [
    ['close 1011', (s) => s.close(1011, 'internal'), /closed with code 1011 \(internal\)/],
    ['drop', (s) => s.drop(), /ended abnormally/],
  ];
  for (const [name, tail, re] of cases) {
    const { server } = await withServer(t, { tail });
    const r = await runInProcess(sampleArgs, {
      RAY_DASHBOARD_ADDRESS: server.address,
      RAY_JOB_SUBMISSION_ID: `rayjob-${name.replace(' ', '')}`,
    });
    assert.equal(r.code, 1, name);
    assert.match(r.stderr, re, name);
    assert.match(r.stderr, /^ERROR -- /, name);
  }
});

test('a failed submission exits 1 with the dashboard answer and never opens the log stream', async (t) => {
  const { dashboard, server } = await withServer(t);
  dashboard.failNextSubmit = new Error('runtime_env is invalid');
  const r = await runInProcess(sampleArgs, {
    RAY_DASHBOARD_ADDRESS: server.address,
    RAY_JOB_SUBMISSION_ID: 'rayjob-bad',
  });
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /ERROR -- cannot submit job rayjob-bad: SubmitJob fail: HTTP 500: .*runtime_env is invalid/,
  );
  assert.equal(server.requests.filter((q) => q.path.endsWith('/logs/tail')).length, 0);
});

test('an unreachable dashboard exits 1 promptly', async () => {
  const r = await runInProcess(sampleArgs, {
    RAY_DASHBOARD_ADDRESS: `127.0.0.1:${await freePort()}`,
    RAY_JOB_SUBMISSION_ID: 'rayjob-nowhere',
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ERROR -- cannot submit job rayjob-nowhere: .*ECONNREFUSED/);
});

test('the fake dashboard refuses POSTs that look like browser traffic, as Ray does (fetch sends Sec-Fetch-Mode)', async (t) => {
  const { server } = await withServer(t);
  const res = await fetch(`http://${server.address}/api/jobs/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ entrypoint: 'x', submission_id: 'from-fetch' }),
  });
  assert.equal(res.status, 405);
  assert.equal(await res.text(), 'Method Not Allowed for browser traffic.');
});
