import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptsEventStream, isWatch, parseWatchPath, sseComment, sseEvent, upstreamQuery } from './sse.ts';

test('parseWatchPath: ray.io collections, namespaced or across namespaces; nothing else', () => {
  assert.deepEqual(parseWatchPath('/apis/ray.io/v1/namespaces/a/rayclusters'), {
    namespace: 'a',
    plural: 'rayclusters',
  });
  assert.deepEqual(parseWatchPath('/apis/ray.io/v1/raycronjobs'), {
    namespace: undefined,
    plural: 'raycronjobs',
  });
  assert.equal(parseWatchPath('/apis/ray.io/v1/namespaces/a/rayclusters/x'), undefined);
  assert.equal(parseWatchPath('/apis/ray.io/v1/namespaces/a/pods'), undefined);
  assert.equal(parseWatchPath('/apis/ray.io/v1/namespaces/%E0%A4%A/rayjobs'), undefined);
});

test('isWatch and acceptsEventStream', () => {
  assert.equal(isWatch(new URLSearchParams('watch=true')), true);
  assert.equal(isWatch(new URLSearchParams('watch=1')), true);
  assert.equal(isWatch(new URLSearchParams('watch=false')), false);
  assert.equal(acceptsEventStream('text/event-stream'), true);
  assert.equal(acceptsEventStream('application/json, text/event-stream;q=0.9'), true);
  assert.equal(acceptsEventStream('application/json'), false);
  assert.equal(acceptsEventStream(undefined), false);
});

test('upstreamQuery passes selectors, caps the timeout and resumes from the last resourceVersion', () => {
  const q = new URLSearchParams(
    'watch=true&labelSelector=a%3Db&timeoutSeconds=9999&limit=3&resourceVersion=5',
  );
  assert.deepEqual(upstreamQuery(q, undefined), {
    watch: true,
    labelSelector: 'a=b',
    resourceVersion: '5',
    timeoutSeconds: 300,
  });
  assert.equal(upstreamQuery(q, '42').resourceVersion, '42');
  assert.equal(upstreamQuery(new URLSearchParams('timeoutSeconds=10'), undefined).timeoutSeconds, 10);
  assert.equal(upstreamQuery(new URLSearchParams('timeoutSeconds=x'), undefined).timeoutSeconds, 300);
});

test('sseEvent frames one watch event with its resourceVersion as id; comments are one line', () => {
  const e = { type: 'ADDED', object: { metadata: { name: 'a\nb', resourceVersion: '7' } } };
  assert.equal(sseEvent(e), `id: 7\ndata: ${JSON.stringify(e)}\n\n`);
  assert.equal(
    sseEvent({ type: 'ERROR', object: { code: 410 } }),
    'data: {"type":"ERROR","object":{"code":410}}\n\n',
  );
  assert.equal(sseComment('a\nb'), ': a b\n\n');
});
