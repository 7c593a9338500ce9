import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../k8s/api-error.ts';
import { errorText, joinedErrorText } from './error-text.ts';

const invalid = new ApiError('POST', '/api/v1/namespaces/ns/pods', 422, {
  kind: 'Status',
  reason: 'Invalid',
  message: 'Pod "rc-head-" is invalid: spec.containers[0].image: Required value',
});

test('an API server error reads as its Status message, without our request line', () => {
  assert.equal(invalid.message.startsWith('POST /api/v1/'), true);
  assert.equal(errorText(invalid), 'Pod "rc-head-" is invalid: spec.containers[0].image: Required value');
});

test('errors without a Status message keep their own text', () => {
  assert.equal(errorText(new ApiError('GET', '/x', 0, undefined)), 'GET /x: transport error');
  assert.equal(errorText(new Error('boom')), 'boom');
  assert.equal(errorText('plain'), 'plain');
});

test('a marked error reads as errors.Join does: marker, newline, error', () => {
  assert.equal(
    joinedErrorText('FailedCreateHeadPod', invalid),
    'FailedCreateHeadPod\nPod "rc-head-" is invalid: spec.containers[0].image: Required value',
  );
});
