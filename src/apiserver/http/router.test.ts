import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Router } from './router.ts';

const r = new Router<string>()
  .add('GET', '/apis/v1/namespaces/{namespace}/jobsubmissions/{clustername}/{submissionid}', 'details')
  .add('GET', '/apis/v1/namespaces/{namespace}/jobsubmissions/{clustername}/log/{submissionid}', 'log')
  .add('POST', '/apis/v1/namespaces/{namespace}/clusters', 'create')
  .add('GET', '/apis/v1/namespaces/{namespace}/clusters', 'list');

test('captures path parameters, decoded', () => {
  const m = r.match('GET', '/apis/v1/namespaces/a%2Db/jobsubmissions/c/raysubmit_1');
  assert.equal(m.kind, 'found');
  assert.ok(m.kind === 'found');
  assert.equal(m.route.handler, 'details');
  assert.deepEqual(m.params, { namespace: 'a-b', clustername: 'c', submissionid: 'raysubmit_1' });
});

test('a literal segment wins over a capture of the same length', () => {
  const m = r.match('GET', '/apis/v1/namespaces/ns/jobsubmissions/c/log/x1');
  assert.ok(m.kind === 'found');
  assert.equal(m.route.handler, 'log');
});

test('method not allowed lists the methods the path has; unknown paths are not found', () => {
  assert.deepEqual(r.match('DELETE', '/apis/v1/namespaces/ns/clusters'), {
    kind: 'methodNotAllowed',
    allowed: ['POST', 'GET'],
  });
  assert.deepEqual(r.match('GET', '/apis/v1/nothing'), { kind: 'notFound' });
  assert.deepEqual(r.match('GET', '/apis/v1/namespaces/%E0%A4%A/clusters'), { kind: 'notFound' });
});
