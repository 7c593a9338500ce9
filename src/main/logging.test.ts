import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { operatorLogging } from './logging.ts';

test('the operator logs to stdout and to one file writer shared by every child, flushed on close', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'oplog-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'logs', 'operator.log');
  const stdout: string[] = [];
  const { logger, close } = operatorLogging(
    { level: 'info', stdoutEncoder: 'console', fileEncoder: 'json', file },
    (l) => stdout.push(l),
  );
  const setup = logger.child({ logger: 'setup' });
  const controller = logger.child({ controller: 'raycluster' });
  for (let i = 0; i < 300; i++) (i % 2 ? setup : controller).info('line', { i });
  logger.debug('dropped below the level');
  await close();
  const lines = readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => l.i),
    Array.from({ length: 300 }, (_, i) => i),
  );
  assert.deepEqual(lines[1], { ts: lines[1].ts, level: 'info', msg: 'line', logger: 'setup', i: 1 });
  assert.equal(stdout.length, 300);
  assert.match(stdout[0]!, / INFO {2}line controller=raycluster i=0$/);
});

test('without a log file only stdout is written and close resolves', async () => {
  const stdout: string[] = [];
  const { logger, close } = operatorLogging(
    { level: 'debug', stdoutEncoder: 'json', fileEncoder: 'json', file: '' },
    (l) => stdout.push(l),
  );
  logger.debug('d');
  await close();
  assert.equal(JSON.parse(stdout[0]!).msg, 'd');
});
