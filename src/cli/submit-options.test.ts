import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { logPresentation, parseVerify, statusLine } from './submit-options.ts';

const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

test('parseVerify: true/false, a certificate file or a directory of them; a clear error otherwise', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'verify-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(parseVerify('', dir), {});
  assert.deepEqual(parseVerify('True', dir), {});
  assert.deepEqual(parseVerify('false', dir), { rejectUnauthorized: false });
  writeFileSync(join(dir, 'ca.pem'), pem);
  writeFileSync(join(dir, 'notes.txt'), 'not a certificate');
  assert.deepEqual(
    parseVerify('ca.pem', dir).ca?.map((b) => b.toString()),
    [pem],
  );
  assert.equal(parseVerify(dir, '/').ca?.length, 1, 'only the .pem/.crt/.cer files of a directory');
  assert.throws(
    () => parseVerify('missing.pem', dir),
    /--verify: missing.pem is neither true\/false nor an existing file/,
  );
  assert.throws(() => parseVerify('notes.txt', dir), /--verify: no PEM certificate found in notes.txt/);
});

test('logPresentation: record and colours by flag, auto follows the terminal; bad values name the flag', () => {
  assert.deepEqual(logPresentation('', '', true), { record: false, color: true });
  assert.deepEqual(logPresentation('auto', 'auto', false), { record: false, color: false });
  assert.deepEqual(logPresentation('pretty', 'false', true), { record: false, color: false });
  assert.deepEqual(logPresentation('record', 'true', true), { record: true, color: true });
  assert.throws(
    () => logPresentation('fancy', '', true),
    /--log-style must be one of auto, record or pretty, got "fancy"/,
  );
  assert.throws(
    () => logPresentation('', 'maybe', true),
    /--log-color must be one of auto, false or true, got "maybe"/,
  );
});

test('statusLine: a timestamp and level in record style, ANSI colours only when asked', () => {
  const at = new Date('2026-12-05T10:00:00.000Z');
  assert.equal(statusLine({ record: false, color: false }, 'Job done', 'ok', at), 'Job done');
  assert.equal(
    statusLine({ record: true, color: false }, 'Job done', 'ok', at),
    '2026-12-05T10:00:00.000Z INFO Job done',
  );
  assert.equal(
    statusLine({ record: false, color: true }, 'Job failed', 'bad', at),
    '\x1b[31mJob failed\x1b[0m',
  );
});
