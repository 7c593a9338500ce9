import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerStatus } from '../../api/k8s-types.ts';
import { logRun, parseLogRequest } from './container-logs.ts';

const cs = (state: ContainerStatus['state'], restartCount = 0, last?: boolean): ContainerStatus => ({
  name: 'c',
  image: 'busybox',
  imageID: '',
  ready: false,
  restartCount,
  state,
  lastState: last ? { terminated: { exitCode: 1, reason: 'Error' } } : {},
});

test('logRun: the current run, the previous one, and the kubelet messages when there is none', () => {
  assert.equal(logRun('p', 'c', cs({ running: {} }, 2, true), false), 2);
  assert.equal(logRun('p', 'c', cs({ running: {} }, 2, true), true), 1);
  // Waiting to restart: the run that just ended is both the current log and the previous one.
  assert.equal(logRun('p', 'c', cs({ waiting: { reason: 'CrashLoopBackOff' } }, 1, true), false), 1);
  assert.equal(logRun('p', 'c', cs({ waiting: { reason: 'CrashLoopBackOff' } }, 1, true), true), 1);
  assert.equal(logRun('p', 'c', cs({ terminated: { exitCode: 0 } }, 0), false), 0);
  assert.equal(
    logRun('p', 'c', cs({ running: {} }), true),
    'previous terminated container "c" in pod "p" not found',
  );
  assert.equal(
    logRun('p', 'c', cs({ waiting: { reason: 'ErrImagePull' } }), false),
    `container "c" in pod "p" is waiting to start: image can't be pulled`,
  );
  assert.equal(
    logRun('p', 'c', cs({ waiting: { reason: 'ContainerCreating' } }), false),
    'container "c" in pod "p" is waiting to start: ContainerCreating',
  );
});

test('parseLogRequest: flags, counts, since as a time, and errors naming the parameter', () => {
  const now = 2_000_000_000_000_000_000n;
  assert.deepEqual(parseLogRequest(new URLSearchParams('follow=true&tailLines=3&limitBytes=10'), now), {
    follow: true,
    previous: false,
    timestamps: false,
    tailLines: 3,
    limitBytes: 10,
  });
  const r = parseLogRequest(new URLSearchParams('sinceSeconds=2&timestamps=true'), now);
  assert.ok(typeof r !== 'string');
  assert.equal(r.sinceNs, now - 2_000_000_000n);
  assert.equal(r.timestamps, true);
  const t = parseLogRequest(new URLSearchParams('sinceTime=2026-01-01T00:00:00Z'), now);
  assert.ok(typeof t !== 'string');
  assert.equal(t.sinceNs, 1_767_225_600_000_000_000n);
  assert.match(String(parseLogRequest(new URLSearchParams('tailLines=x'), now)), /^tailLines: /);
  assert.match(String(parseLogRequest(new URLSearchParams('limitBytes=0'), now)), /^limitBytes: /);
  assert.match(String(parseLogRequest(new URLSearchParams('sinceTime=later'), now)), /^sinceTime: /);
  assert.match(
    String(parseLogRequest(new URLSearchParams('sinceSeconds=1&sinceTime=2026-01-01T00:00:00Z'), now)),
    /at most one/,
  );
});
