import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EMPTY_SUBMISSION,
  isTerminalJobStatus,
  jobTone,
  parsePairs,
  rayTime,
  submissionBody,
  submissionsPath,
} from './submission.ts';

const form = (over: Partial<typeof EMPTY_SUBMISSION>) => ({ ...EMPTY_SUBMISSION, ...over });

test('submissionBody: the entrypoint alone; empty fields are left out', () => {
  assert.deepEqual(submissionBody(form({ entrypoint: '  python x.py ' })), {
    body: { entrypoint: 'python x.py' },
  });
});

test('submissionBody: every field, runtime env as YAML or JSON', () => {
  const out = submissionBody(
    form({
      entrypoint: 'python x.py',
      runtimeEnv: 'env_vars:\n  A: "1"\n',
      metadata: 'owner=me\n# a comment\n\nteam = ml',
      numCpus: '0.5',
      numGpus: '1',
      resources: 'custom=2',
      submissionId: 'my-job_1',
    }),
  );
  assert.deepEqual(out, {
    body: {
      entrypoint: 'python x.py',
      submissionId: 'my-job_1',
      runtimeEnv: 'env_vars:\n  A: "1"\n',
      metadata: { owner: 'me', team: 'ml' },
      entrypointNumCpus: 0.5,
      entrypointNumGpus: 1,
      entrypointResources: { custom: '2' },
    },
  });
  const json = submissionBody(form({ entrypoint: 'x', runtimeEnv: '{"pip": ["emoji"]}' }));
  assert.deepEqual(json, { body: { entrypoint: 'x', runtimeEnv: '{"pip": ["emoji"]}' } });
});

test('submissionBody: each bad field is named with the reason', () => {
  const err = (over: Partial<typeof EMPTY_SUBMISSION>) => {
    const out = submissionBody(form({ entrypoint: 'x', ...over }));
    assert.ok('error' in out, JSON.stringify(out));
    return out.error;
  };
  assert.match(err({ entrypoint: ' ' }), /^entrypoint: required/);
  assert.match(err({ runtimeEnv: 'a: [1' }), /^runtime env: not valid YAML or JSON/);
  assert.match(err({ runtimeEnv: '- a\n- b' }), /^runtime env: must be a mapping/);
  assert.match(err({ runtimeEnv: 'just text' }), /^runtime env: must be a mapping/);
  assert.match(err({ metadata: 'owner' }), /^metadata, line 1: "owner" is not key=value/);
  assert.match(err({ metadata: 'a=1\na=2' }), /^metadata, line 2: "a" is given twice/);
  assert.match(err({ numCpus: 'two' }), /^entrypoint CPUs: "two" is not a number of at least 0/);
  assert.match(err({ numGpus: '-1' }), /^entrypoint GPUs: "-1" is not a number/);
  assert.match(err({ resources: 'custom=lots' }), /^entrypoint resources "custom": "lots" is not a number/);
  assert.match(err({ resources: 'custom=' }), /^entrypoint resources "custom": an amount is required/);
  assert.match(err({ submissionId: 'a b' }), /^submission ID: "a b" may only contain/);
});

test('parsePairs: = inside the value is kept', () => {
  assert.deepEqual(parsePairs('url=http://x/?a=b', 'metadata'), { url: 'http://x/?a=b' });
});

test('job states: terminal ones and tones', () => {
  assert.equal(isTerminalJobStatus('SUCCEEDED'), true);
  assert.equal(isTerminalJobStatus('STOPPED'), true);
  assert.equal(isTerminalJobStatus('RUNNING'), false);
  assert.equal(isTerminalJobStatus(undefined), false);
  assert.equal(jobTone('SUCCEEDED'), 'ok');
  assert.equal(jobTone('RUNNING'), 'progress');
  assert.equal(jobTone('FAILED'), 'error');
  assert.equal(jobTone('STOPPED'), 'warning');
  assert.equal(jobTone(''), 'idle');
});

test('submissionsPath and rayTime', () => {
  assert.equal(submissionsPath('ns', 'c'), '/apis/v1/namespaces/ns/jobsubmissions/c');
  assert.equal(
    submissionsPath('ns', 'c', 'raysubmit_1'),
    '/apis/v1/namespaces/ns/jobsubmissions/c/raysubmit_1',
  );
  assert.equal(
    submissionsPath('ns', 'c', 'raysubmit_1', true),
    '/apis/v1/namespaces/ns/jobsubmissions/c/log/raysubmit_1',
  );
  assert.equal(rayTime(0), '');
  assert.equal(rayTime('1767225600000'), '2026-01-01 00:00:00Z');
  assert.equal(rayTime(1767225600123), '2026-01-01 00:00:00Z');
});
