import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { RestClient } from '../k8s/rest.ts';
import {
  DashboardError,
  HttpDashboardClient,
  isJobAlreadySubmitted,
  isJobNotFound,
} from './dashboard-client.ts';
import { HttpProxyClient } from './proxy-client.ts';
import { DashboardUnreachableError, directTransport, proxyTransport, serviceProxyPath } from './transport.ts';
import { toApplicationStatuses } from './types.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Reply = { status: number; body: string };

let server: Server;
let base: string;
let seen: Seen[] = [];
let reply: (s: Seen) => Reply = () => ({ status: 200, body: '{}' });

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(s);
      const r = reply(s);
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());
beforeEach(() => {
  seen = [];
});

const client = (authToken?: string) =>
  new HttpDashboardClient({ transport: directTransport(base), ...(authToken ? { authToken } : {}) });

test('getJobInfo GETs /api/jobs/{id} and decodes the job info', async () => {
  reply = () => ({
    status: 200,
    body: JSON.stringify({ status: 'RUNNING', message: 'm', start_time: 5, end_time: 0 }),
  });
  const info = await client().getJobInfo('job-1');
  assert.equal(seen[0]!.method, 'GET');
  assert.equal(seen[0]!.url, '/api/jobs/job-1');
  assert.equal(info.status, 'RUNNING');
  assert.equal(info.start_time, 5);
});

test('getJobInfo: 404 is a JobNotFoundError; a non-JSON body is an error naming GetJobInfo', async () => {
  reply = () => ({ status: 404, body: 'nope' });
  await assert.rejects(client().getJobInfo('x'), (e) => isJobNotFound(e));
  reply = () => ({ status: 200, body: '<html>' });
  await assert.rejects(client().getJobInfo('x'), /GetJobInfo fail/);
  reply = () => ({ status: 500, body: 'boom' });
  await assert.rejects(client().getJobInfo('x'), (e) => e instanceof DashboardError && e.status === 500);
});

test('the auth token is sent as x-ray-authorization: Bearer', async () => {
  reply = () => ({ status: 200, body: '[]' });
  await client('s3cret').listJobs();
  assert.equal(seen[0]!.headers['x-ray-authorization'], 'Bearer s3cret');
  await client().listJobs();
  assert.equal(seen[1]!.headers['x-ray-authorization'], undefined);
});

test('listJobs: 404 gives an empty list', async () => {
  reply = () => ({ status: 404, body: '' });
  assert.deepEqual(await client().listJobs(), []);
  assert.equal(seen[0]!.url, '/api/jobs/');
});

test('submitJob POSTs JSON without empty fields and returns the submission id', async () => {
  reply = () => ({ status: 200, body: JSON.stringify({ job_id: 'raysubmit_1', submission_id: 'sid' }) });
  const id = await client().submitJob({
    entrypoint: 'python x.py',
    submission_id: 'sid',
    runtime_env: {},
    metadata: { a: 'b' },
    entrypoint_num_cpus: 0,
    entrypoint_num_gpus: 1.5,
    entrypoint_memory: 2048,
    entrypoint_resources: { r: 1 },
  });
  assert.equal(id, 'sid');
  assert.equal(seen[0]!.method, 'POST');
  assert.equal(seen[0]!.url, '/api/jobs/');
  assert.equal(seen[0]!.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(seen[0]!.body), {
    entrypoint: 'python x.py',
    submission_id: 'sid',
    metadata: { a: 'b' },
    entrypoint_num_gpus: 1.5,
    entrypoint_memory: 2048,
    entrypoint_resources: { r: 1 },
  });
});

test('submitJob: a taken submission id is JobAlreadySubmittedError; other failures carry status and body', async () => {
  reply = () => ({
    status: 500,
    body: 'Job with submission_id sid already exists. Please use a different submission_id.',
  });
  await assert.rejects(client().submitJob({ entrypoint: 'e', submission_id: 'sid' }), (e) => {
    assert.ok(isJobAlreadySubmitted(e));
    assert.equal(e.submissionId, 'sid');
    return true;
  });
  reply = () => ({ status: 400, body: 'bad runtime env' });
  await assert.rejects(client().submitJob({ entrypoint: 'e' }), /HTTP 400: bad runtime env/);
});

test('stopJob: stopped=false is fine when the job already ended, an error while it still runs', async () => {
  let status = 'SUCCEEDED';
  reply = (s) =>
    s.method === 'POST'
      ? { status: 200, body: '{"stopped":false}' }
      : { status: 200, body: JSON.stringify({ status }) };
  await client().stopJob('j');
  assert.equal(seen[0]!.url, '/api/jobs/j/stop');
  assert.equal(seen[1]!.url, '/api/jobs/j');
  status = 'RUNNING';
  await assert.rejects(client().stopJob('j'), /not stopped/);
});

test('deleteJob sends DELETE and ignores the answer; getJobLogs decodes logs and maps 404 to undefined', async () => {
  reply = () => ({ status: 500, body: 'whatever' });
  await client().deleteJob('j');
  assert.equal(seen[0]!.method, 'DELETE');
  reply = () => ({ status: 200, body: '{"logs":"hello\\n"}' });
  assert.equal(await client().getJobLogs('j'), 'hello\n');
  assert.equal(seen[1]!.url, '/api/jobs/j/logs');
  reply = () => ({ status: 404, body: '' });
  assert.equal(await client().getJobLogs('j'), undefined);
});

test('serve GET asks for api_type=declarative and converts to per-app statuses', async () => {
  const details = {
    deploy_mode: 'MULTI_APP',
    applications: {
      app1: {
        name: 'app1',
        status: 'RUNNING',
        message: '',
        route_prefix: '/',
        docs_path: null,
        deployments: { d1: { name: 'd1', status: 'HEALTHY', message: 'ok' } },
      },
    },
  };
  reply = () => ({ status: 200, body: JSON.stringify(details) });
  const apps = toApplicationStatuses(await client().getServeDetails());
  assert.equal(seen[0]!.url, '/api/serve/applications/?api_type=declarative');
  assert.deepEqual(apps.get('app1'), {
    name: 'app1',
    status: 'RUNNING',
    message: '',
    deployments: { d1: { name: 'd1', status: 'HEALTHY', message: 'ok' } },
  });
});

test('serve GET surfaces 400, 500 and undecodable answers', async () => {
  for (const r of [
    { status: 400, body: 'bad' },
    { status: 500, body: 'err' },
    { status: 200, body: 'not json' },
  ]) {
    reply = () => r;
    await assert.rejects(client().getServeDetails(), /GetServeDetails fail/);
  }
});

test('serve PUT sends the config as JSON and fails with the status and body on non-2xx', async () => {
  reply = () => ({ status: 200, body: '' });
  await client().updateDeployments({ applications: [{ name: 'a' }], target_capacity: 50 });
  assert.equal(seen[0]!.method, 'PUT');
  assert.equal(seen[0]!.url, '/api/serve/applications/');
  assert.deepEqual(JSON.parse(seen[0]!.body), { applications: [{ name: 'a' }], target_capacity: 50 });
  reply = () => ({ status: 503, body: 'not ready' });
  await assert.rejects(client().updateDeployments({}), /HTTP 503: not ready/);
});

test('GCS health is true only when the body contains success', async () => {
  reply = () => ({ status: 200, body: 'success' });
  assert.equal(await client().checkGcsHealth(), true);
  assert.equal(seen[0]!.url, '/api/gcs_healthz');
  reply = () => ({ status: 200, body: 'failing' });
  assert.equal(await client().checkGcsHealth(), false);
});

test('proxy health: 200 is healthy, otherwise an error with the body', async () => {
  reply = () => ({ status: 200, body: 'success' });
  await new HttpProxyClient(directTransport(base)).checkProxyActorHealth();
  assert.equal(seen[0]!.url, '/-/healthz');
  reply = () => ({ status: 503, body: 'draining' });
  await assert.rejects(new HttpProxyClient(directTransport(base)).checkProxyActorHealth(), /503: draining/);
});

test('a refused connection is a DashboardUnreachableError', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const c = new HttpDashboardClient({ transport: directTransport(`http://127.0.0.1:${port}`) });
  await assert.rejects(c.getJobInfo('j'), (e) => e instanceof DashboardUnreachableError);
});

test('through the API-server proxy: paths go below the service proxy path, with the API token and the Ray token', async () => {
  const rest = new RestClient({ server: `http://${base}`, token: 'k8s-token' });
  const c = new HttpDashboardClient({
    transport: proxyTransport(rest, serviceProxyPath('ns1', 'rc-head-svc')),
    authToken: 'ray',
  });
  reply = () => ({ status: 200, body: JSON.stringify({ status: 'SUCCEEDED' }) });
  assert.equal((await c.getJobInfo('j')).status, 'SUCCEEDED');
  assert.equal(seen[0]!.url, '/api/v1/namespaces/ns1/services/rc-head-svc:dashboard/proxy/api/jobs/j');
  assert.equal(seen[0]!.headers.authorization, 'Bearer k8s-token');
  assert.equal(
    seen[0]!.headers['x-ray-authorization'],
    'Bearer ray',
    'the Ray auth header goes through the proxy',
  );
  reply = () => ({ status: 200, body: JSON.stringify({ applications: {} }) });
  await c.getServeDetails();
  assert.equal(
    seen[1]!.url,
    '/api/v1/namespaces/ns1/services/rc-head-svc:dashboard/proxy/api/serve/applications/?api_type=declarative',
  );
  reply = () => ({ status: 404, body: '{"kind":"Status","code":404}' });
  await assert.rejects(c.getJobInfo('j'), (e) => isJobNotFound(e));
  rest.close();
});
