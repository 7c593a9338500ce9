import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from './logger.ts';

test('JSON lines carry fixed message, level, time and merged child fields', () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l), now: () => 0 }, { controller: 'raycluster' });
  log.child({ namespace: 'ns', name: 'c' }).info('reconciled', { error: new Error('boom') });
  log.debug('hidden');
  assert.equal(lines.length, 1);
  assert.deepEqual(JSON.parse(lines[0]!), {
    ts: '1970-01-01T00:00:00.000Z',
    level: 'info',
    msg: 'reconciled',
    controller: 'raycluster',
    namespace: 'ns',
    name: 'c',
    error: 'boom',
  });
});

test('console format is one readable line', () => {
  const lines: string[] = [];
  createLogger({ write: (l) => lines.push(l), now: () => 0, format: 'console', level: 'debug' }).debug('x', {
    a: 1,
  });
  assert.equal(lines[0], '1970-01-01T00:00:00.000Z DEBUG x a=1');
});
