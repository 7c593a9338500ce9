import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from './api-error.ts';
import { readWatchEvents } from './watch.ts';

/** A watch line as the API server writes it. */
function line(metadata: Record<string, unknown>): string {
  return JSON.stringify({ type: 'MODIFIED', object: { kind: 'Pod', apiVersion: 'v1', metadata } });
}

test('readWatchEvents: the idle timeout starts with the first bytes; silence before them is not an error', async () => {
  const body = new PassThrough();
  const events = readWatchEvents(body as unknown as IncomingMessage, {
    idleTimeoutMs: 20,
    path: '/api/v1/pods',
  });
  const first = events.next();
  // Ten idle timeouts with nothing sent: still waiting, no error.
  const early = await Promise.race([first.then(() => 'settled'), sleep(200).then(() => 'waiting')]);
  assert.equal(early, 'waiting');
  body.write(`${line({ name: 'a' })}\n`);
  const event = (await first).value as { type: string; object: { metadata: { name: string } } };
  assert.equal(event.type, 'MODIFIED');
  assert.equal(event.object.metadata.name, 'a');
  // After it, silence for longer than the timeout ends the watch with a status-0 ApiError.
  await assert.rejects(
    events.next(),
    (e: unknown) =>
      e instanceof ApiError &&
      e.status === 0 &&
      e.path === '/api/v1/pods' &&
      /silent for 20ms/.test(e.message),
  );
  assert.ok(body.destroyed);
});

test('readWatchEvents: each chunk restarts the idle timeout; the server closing ends it quietly', async () => {
  const body = new PassThrough();
  const events = readWatchEvents(body as unknown as IncomingMessage, { idleTimeoutMs: 250 });
  const names: string[] = [];
  const reading = (async () => {
    for await (const e of events) names.push((e.object as { metadata: { name: string } }).metadata.name);
  })();
  // Fifteen chunks 25 ms apart: more than the timeout in all, and never near 250 ms of silence between two.
  const sent = 'abcdefghijklmno'.split('');
  for (const name of sent) {
    body.write(`${line({ name })}\n`);
    await sleep(25);
  }
  body.end();
  await reading;
  assert.deepEqual(names, sent);
});
