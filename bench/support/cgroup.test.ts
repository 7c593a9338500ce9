import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryCgroup, parseKeyValues } from './cgroup.ts';

test('memory.events (v2) and memory.oom_control (v1) give their counters by name', () => {
  assert.deepEqual(parseKeyValues('low 0\nhigh 0\nmax 12\noom 2\noom_kill 1\noom_group_kill 0\n'), {
    low: 0,
    high: 0,
    max: 12,
    oom: 2,
    oom_kill: 1,
    oom_group_kill: 0,
  });
  assert.deepEqual(parseKeyValues('oom_kill_disable 0\nunder_oom 0\noom_kill 3'), {
    oom_kill_disable: 0,
    under_oom: 0,
    oom_kill: 3,
  });
  assert.deepEqual(parseKeyValues('\nnot a counter\nkey\n'), {});
});

test('a bad cgroup name or limit is refused before anything is made', () => {
  assert.throws(() => memoryCgroup('../escape', 512), /cgroup name "..\/escape"/);
  assert.throws(() => memoryCgroup('ok-name', 0), /positive MiB/);
  assert.throws(() => memoryCgroup('ok-name', 1.5), /positive MiB/);
});
