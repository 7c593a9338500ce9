import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { binaryPath } from '../../../src/devcluster/binaries.ts';
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
 * `kubectl attach` and the containerLogs options (timestamps, since, tail, limit-bytes, follow) at the local
 * node, through the real kube-apiserver with the real kubectl.
 */
let lc: LocalCluster;
let ns: string;
before(async () => {
  lc = await startLocalCluster();
  ns = await createNamespace(lc.client, 'attach');
  const pods: [string, Record<string, unknown>][] = [
    [
      // Reads its stdin (stdinOnce: closed when the first attached client's stdin ends), answers on both streams.
      'talker',
      {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'echo',
            image: 'busybox:1.36',
            stdin: true,
            stdinOnce: true,
            command: ['sh', '-c', 'while read l; do echo "got $l"; echo "err $l" >&2; done; echo bye'],
          },
        ],
      },
    ],
    [
      // No stdin: true, so its stdin is /dev/null (cat ends at once) whatever an attached client sends.
      'ticker',
      {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'tick',
            image: 'busybox:1.36',
            command: [
              'sh',
              '-c',
              'cat; echo cat-ended; i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.3; done',
            ],
          },
        ],
      },
    ],
    [
      'term',
      {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'sh',
            image: 'busybox:1.36',
            stdin: true,
            tty: true,
            command: ['sh', '-c', 'while read l; do echo "size $(stty size) line $l"; done'],
          },
        ],
      },
    ],
  ];
  for (const [name, spec] of pods) await createPod(lc.client, ns, name, spec);
  for (const [name] of pods) await waitPod(lc.client, ns, name, { phase: 'Running' });
});
after(async () => {
  await lc?.stop();
});

const kubectlArgs = (args: string[]) => ['--kubeconfig', lc.kubeconfig, '-n', ns, ...args];
const kubectl = (args: string[], input?: string) => runTool(binaryPath('kubectl'), kubectlArgs(args), input);

/** A long-running kubectl whose output is collected until it is killed. */
function background(args: string[]): { child: ChildProcess; out: () => string } {
  const child = spawn(binaryPath('kubectl'), kubectlArgs(args));
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  return { child, out: () => out };
}

test('kubectl attach -i: stdin reaches a stdin: true container, stdout and stderr come back, stdinOnce ends it', async () => {
  const r = await kubectl(['attach', '-i', 'talker', '-c', 'echo'], 'a\nb\n');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'got a\ngot b\nbye\n');
  assert.match(r.stderr, /err a\nerr b\n/);
  await waitPod(lc.client, ns, 'talker', { phase: 'Succeeded' });
});

test('kubectl logs: timestamps, tail, limit-bytes, since-time and since, on a log written line by line', async () => {
  // stdout and stderr are two pipes read apart: their lines interleave as they were read, each in order.
  const all = (await kubectl(['logs', 'talker'])).stdout;
  const plain = all.trimEnd().split('\n');
  assert.deepEqual(
    plain.filter((l) => !l.startsWith('err')),
    ['got a', 'got b', 'bye'],
  );
  assert.deepEqual(
    plain.filter((l) => l.startsWith('err')),
    ['err a', 'err b'],
  );
  const ts = await kubectl(['logs', 'talker', '--timestamps']);
  const lines = ts.stdout.trimEnd().split('\n');
  const stamps = lines.map((l) => {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,9})?Z (.*)$/.exec(l);
    assert.ok(m, `a timestamp and the line: ${l}`);
    return {
      time: `${m[1]}${m[2] ?? ''}Z`,
      ns: BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '.0').slice(1).padEnd(9, '0')),
      text: m[3],
    };
  });
  assert.deepEqual(
    stamps.map((x) => x.text),
    plain,
  );
  assert.ok(
    stamps.every((x, i) => i === 0 || x.ns >= stamps[i - 1]!.ns),
    'times never go back',
  );
  assert.equal((await kubectl(['logs', 'talker', '--tail=2'])).stdout, `${plain.slice(-2).join('\n')}\n`);
  assert.equal((await kubectl(['logs', 'talker', '--limit-bytes=8'])).stdout, all.slice(0, 8));
  // Only the records at or after the time of the last line; sinceTime travels as a metav1.Time, which the
  // API server keeps to the second, so every line of that second.
  const last = stamps.at(-1)!;
  const since = stamps
    .filter((x) => x.ns >= (last.ns / 1_000_000_000n) * 1_000_000_000n)
    .map((x) => `${x.text}\n`)
    .join('');
  assert.equal((await kubectl(['logs', 'talker', `--since-time=${last.time}`])).stdout, since);
  assert.equal((await kubectl(['logs', 'talker', '--since-time=2999-01-01T00:00:00Z'])).stdout, '');
  assert.equal((await kubectl(['logs', 'talker', '--since=1h'])).stdout, all);
});

test('kubectl attach to a container without stdin: true: output streams, the input is dropped (its stdin is /dev/null)', async () => {
  const a = background(['attach', '-i', 'ticker']);
  a.child.stdin?.write('secret-input\n');
  try {
    await eventually(() => assert.match(a.out(), /tick \d+\n[\s\S]*tick \d+\n/), { timeoutMs: 20_000 });
  } finally {
    a.child.kill('SIGTERM');
  }
  assert.doesNotMatch(a.out(), /secret-input/);
  // No replay: attach shows what comes after it connected, so 'cat-ended' (printed at start) is in the log only.
  assert.doesNotMatch(a.out(), /cat-ended/);
  assert.match((await kubectl(['logs', 'ticker', '--tail=-1'])).stdout, /^cat-ended\ntick 1\n/);
});

test('kubectl logs --since-time/--since on a log that spans seconds: only the lines from then on', async () => {
  const stamped = async () =>
    (await kubectl(['logs', 'ticker', '--timestamps'])).stdout
      .trimEnd()
      .split('\n')
      .map((l) => ({ second: l.slice(0, 19), text: l.slice(l.indexOf(' ') + 1) }));
  const seen = await eventually(
    async () => {
      const s = await stamped();
      assert.ok(new Set(s.map((x) => x.second)).size >= 3, 'ticks over 3 seconds');
      return s;
    },
    { timeoutMs: 20_000 },
  );
  const from = seen.at(-1)!.second;
  const firstFrom = seen.find((x) => x.second >= from)!;
  const out = (await kubectl(['logs', 'ticker', `--since-time=${from}Z`])).stdout.split('\n');
  assert.equal(out[0], firstFrom.text, 'starts at the first line of that second');
  assert.ok(!out.includes('cat-ended'), 'earlier lines are left out');
  const recent = (await kubectl(['logs', 'ticker', '--since=1s'])).stdout.trimEnd().split('\n');
  const total = (await stamped()).length;
  assert.ok(
    recent.length >= 1 && recent.length < total - 2,
    `--since=1s: ${recent.length} of ${total} lines`,
  );
});

test('kubectl logs -f follows the container as it prints; with --tail it starts from the end', async () => {
  const f = background(['logs', '-f', '--tail=1', 'ticker']);
  try {
    await eventually(() => assert.ok(f.out().trim().split('\n').length >= 3, f.out()), { timeoutMs: 20_000 });
  } finally {
    f.child.kill('SIGTERM');
  }
  const n = f
    .out()
    .trim()
    .split('\n')
    .map((l) => Number(/^tick (\d+)$/.exec(l)?.[1]));
  assert.ok(
    n.every((x, i) => i === 0 || x === n[i - 1]! + 1),
    `consecutive ticks: ${f.out()}`,
  );
  assert.ok(n[0]! > 1, 'started from the last line, not the first');
});

test('kubectl attach -it to a tty: true container: a terminal of the client size, input echoed and answered', async () => {
  const cmd = [binaryPath('kubectl'), ...kubectlArgs(['attach', '-it', 'term'])]
    .map((a) => `'${a}'`)
    .join(' ');
  const child = spawn('script', ['-qec', `stty cols 101 rows 33; ${cmd}`, '/dev/null']);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  try {
    // The shell reads only after attach has set up the terminal; type until it answers.
    await eventually(
      () => {
        child.stdin.write('hello\r');
        assert.match(out, /size 33 101 line hello/);
      },
      { timeoutMs: 20_000, intervalMs: 1000 },
    );
  } finally {
    child.kill('SIGKILL');
  }
  // The pod keeps running after the client went away.
  await waitPod(lc.client, ns, 'term', { phase: 'Running' });
});

test('kubectl run -it --rm: a pod with stdin and a tty, attached at once, answers and is deleted when it exits', async () => {
  const cmd = [
    binaryPath('kubectl'),
    ...kubectlArgs([
      'run',
      'oneshot',
      '-it',
      '--rm',
      '--restart=Never',
      '--image=busybox:1.36',
      '--',
      'sh',
      '-c',
      'read l; echo "got $l"',
    ]),
  ]
    .map((a) => `'${a}'`)
    .join(' ');
  const child = spawn('script', ['-qec', cmd, '/dev/null']);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const code = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  try {
    await eventually(
      () => {
        child.stdin.write('hi\r');
        assert.match(out, /got hi/);
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    assert.equal(await code, 0, out);
  } finally {
    child.kill('SIGKILL');
  }
  assert.match(out, /pod "oneshot" deleted/);
});

test('bad attach: a container that is not running gets the kubelet error; the node keeps serving', async () => {
  const r = await kubectl(['attach', 'talker', '-c', 'echo']);
  assert.notEqual(r.code, 0);
  // kubectl itself refuses a completed pod, as against any cluster.
  assert.match(r.stderr, /completed pod|not found in pod talker_/);
  const still = await kubectl(['logs', 'ticker', '--tail=1']);
  assert.match(still.stdout, /^tick \d+\n$/);
});
