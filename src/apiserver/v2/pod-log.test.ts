import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { isFollowedPodLog, RAY_POD_LOG } from './pod-log.ts';

const req = (url: string) => ({ url }) as IncomingMessage;
const followed = (url: string) => isFollowedPodLog(req(url), new URL(url, 'http://x').searchParams);

test('a followed pod log is a stream (no deadline); anything else is not', () => {
  assert.equal(followed('/api/v1/namespaces/ns/pods/head-1/log?follow=true'), true);
  assert.equal(followed('/api/v1/namespaces/ns/pods/head-1/log?follow=1&tailLines=10'), true);
  assert.equal(followed('/api/v1/namespaces/ns/pods/head-1/log?follow=false'), false);
  assert.equal(followed('/api/v1/namespaces/ns/pods/head-1/log'), false);
  assert.equal(followed('/api/v1/namespaces/ns/pods/head-1?follow=true'), false);
  assert.equal(followed('/api/v1/namespaces/ns/services/s/proxy/log?follow=true'), false);
});

test('RAY_POD_LOG matches one pod log path, not the pods collection or other subresources', () => {
  assert.deepEqual(RAY_POD_LOG.exec('/api/v1/namespaces/team-a/pods/demo-head-x/log')?.slice(1), [
    'team-a',
    'demo-head-x',
  ]);
  assert.equal(RAY_POD_LOG.test('/api/v1/namespaces/team-a/pods'), false);
  assert.equal(RAY_POD_LOG.test('/api/v1/namespaces/team-a/pods/p/exec'), false);
  assert.equal(RAY_POD_LOG.test('/api/v1/namespaces/team-a/pods/p/log/extra'), false);
});
