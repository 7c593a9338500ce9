import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { binaryPath } from '../../../src/devcluster/binaries.ts';
import { freePort } from '../../../src/lib/ports.ts';
import { eventually } from '../../support/eventually.ts';
import {
  createNamespace,
  createPod,
  type LocalCluster,
  startLocalCluster,
  waitPod,
} from '../../support/local-cluster.ts';
import { runTool } from '../../support/tool.ts';

/**
 * The kubelet streaming API of the local node, driven by the real kubectl through the real kube-apiserver
 * (which speaks SPDY/3.1 to the node): exec, cp, port-forward and their error cases.
 */
let lc: LocalCluster;
let ns: string;
before(async () => {
  lc = await startLocalCluster();
  ns = await createNamespace(lc.client, 'stream');
  const containers = [
    {
      name: 'main',
      image: 'busybox:1.36',
      command: [
        'sh',
        '-c',
        'mkdir -p /tmp/www && echo hello-from-pod > /tmp/www/index.html && cd /tmp/www && exec python3 -m http.server 8080',
      ],
    },
    { name: 'side', image: 'busybox:1.36', command: ['sleep', '1000'] },
  ];
  await createPod(lc.client, ns, 'box', { terminationGracePeriodSeconds: 2, containers });
  await waitPod(lc.client, ns, 'box', { phase: 'Running' });
});
after(async () => {
  await lc?.stop();
});

const kubectl = (args: string[], input?: string) =>
  runTool(binaryPath('kubectl'), ['--kubeconfig', lc.kubeconfig, '-n', ns, ...args], input);

test('kubectl exec runs in the container: stdout, stderr, and the exit code', async () => {
  const ok = await kubectl([
    'exec',
    'box',
    '-c',
    'main',
    '--',
    'sh',
    '-c',
    'echo out; echo err >&2; hostname',
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'out\nbox\n');
  assert.equal(ok.stderr, 'err\n');
  const bad = await kubectl(['exec', 'box', '--', 'sh', '-c', 'exit 3']);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /command terminated with exit code 3/);
});

test('kubectl exec -i passes stdin through; the other container is reachable with -c', async () => {
  const r = await kubectl(
    ['exec', '-i', 'box', '-c', 'side', '--', 'sh', '-c', 'tr a-z A-Z; echo done'],
    'abc\nxyz\n',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ABC\nXYZ\ndone\n');
});

test('kubectl exec -it under a pseudo-terminal: the command gets a terminal of the client size and its exit code', async () => {
  // kubectl only asks for a TTY when its own stdin is a terminal: run it under script(1), which gives it a pty.
  const cmd = [
    binaryPath('kubectl'),
    '--kubeconfig',
    lc.kubeconfig,
    '-n',
    ns,
    'exec',
    '-it',
    'box',
    '-c',
    'side',
    '--',
    'sh',
    '-c',
    '[ -t 0 ] && [ -t 1 ] && echo tty-yes; stty size; exit 5',
  ]
    .map((a) => `'${a}'`)
    .join(' ');
  const r = await new Promise<{ code: number; out: string }>((resolve) => {
    const child = spawn('script', ['-qec', `stty cols 101 rows 33; ${cmd}`, '/dev/null']);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stdin.end();
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
  assert.equal(r.code, 5, `exit ${r.code}: ${r.out}`);
  // (script echoes the end of its own input as ^@ before the first line.)
  assert.match(r.out, /tty-yes\r?\n/);
  assert.match(r.out, /^33 101\r?$/m, 'the client terminal size reached the command');
});

test('kubectl cp copies a file into the pod and back out (tar over exec)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'krts-cp-'));
  writeFileSync(join(dir, 'in.txt'), 'payload\n'.repeat(5000));
  const put = await kubectl(['cp', join(dir, 'in.txt'), `${ns}/box:/tmp/copied.txt`, '-c', 'side']);
  assert.equal(put.code, 0, put.stderr);
  const get = await kubectl(['cp', `${ns}/box:/tmp/copied.txt`, join(dir, 'out.txt'), '-c', 'side']);
  assert.equal(get.code, 0, get.stderr);
  assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'payload\n'.repeat(5000));
});

/** Starts `kubectl port-forward` on a free local port and waits until it listens. */
async function portForward(target: string, remote: number) {
  const local = await freePort();
  const child = spawn(binaryPath('kubectl'), [
    '--kubeconfig',
    lc.kubeconfig,
    '-n',
    ns,
    'port-forward',
    target,
    `${local}:${remote}`,
  ]);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  await eventually(() => assert.match(out, /Forwarding from/), { timeoutMs: 20_000 });
  return { local, child, output: () => out };
}

test('kubectl port-forward: two forwards at once, and a new one works after a client is killed', async () => {
  const a = await portForward('pod/box', 8080);
  const b = await portForward('pod/box', 8080);
  try {
    for (const f of [a, b, a]) {
      const body = await eventually(async () => (await fetch(`http://127.0.0.1:${f.local}/`)).text());
      assert.equal(body, 'hello-from-pod\n');
    }
  } finally {
    a.child.kill('SIGKILL');
  }
  assert.equal(await (await fetch(`http://127.0.0.1:${b.local}/`)).text(), 'hello-from-pod\n');
  b.child.kill('SIGTERM');
  const c = await portForward('pod/box', 8080);
  try {
    assert.equal(await (await fetch(`http://127.0.0.1:${c.local}/`)).text(), 'hello-from-pod\n');
  } finally {
    c.child.kill('SIGTERM');
  }
});

test('bad input gets the kubelet-style error and the node keeps serving', async () => {
  const missing = await kubectl(['exec', 'box', '-c', 'nope', '--', 'true']);
  assert.notEqual(missing.code, 0);
  // The API server itself refuses a container the pod does not have, as in any cluster.
  assert.match(missing.stderr, /container nope is not valid for pod box/);
  const closed = await portForward('pod/box', 9999);
  try {
    await assert.rejects(fetch(`http://127.0.0.1:${closed.local}/`));
    await eventually(() => assert.match(closed.output(), /error forwarding port 9999 to pod box/));
  } finally {
    closed.child.kill('SIGTERM');
  }
  const again = await kubectl(['exec', 'box', '--', 'echo', 'still-here']);
  assert.equal(again.stdout, 'still-here\n');
});

test('the node serves only clients with a certificate from the cluster CA, as a kubelet does (the API server has one)', async () => {
  const url = `https://${lc.node.net.hostIP}:10250/containerLogs/${ns}/box/side`;
  const anonymous = await new Promise<number>((resolve, reject) => {
    const req = httpsRequest(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(anonymous, 401);
  // The same path through the API server (which presents its kubelet client certificate) works.
  const logs = await kubectl(['logs', 'box', '-c', 'main']);
  assert.equal(logs.code, 0, logs.stderr);
});
