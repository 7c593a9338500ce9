import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawRequest, RawResponse, Transport } from '../../../src/ray/transport.ts';
import { WaitTimeoutError } from './errors.ts';
import { JobNotFoundError, JobSubmissionClient } from './job-submission.ts';

/** A transport answering from a script (no network): records each request. */
function scripted(answers: RawResponse[]) {
  const seen: RawRequest[] = [];
  const transport: Transport = {
    description: 'scripted',
    send: async (req) => {
      seen.push(req);
      return answers.shift() ?? { status: 500, body: 'no answer scripted' };
    },
  };
  return { transport, seen };
}

test('submit, status, logs, list, stop, delete: Ray job API routes and the auth header', async () => {
  const s = scripted([
    { status: 200, body: '{"submission_id":"raysubmit_1","job_id":"01"}' },
    { status: 200, body: '{"status":"RUNNING","submission_id":"raysubmit_1"}' },
    { status: 200, body: '{"logs":"hello\\n"}' },
    { status: 200, body: '[{"submission_id":"raysubmit_1","status":"RUNNING"}]' },
    { status: 200, body: '{"stopped":true}' },
    { status: 200, body: '{}' },
  ]);
  const jobs = new JobSubmissionClient(s.transport, { authToken: 't0k' });
  assert.equal(
    await jobs.submit({ entrypoint: 'echo hi', runtime_env: { env_vars: { A: '1' } } }),
    'raysubmit_1',
  );
  assert.equal((await jobs.status('raysubmit_1')).status, 'RUNNING');
  assert.equal(await jobs.logs('raysubmit_1'), 'hello\n');
  assert.deepEqual(
    (await jobs.list()).map((j) => j.submission_id),
    ['raysubmit_1'],
  );
  await jobs.stop('raysubmit_1');
  await jobs.delete('raysubmit_1');
  assert.deepEqual(
    s.seen.map((r) => `${r.method} ${r.path}`),
    [
      'POST /api/jobs/',
      'GET /api/jobs/raysubmit_1',
      'GET /api/jobs/raysubmit_1/logs',
      'GET /api/jobs/',
      'POST /api/jobs/raysubmit_1/stop',
      'DELETE /api/jobs/raysubmit_1',
    ],
  );
  assert.deepEqual(s.seen[0]!.body, { entrypoint: 'echo hi', runtime_env: { env_vars: { A: '1' } } });
  assert.ok(s.seen.every((r) => r.headers?.['x-ray-authorization'] === 'Bearer t0k'));
  await assert.rejects(jobs.submit({ entrypoint: '' }), /entrypoint: must be a non-empty string/);
});

test('logs and status of an unknown job are JobNotFoundError', async () => {
  const jobs = new JobSubmissionClient(
    scripted([
      { status: 404, body: 'not found' },
      { status: 404, body: 'not found' },
    ]).transport,
  );
  await assert.rejects(
    jobs.logs('nope'),
    (e: unknown) => e instanceof JobNotFoundError && e.jobId === 'nope',
  );
  await assert.rejects(jobs.status('nope'), (e: unknown) => e instanceof JobNotFoundError);
});

test('waitUntilTerminal reads until a terminal status; times out naming the last status', async () => {
  const s = scripted([
    { status: 200, body: '{"status":"PENDING"}' },
    { status: 200, body: '{"status":"RUNNING"}' },
    { status: 200, body: '{"status":"FAILED","message":"boom"}' },
  ]);
  const info = await new JobSubmissionClient(s.transport).waitUntilTerminal('x', { intervalMs: 100 });
  assert.equal(info.status, 'FAILED');
  assert.equal(s.seen.length, 3);
  const running: Transport = {
    description: 'r',
    send: async () => ({ status: 200, body: '{"status":"RUNNING"}' }),
  };
  await assert.rejects(
    new JobSubmissionClient(running).waitUntilTerminal('x', { timeoutMs: 150, intervalMs: 100 }),
    (e: unknown) =>
      e instanceof WaitTimeoutError && /waiting for Ray job x to end \(status RUNNING\)/.test(e.message),
  );
});
