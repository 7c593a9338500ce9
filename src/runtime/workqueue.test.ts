import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { FakeClock } from '../lib/clock.ts';
import { RuntimeMetrics } from './metrics.ts';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialRateLimiter,
} from './rate-limiter.ts';
import { WorkQueue } from './workqueue.ts';

const flush = () => new Promise<void>((r) => setImmediate(r));

test('WorkQueue de-duplicates waiting keys and hands a key to one worker at a time', async () => {
  const q = new WorkQueue({ clock: new FakeClock() });
  q.add('a');
  q.add('a');
  q.add('b');
  assert.equal(q.len(), 2);
  assert.equal(await q.get(), 'a');
  q.add('a'); // while processing: held back, not handed to another worker
  assert.equal(await q.get(), 'b');
  let third: string | undefined = 'none';
  void q.get().then((k) => {
    third = k;
  });
  await flush();
  assert.equal(third, 'none');
  q.done('a'); // re-queued because it was added while processing
  await flush();
  assert.equal(third, 'a');
});

test('WorkQueue.addAfter waits on the clock and keeps the earliest time', async () => {
  const clock = new FakeClock();
  const q = new WorkQueue({ clock });
  q.addAfter('k', 1000);
  q.addAfter('k', 300);
  q.addAfter('k', 5000);
  clock.advance(299);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(q.len(), 1);
  clock.advance(10_000);
  assert.equal(q.len(), 1);
});

test('ItemExponentialRateLimiter doubles from 5 ms up to 1000 s and forgets', () => {
  const l = new ItemExponentialRateLimiter<string>();
  const delays = Array.from({ length: 5 }, () => l.when('x'));
  assert.deepEqual(delays, [5, 10, 20, 40, 80]);
  for (let i = 0; i < 40; i++) l.when('x');
  assert.equal(l.when('x'), 1_000_000);
  assert.equal(l.when('y'), 5);
  l.forget('x');
  assert.equal(l.numRequeues('x'), 0);
  assert.equal(l.when('x'), 5);
});

test('BucketRateLimiter allows a burst of 100 then 10 per second; default takes the max of both', () => {
  const clock = new FakeClock();
  const b = new BucketRateLimiter<string>(clock);
  for (let i = 0; i < 100; i++) assert.equal(b.when(`k${i}`), 0);
  assert.equal(b.when('z'), 100);
  const d = defaultControllerRateLimiter<string>(new FakeClock());
  assert.equal(d.when('a'), 5);
  assert.equal(d.when('a'), 10);
  assert.equal(d.numRequeues('a'), 2);
});

test('WorkQueue.addRateLimited backs off per key; shutDownWithDrain waits for in-flight work', async () => {
  const clock = new FakeClock();
  const registry = new Registry();
  const q = new WorkQueue({ clock, name: 'ctl', metrics: RuntimeMetrics.for(registry) });
  q.addRateLimited('k');
  q.addRateLimited('k');
  clock.advance(4);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(q.len(), 1);
  const key = await q.get();
  assert.equal(key, 'k');
  clock.advance(2000);
  const text = await registry.metrics();
  assert.match(text, /workqueue_retries_total\{controller="ctl",name="ctl"\} 2/);
  assert.match(text, /workqueue_adds_total\{controller="ctl",name="ctl"\} 1/);
  assert.match(text, /workqueue_longest_running_processor_seconds\{controller="ctl",name="ctl"\} 2/);
  let drained = false;
  const p = q.shutDownWithDrain().then(() => {
    drained = true;
  });
  q.add('other');
  assert.equal(await q.get(), undefined);
  await flush();
  assert.equal(drained, false);
  q.done('k');
  await p;
  assert.equal(drained, true);
});
