import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiServerError, type FetchLike } from './http.ts';
import { ApiServerV1Client, v1Requests, v1Responses } from './v1-client.ts';

test('v1 routes: KubeRay API server paths, bodies and paging parameters', () => {
  const t = { name: 'small', namespace: 'ml', cpu: 2, memory: 4 };
  assert.deepEqual(v1Requests.listComputeTemplates(), { method: 'GET', path: '/apis/v1/compute_templates' });
  assert.deepEqual(v1Requests.listComputeTemplates('ml'), {
    method: 'GET',
    path: '/apis/v1/namespaces/ml/compute_templates',
  });
  assert.deepEqual(v1Requests.createComputeTemplate(t), {
    method: 'POST',
    path: '/apis/v1/namespaces/ml/compute_templates',
    body: t,
  });
  assert.equal(v1Requests.deleteComputeTemplate('ml', 'small').method, 'DELETE');
  assert.equal(
    v1Requests.getComputeTemplate('ml', 'small').path,
    '/apis/v1/namespaces/ml/compute_templates/small',
  );
  assert.equal(v1Requests.listClusters().path, '/apis/v1/clusters');
  assert.equal(
    v1Requests.listClusters('ml', { limit: 10, page: 'abc' }).path,
    '/apis/v1/namespaces/ml/clusters?limit=10&continue=abc',
  );
  assert.equal(v1Requests.getCluster('ml', 'demo').path, '/apis/v1/namespaces/ml/clusters/demo');
  assert.equal(v1Requests.listJobs().path, '/apis/v1/jobs');
  assert.equal(v1Requests.deleteJob('ml', 'j').path, '/apis/v1/namespaces/ml/jobs/j');
  assert.equal(
    v1Requests.listServices(undefined, { limit: 5, page: 'p2' }).path,
    '/apis/v1/services?page_size=5&page_token=p2',
  );
  const svc = {
    name: 's',
    namespace: 'ml',
    user: 'me',
    clusterSpec: { headGroupSpec: { computeTemplate: 'small' } },
  };
  assert.deepEqual(v1Requests.updateService(svc), {
    method: 'PUT',
    path: '/apis/v1/namespaces/ml/services/s',
    body: svc,
  });
  assert.deepEqual(v1Requests.submitJob('ml', 'demo', { entrypoint: 'echo' }), {
    method: 'POST',
    path: '/apis/v1/namespaces/ml/jobsubmissions/demo',
    body: { entrypoint: 'echo' },
  });
  assert.equal(
    v1Requests.getJobDetails('ml', 'demo', 'raysubmit_1').path,
    '/apis/v1/namespaces/ml/jobsubmissions/demo/raysubmit_1',
  );
  assert.equal(
    v1Requests.getJobLog('ml', 'demo', 'raysubmit_1').path,
    '/apis/v1/namespaces/ml/jobsubmissions/demo/log/raysubmit_1',
  );
  assert.deepEqual(v1Requests.stopJobSubmission('ml', 'demo', 'x'), {
    method: 'POST',
    path: '/apis/v1/namespaces/ml/jobsubmissions/demo/x',
  });
  assert.equal(v1Requests.deleteJobSubmission('ml', 'demo', 'x').method, 'DELETE');
  assert.equal(
    v1Requests.getCluster('a b', 'c/d').path,
    '/apis/v1/namespaces/a%20b/clusters/c%2Fd',
    'segments are encoded',
  );
});

test('v1 routes refuse missing names with the field', () => {
  assert.throws(() => v1Requests.getCluster('', 'x'), /^TypeError: namespace: must be a non-empty string/);
  assert.throws(() => v1Requests.getCluster('ml', ''), /name: must be a non-empty string/);
  assert.throws(
    () => v1Requests.submitJob('ml', 'demo', { entrypoint: '' }),
    /entrypoint: must be a non-empty string/,
  );
});

test('v1 answers: lists, pages, int64 strings, either field naming', () => {
  assert.deepEqual(v1Responses.computeTemplates({ computeTemplates: [{ name: 'a' }] }), [{ name: 'a' }]);
  assert.deepEqual(v1Responses.computeTemplates({}), []);
  assert.deepEqual(v1Responses.clusters({ clusters: [{ name: 'c' }], continue: 'n' }), {
    items: [{ name: 'c' }],
    next: 'n',
  });
  assert.deepEqual(v1Responses.services({ services: [], nextPageToken: 't' }), { items: [], next: 't' });
  assert.deepEqual(v1Responses.jobs({}), { items: [], next: '' });
  assert.equal(v1Responses.submissionId({ submissionId: 'raysubmit_1' }), 'raysubmit_1');
  assert.equal(v1Responses.submissionId({ submission_id: 'raysubmit_2' }), 'raysubmit_2');
  const info = v1Responses.jobInfo({
    entrypoint: 'echo',
    jobId: '02000000',
    submission_id: 'raysubmit_1',
    status: 'SUCCEEDED',
    startTime: '1700000000000',
    end_time: 1700000001000,
  });
  assert.equal(info.submissionId, 'raysubmit_1');
  assert.equal(info.startTime, 1_700_000_000_000);
  assert.equal(info.endTime, 1_700_000_001_000);
  assert.equal(info.message, '');
  assert.deepEqual(info.metadata, {});
  assert.deepEqual(
    v1Responses.jobInfos({ submissions: [{ status: 'RUNNING' }] }).map((i) => i.status),
    ['RUNNING'],
  );
  assert.deepEqual(v1Responses.jobInfos({}), []);
  assert.equal(v1Responses.log({ log: 'hello\n' }), 'hello\n');
});

/** Records requests and answers each from `answers` (no network). */
function recorder(answers: [number, unknown][]) {
  const seen: { url: string; method: string; headers: Record<string, string>; body?: string }[] = [];
  const fetch: FetchLike = async (url, init) => {
    seen.push({
      url,
      method: String(init.method),
      headers: init.headers as Record<string, string>,
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
    });
    const [status, body] = answers.shift() ?? [500, { message: 'no answer scripted' }];
    return new Response(body === undefined ? '' : JSON.stringify(body), { status });
  };
  return { fetch, seen };
}

test('ApiServerV1Client: sends the token as Authorization, JSON bodies, decodes answers', async () => {
  const r = recorder([
    [200, { submissionId: 'raysubmit_9' }],
    [200, { log: 'done\n' }],
    [200, {}],
  ]);
  const api = new ApiServerV1Client({ url: 'http://apiserver:8888/', token: 'secret', fetch: r.fetch });
  assert.equal(
    await api.submitJob('ml', 'demo', { entrypoint: 'echo hi', runtimeEnv: 'pip: []' }),
    'raysubmit_9',
  );
  assert.equal(await api.getJobLog('ml', 'demo', 'raysubmit_9'), 'done\n');
  await api.deleteCluster('ml', 'demo');
  assert.equal(r.seen[0]!.url, 'http://apiserver:8888/apis/v1/namespaces/ml/jobsubmissions/demo');
  assert.equal(r.seen[0]!.headers.authorization, 'secret');
  assert.equal(r.seen[0]!.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(r.seen[0]!.body!), { entrypoint: 'echo hi', runtimeEnv: 'pip: []' });
  assert.equal(r.seen[2]!.method, 'DELETE');
  assert.equal(r.seen[2]!.body, undefined);
});

test('ApiServerV1Client: bearer: true sends a Kubernetes token as Bearer, once', async () => {
  const r = recorder([
    [200, {}],
    [200, {}],
  ]);
  await new ApiServerV1Client({ url: 'http://a', token: 'tok', bearer: true, fetch: r.fetch }).deleteCluster(
    'n',
    'c',
  );
  await new ApiServerV1Client({
    url: 'http://a',
    token: 'Bearer tok',
    bearer: true,
    fetch: r.fetch,
  }).deleteCluster('n', 'c');
  assert.deepEqual(
    r.seen.map((x) => x.headers.authorization),
    ['Bearer tok', 'Bearer tok'],
  );
});

test('ApiServerV1Client: errors carry the server message, status and gRPC code', async () => {
  const r = recorder([[404, { code: 5, message: 'NotFoundError: cluster demo not found', details: [] }]]);
  const api = new ApiServerV1Client({ url: 'http://apiserver:8888', fetch: r.fetch });
  await assert.rejects(api.getCluster('ml', 'demo'), (e: unknown) => {
    assert.ok(e instanceof ApiServerError);
    assert.equal(e.status, 404);
    assert.equal(e.code, 5);
    assert.match(
      e.message,
      /GET http:\/\/apiserver:8888\/apis\/v1\/namespaces\/ml\/clusters\/demo: HTTP 404: NotFoundError: cluster demo not found/,
    );
    return true;
  });
  const down = new ApiServerV1Client({
    url: 'http://apiserver:8888',
    fetch: async () => {
      throw new TypeError('fetch failed');
    },
  });
  await assert.rejects(
    down.listClusters(),
    (e: unknown) =>
      e instanceof ApiServerError &&
      e.status === 0 &&
      /cannot reach the API server: fetch failed/.test(e.message),
  );
  assert.throws(() => new ApiServerV1Client({ url: 'localhost:31888' }), /url: must be an http\(s\) URL/);
});

test('ApiServerV1Client.waitClusterReady reads until clusterState is ready, or times out', async () => {
  const r = recorder([
    [200, { name: 'demo', clusterState: '' }],
    [200, { name: 'demo', clusterState: 'ready', serviceEndpoint: { dashboard: '8265' } }],
  ]);
  const api = new ApiServerV1Client({ url: 'http://apiserver:8888', fetch: r.fetch });
  const c = await api.waitClusterReady('ml', 'demo', { intervalMs: 100 });
  assert.equal(c.clusterState, 'ready');
  assert.equal(r.seen.length, 2);
  const never = new ApiServerV1Client({
    url: 'http://apiserver:8888',
    fetch: async () => new Response(JSON.stringify({ clusterState: 'unhealthy' }), { status: 200 }),
  });
  await assert.rejects(
    never.waitClusterReady('ml', 'demo', { timeoutMs: 150, intervalMs: 100 }),
    /timed out after 150 ms waiting for cluster ml\/demo to be ready \(state unhealthy\)/,
  );
});
