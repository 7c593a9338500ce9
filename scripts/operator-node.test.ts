import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

// The launcher execs `node` from PATH: a stand-in prints the arguments it got, one a line, so the test sees the
// flags the launcher chose without starting anything. The cgroup files are a tree in a temp directory.
const tmp = mkdtempSync(join(tmpdir(), 'operator-node-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const bin = join(tmp, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'node'), '#!/bin/sh\nprintf "%s\\n" "$@"\n');
chmodSync(join(bin, 'node'), 0o755);
const script = join(import.meta.dirname, 'operator-node.sh');

let trees = 0;
/** A cgroup file system: `files` relative to its root, and the process's /proc/self/cgroup text. */
function tree(files: Record<string, string>, selfCgroup: string) {
  const dir = join(tmp, `fs${++trees}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(tmp, `self${trees}`), selfCgroup);
  return { KUBERAY_TS_CGROUP_FS: dir, KUBERAY_TS_PROC_SELF_CGROUP: join(tmp, `self${trees}`) };
}

function launch(env: Record<string, string>, ...args: string[]): string[] {
  const { NODE_OPTIONS: _, ...rest } = process.env;
  const out = execFileSync('sh', [script, ...args], {
    env: { ...rest, PATH: `${bin}:${process.env.PATH}`, ...env },
    encoding: 'utf8',
  });
  return out.split('\n').slice(0, -1);
}

const cap = '--max-old-space-size=1024';
const v2 = (memoryMax: string, path = '/') =>
  tree({ 'cgroup.controllers': 'cpu memory\n', [`${path}/memory.max`]: `${memoryMax}\n` }, `0::${path}\n`);
const v1 = (limit: string, path = '/kubepods/pod1/c1') =>
  tree(
    {
      'memory/memory.limit_in_bytes': '9223372036854771712\n',
      [`memory${path}/memory.limit_in_bytes`]: `${limit}\n`,
    },
    `12:pids:${path}\n4:memory:${path}\n0::/\n`,
  );

test('without a memory limit the old space is capped at 1024 MiB; the arguments follow, unchanged', () => {
  assert.deepEqual(launch(v2('max'), '/app/operator.js', '--flag=a b', ''), [
    '--max-semi-space-size=2',
    cap,
    '/app/operator.js',
    '--flag=a b',
    '',
  ]);
  assert.deepEqual(launch(v2('max', '/kubepods.slice/pod1')), ['--max-semi-space-size=2', cap]);
  assert.deepEqual(launch(v1('9223372036854771712')), ['--max-semi-space-size=2', cap]);
});

test('with a memory limit Node sizes the heap itself: no cap', () => {
  assert.deepEqual(launch(v2('536870912'), 'x.js'), ['--max-semi-space-size=2', 'x.js']);
  assert.deepEqual(launch(v2('536870912', '/kubepods.slice/pod1')), ['--max-semi-space-size=2']);
  // v1: the process's own cgroup holds the limit, the root none.
  assert.deepEqual(launch(v1('536870912')), ['--max-semi-space-size=2']);
});

test('a cgroup path that is not mounted falls back to the root (a container without a cgroup namespace)', () => {
  const env = tree({ 'memory/memory.limit_in_bytes': '536870912\n' }, '4:cpuacct,memory:/docker/0123abcd\n');
  assert.deepEqual(launch(env), ['--max-semi-space-size=2']);
  const env2 = tree({ 'cgroup.controllers': '', 'memory.max': 'max\n' }, '0::/not/mounted\n');
  assert.deepEqual(launch(env2), ['--max-semi-space-size=2', cap]);
});

test('an unknown limit leaves Node its own sizing', () => {
  assert.deepEqual(launch(tree({ 'cgroup.controllers': '' }, '0::/\n')), ['--max-semi-space-size=2']);
  const noSelf = { ...v2('max'), KUBERAY_TS_PROC_SELF_CGROUP: join(tmp, 'no-such-file') };
  assert.deepEqual(launch(noSelf), ['--max-semi-space-size=2']);
  assert.deepEqual(launch(v2('garbage')), ['--max-semi-space-size=2']);
});

test('NODE_OPTIONS with its own old-space size wins', () => {
  assert.deepEqual(launch({ ...v2('max'), NODE_OPTIONS: '--max-old-space-size=4096' }), [
    '--max-semi-space-size=2',
  ]);
  assert.deepEqual(launch({ ...v2('max'), NODE_OPTIONS: '--max_old_space_size=300 --trace-warnings' }), [
    '--max-semi-space-size=2',
  ]);
  assert.deepEqual(launch({ ...v2('max'), NODE_OPTIONS: '--trace-warnings' }), [
    '--max-semi-space-size=2',
    cap,
  ]);
});
