import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../k8s/api-error.ts';
import { KuberayError, TerminalError } from '../lib/errors.ts';
import { reconcileErrorKind } from './error-kind.ts';

const path = '/api/v1/namespaces/ns/pods';
const terminatingMessage =
  'pods "c-head-" is forbidden: unable to create new content in namespace ns because it is being terminated';
/** The API server's answer to a create in a namespace being deleted (NamespaceLifecycle admission). */
const terminating = new ApiError('POST', path, 403, {
  kind: 'Status',
  status: 'Failure',
  reason: 'Forbidden',
  code: 403,
  message: terminatingMessage,
  details: {
    name: 'c-head-',
    kind: 'pods',
    causes: [
      {
        type: 'NamespaceTerminating',
        message: 'namespace ns is being terminated',
        field: 'metadata.namespace',
      },
    ],
  },
});
const conflict = new ApiError('PUT', '/apis/ray.io/v1/namespaces/ns/rayjobs/j/status', 409, {
  reason: 'Conflict',
  message: 'Operation cannot be fulfilled on rayjobs.ray.io "j": the object has been modified',
});
const forbidden = new ApiError('POST', path, 403, {
  reason: 'Forbidden',
  message: 'pods is forbidden: RBAC',
});

test('API errors: a terminating namespace, a conflict, a deleted object, anything else', () => {
  assert.equal(reconcileErrorKind(terminating), 'namespaceTerminating');
  // An API server that sends only the message is recognised too.
  assert.equal(
    reconcileErrorKind(new ApiError('POST', path, 403, { reason: 'Forbidden', message: terminatingMessage })),
    'namespaceTerminating',
  );
  assert.equal(reconcileErrorKind(forbidden), 'error');
  assert.equal(reconcileErrorKind(conflict), 'conflict');
  assert.equal(reconcileErrorKind(new ApiError('POST', path, 409, { reason: 'AlreadyExists' })), 'error');
  const statusPatch = '/apis/ray.io/v1/namespaces/ns/rayclusters/c/status';
  assert.equal(reconcileErrorKind(new ApiError('PATCH', statusPatch, 404, { reason: 'NotFound' })), 'gone');
  assert.equal(reconcileErrorKind(new ApiError('GET', '/api/v1/namespaces/ns/secrets/s', 404, {})), 'error');
  assert.equal(reconcileErrorKind(new ApiError('GET', path, 0, undefined)), 'error');
});

test('wrapped errors are classified by their cause; several failures by all of them', () => {
  assert.equal(reconcileErrorKind(new TerminalError('InvalidSpec', 'bad')), 'terminal');
  assert.equal(reconcileErrorKind(new KuberayError('reconcile failed', { cause: conflict })), 'conflict');
  assert.equal(
    reconcileErrorKind(new KuberayError('x', { cause: new Error('y', { cause: terminating }) })),
    'namespaceTerminating',
  );
  assert.equal(
    reconcileErrorKind(new KuberayError('x', { cause: new AggregateError([forbidden, terminating]) })),
    'namespaceTerminating',
  );
  assert.equal(reconcileErrorKind(new AggregateError([conflict, conflict])), 'conflict');
  assert.equal(reconcileErrorKind(new AggregateError([conflict, forbidden])), 'error');
  assert.equal(reconcileErrorKind(new AggregateError([])), 'error');
  assert.equal(reconcileErrorKind(new Error('plain')), 'error');
  assert.equal(reconcileErrorKind('a string'), 'error');
});
