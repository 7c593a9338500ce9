import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { ApiError } from '../k8s/api-error.ts';
import type { KubeObject } from '../k8s/objects.ts';
import { FakeClock } from '../lib/clock.ts';
import { KuberayError, TerminalError } from '../lib/errors.ts';
import { createLogger } from '../lib/logger.ts';
import { Controller, type ReconcileResult, type Source } from './controller.ts';
import { RuntimeMetrics } from './metrics.ts';

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

test('Controller retries errors with backoff, requeues after, and does not retry terminal errors', async () => {
  const clock = new FakeClock();
  const registry = new Registry();
  const calls: string[] = [];
  const outcomes: Record<string, (() => ReconcileResult | undefined)[]> = {
    'ns/fail': [
      () => {
        throw new Error('boom');
      },
      () => undefined,
    ],
    'ns/later': [() => ({ requeueAfter: 60_000 }), () => undefined],
    'ns/bad': [
      () => {
        throw new TerminalError('InvalidSpec', 'spec is invalid');
      },
    ],
  };
  const c = new Controller({
    name: 'test',
    clock,
    metrics: RuntimeMetrics.for(registry),
    reconcile: (req) => {
      calls.push(req.key);
      assert.equal(req.namespace, 'ns');
      return outcomes[req.key]!.shift()!();
    },
  });
  c.start();
  for (const k of Object.keys(outcomes)) c.enqueue(k);
  await flush();
  assert.deepEqual(calls, ['ns/fail', 'ns/later', 'ns/bad']);
  clock.advance(5); // first retry of ns/fail after 5 ms
  await flush();
  assert.deepEqual(calls.slice(3), ['ns/fail']);
  clock.advance(59_999);
  await flush();
  assert.deepEqual(calls.slice(4), ['ns/later']);
  clock.advance(10_000_000);
  await flush();
  assert.equal(calls.length, 5, 'the terminal error is not retried');
  const text = await registry.metrics();
  assert.match(text, /controller_runtime_reconcile_total\{controller="test",result="error"\} 2/);
  assert.match(text, /controller_runtime_reconcile_total\{controller="test",result="requeue_after"\} 1/);
  assert.match(text, /controller_runtime_reconcile_total\{controller="test",result="success"\} 2/);
  assert.match(text, /controller_runtime_reconcile_errors_total\{controller="test"\} 2/);
  await c.stop();
});

test('Controller runs at most `concurrency` reconciles and stop waits for in-flight ones', async () => {
  let running = 0;
  let peak = 0;
  const release: (() => void)[] = [];
  const c = new Controller({
    name: 'conc',
    concurrency: 2,
    clock: new FakeClock(),
    reconcile: async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((r) => release.push(r));
      running--;
    },
  });
  c.start();
  for (const k of ['a', 'b', 'c', 'd']) c.enqueue(k);
  await flush();
  assert.equal(running, 2);
  let stopped = false;
  const stopping = c.stop().then(() => {
    stopped = true;
  });
  await flush();
  assert.equal(stopped, false);
  for (const r of release.splice(0)) r();
  await stopping;
  assert.equal(stopped, true);
  assert.equal(peak, 2);
  assert.equal(release.length, 0, 'queued keys are not started after stop');
  assert.throws(() => new Controller({ name: 'x', concurrency: 0, reconcile: () => {} }), /positive integer/);
});

test('Controller retries conflicts quietly and stops on a terminating namespace without an error log', async () => {
  const clock = new FakeClock();
  const lines: { level: string; msg: string }[] = [];
  const calls: string[] = [];
  const conflict = new ApiError('PUT', '/apis/ray.io/v1/namespaces/ns/rayjobs/j/status', 409, {
    reason: 'Conflict',
  });
  const terminating = new ApiError('POST', '/api/v1/namespaces/gone/pods', 403, {
    reason: 'Forbidden',
    message:
      'pods "c-head-" is forbidden: unable to create new content in namespace gone because it is being terminated',
    details: { causes: [{ type: 'NamespaceTerminating' }] },
  });
  const outcomes: Record<string, (() => ReconcileResult | undefined)[]> = {
    'ns/j': [
      () => {
        throw conflict;
      },
      () => undefined,
    ],
    'gone/c': [
      () => {
        throw new KuberayError('creating pods failed', { cause: terminating });
      },
    ],
  };
  const c = new Controller({
    name: 'quiet',
    clock,
    logger: createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l)) }),
    reconcile: (req) => {
      calls.push(req.key);
      return outcomes[req.key]!.shift()!();
    },
  });
  c.start();
  c.enqueue('ns/j');
  c.enqueue('gone/c');
  await flush();
  clock.advance(10_000_000);
  await flush();
  assert.deepEqual(
    calls,
    ['ns/j', 'gone/c', 'ns/j'],
    'the conflict is retried, the terminating namespace is not',
  );
  assert.deepEqual(
    lines.filter((l) => l.level !== 'info').map((l) => [l.level, l.msg]),
    [
      ['debug', 'reconcile conflict, retrying'],
      ['debug', 'reconcile stopped, the object is being deleted'],
    ],
  );
  await c.stop();
});

test('Controller throttles a source: the first minor event at once, the rest once at the end of its window', async () => {
  const clock = new FakeClock();
  const calls: { key: string; at: number }[] = [];
  let handler: Parameters<Source['informer']['addEventHandler']>[0] | undefined;
  const obj = (name: string, minor: boolean): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: 'ns', name, labels: { owner: 'c1', minor: String(minor) } },
  });
  const c = new Controller({
    name: 'throttled',
    clock,
    reconcile: (req) => {
      calls.push({ key: req.key, at: clock.now() });
    },
    sources: [
      {
        informer: {
          addEventHandler: (h) => {
            handler = h;
            return () => {};
          },
        },
        map: (o) => [`ns/${o.metadata.labels?.owner}`],
        throttle: {
          windowMs: 500,
          applies: (e) => e.type === 'update' && e.obj.metadata.labels?.minor === 'true',
        },
      },
    ],
  });
  c.start();
  const update = async (minor: boolean) => {
    handler!.onUpdate!(obj('p', minor), obj('p', minor));
    await flush();
  };
  const at = () => calls.map((c) => c.at);

  await update(true); // t=0: at once (old and new map to one key: one reconcile, nothing scheduled)
  assert.deepEqual(at(), [0]);
  assert.equal(clock.pending(), 0);
  clock.advance(100);
  await update(true); // t=100: within the window, queued at its end (500)
  clock.advance(100);
  await update(true); // t=200: already queued for 500
  assert.deepEqual(at(), [0]);
  clock.advance(300);
  await flush();
  assert.deepEqual(at(), [0, 500], 'one reconcile at the end of the window, for both events');
  clock.advance(100);
  await update(true); // t=600: in the window that began at 500, queued at 1000
  assert.deepEqual(at(), [0, 500]);
  await update(false); // t=600: not minor, at once
  assert.deepEqual(at(), [0, 500, 600]);
  clock.advance(400);
  await flush();
  assert.deepEqual(at(), [0, 500, 600, 1000]);
  clock.advance(2000);
  await update(true); // t=3000: the window is over, at once again
  assert.deepEqual(at(), [0, 500, 600, 1000, 3000]);
  handler!.onAdd!(obj('q', true)); // an add: the throttle's applies says no
  await flush();
  assert.deepEqual(at(), [0, 500, 600, 1000, 3000, 3000]);
  assert.ok(calls.every((c) => c.key === 'ns/c1'));
  await c.stop();
});
