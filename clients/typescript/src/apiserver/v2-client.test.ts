import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiServerError } from './http.ts';
import { ApiServerV2Client, v2Requests } from './v2-client.ts';

test('v2 routes: Kubernetes REST paths of the ray.io kinds and ray.io events', () => {
  assert.deepEqual(v2Requests.list('rayclusters', 'ml', { labelSelector: 'a=b', limit: 2, continue: 'c' }), {
    method: 'GET',
    path: '/apis/ray.io/v1/namespaces/ml/rayclusters?labelSelector=a%3Db&limit=2&continue=c',
  });
  assert.equal(v2Requests.list('rayjobs', undefined).path, '/apis/ray.io/v1/rayjobs');
  assert.equal(v2Requests.get('rayservices', 'ml', 's').path, '/apis/ray.io/v1/namespaces/ml/rayservices/s');
  const obj = {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: 'c', namespace: 'ml' },
    spec: {},
  };
  assert.deepEqual(v2Requests.create('rayclusters', obj), {
    method: 'POST',
    path: '/apis/ray.io/v1/namespaces/ml/rayclusters',
    body: obj,
  });
  assert.equal(v2Requests.update('rayclusters', obj).path, '/apis/ray.io/v1/namespaces/ml/rayclusters/c');
  assert.equal(v2Requests.update('rayclusters', obj).method, 'PUT');
  assert.equal(
    v2Requests.patch('rayjobs', 'ml', 'j', { spec: { suspend: true } }).contentType,
    'application/merge-patch+json',
  );
  assert.equal(v2Requests.delete('rayjobs', 'ml', 'j').method, 'DELETE');
  assert.equal(v2Requests.events('ml').path, '/apis/events.k8s.io/v1/namespaces/ml/events');
});

test('v2 routes refuse bad input with the field', () => {
  assert.throws(
    () => v2Requests.create('rayclusters', { metadata: { name: 'c' } }),
    /metadata\.namespace: must be a non-empty string/,
  );
  assert.throws(() => v2Requests.get('rayclusters', 'ml', ''), /name: must be a non-empty string/);
  assert.throws(
    () => v2Requests.list('pods' as never, 'ml'),
    /kind: must be rayclusters, rayjobs or rayservices/,
  );
});

test('ApiServerV2Client: Kubernetes Status errors keep their message; events unwrap items', async () => {
  const answers: [number, unknown][] = [
    [
      409,
      {
        kind: 'Status',
        status: 'Failure',
        message: 'rayclusters.ray.io "c" already exists',
        reason: 'AlreadyExists',
        code: 409,
      },
    ],
    [200, { items: [{ metadata: { name: 'e' }, reason: 'CreatedService' }] }],
  ];
  const api = new ApiServerV2Client({
    url: 'http://apiserver:8888',
    fetch: async (_url, init) => {
      assert.equal((init.headers as Record<string, string>).accept, 'application/json');
      const [status, body] = answers.shift()!;
      return new Response(JSON.stringify(body), { status });
    },
  });
  await assert.rejects(
    api.create('rayclusters', { metadata: { name: 'c', namespace: 'ml' } }),
    (e: unknown) => e instanceof ApiServerError && e.status === 409 && /already exists/.test(e.message),
  );
  assert.deepEqual(
    (await api.events('ml')).map((e) => e.reason),
    ['CreatedService'],
  );
});
