import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../lib/clock.ts';
import { parseBindAddress } from './endpoints.ts';
import { eventKey } from './events.ts';
import { ScaleExpectations } from './expectations.ts';
import { microTime } from './leader-election.ts';

test('ScaleExpectations are met when the cache shows the change, or after the timeout', () => {
  const clock = new FakeClock();
  const e = new ScaleExpectations({ clock, timeoutMs: 30_000 });
  const cache = new Set(['old']);
  const exists = (n: string) => cache.has(n);
  assert.equal(e.isSatisfied('ns/rc', 'workers', exists), true);
  e.expect('ns/rc', 'workers', 'new', 'create');
  e.expect('ns/rc', 'workers', 'old', 'delete');
  assert.equal(e.isSatisfied('ns/rc', 'workers', exists), false);
  cache.add('new');
  assert.equal(e.isSatisfied('ns/rc', 'workers', exists), false);
  assert.equal(e.pending('ns/rc', 'workers'), 1);
  cache.delete('old');
  assert.equal(e.isSatisfied('ns/rc', 'workers', exists), true);
  e.expect('ns/rc', 'head', 'never-seen', 'create');
  clock.advance(29_999);
  assert.equal(e.isSatisfied('ns/rc', 'head', exists), false);
  clock.advance(1);
  assert.equal(e.isSatisfied('ns/rc', 'head', exists), true);
  e.expect('ns/rc', 'head', 'x', 'create');
  e.delete('ns/rc');
  assert.equal(e.isSatisfied('ns/rc', 'head', exists), true);
});

test('parseBindAddress accepts Go-style addresses and names the flag on errors', () => {
  assert.deepEqual(parseBindAddress(':8080'), { host: undefined, port: 8080 });
  assert.deepEqual(parseBindAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  assert.deepEqual(parseBindAddress('[::1]:9'), { host: '::1', port: 9 });
  assert.equal(parseBindAddress('0'), undefined);
  assert.throws(() => parseBindAddress('8080', 'metrics-addr'), /metrics-addr: invalid bind address '8080'/);
});

test('event keys differ by reason and message; lease times are MicroTime', () => {
  const obj = {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { namespace: 'n', name: 'c', uid: 'u' },
  };
  assert.equal(eventKey(obj, 'Normal', 'Created', 'a'), eventKey(obj, 'Normal', 'Created', 'a'));
  assert.notEqual(eventKey(obj, 'Normal', 'Created', 'a'), eventKey(obj, 'Normal', 'Created', 'b'));
  assert.equal(microTime(Date.parse('2026-01-02T03:04:05.678Z')), '2026-01-02T03:04:05.678000Z');
});
