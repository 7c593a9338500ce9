import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isServeReady, needsServeSubmit, type ServeApp, ServeConfigCache, toAppStatuses } from './serve.ts';

const app = (status: string) => ({ status, message: '', deployments: {} });

test('serve readiness: no apps or any app not RUNNING is not ready', () => {
  assert.equal(isServeReady({}), false);
  for (const s of ['DEPLOYING', 'UNHEALTHY', 'DEPLOY_FAILED', 'NOT_STARTED'])
    assert.equal(isServeReady({ a: { status: 'RUNNING' }, b: { status: s } }), false, s);
  assert.equal(isServeReady({ a: { status: 'RUNNING' }, b: { status: 'RUNNING' } }), true);
});

test('app statuses: "" becomes default, deployments and messages are copied', () => {
  const apps = new Map<string, ServeApp>([
    ['', { status: 'RUNNING', message: '', deployments: { d: { status: 'HEALTHY', message: '' } } }],
    ['x', { status: 'DEPLOY_FAILED', message: 'boom', deployments: {} }],
  ]);
  assert.deepEqual(toAppStatuses(apps), {
    default: { status: 'RUNNING', serveDeploymentStatuses: { d: { status: 'HEALTHY' } } },
    x: { status: 'DEPLOY_FAILED', message: 'boom' },
  });
  assert.deepEqual(toAppStatuses(new Map([['a', app('RUNNING')]])), { a: { status: 'RUNNING' } });
});

test('submit when nothing is cached, when the cluster has no apps, or when the config changed', () => {
  assert.equal(needsServeSubmit(undefined, 1, 'c'), true);
  assert.equal(needsServeSubmit('c', 0, 'c'), true);
  assert.equal(needsServeSubmit('c', 1, 'd'), true);
  assert.equal(needsServeSubmit('c', 1, 'c'), false);
});

test('the cache is an LRU of RayServices, never stores empty configs, and prunes clusters', () => {
  const cache = new ServeConfigCache(2);
  cache.set('ns/a', 'a-1', 'x');
  cache.set('ns/b', 'b-1', 'y');
  cache.set('ns/a', 'a-1', '');
  assert.equal(cache.get('ns/a', 'a-1'), 'x', 'empty config not stored');
  cache.set('ns/c', 'c-1', 'z');
  assert.equal(cache.get('ns/b', 'b-1'), undefined, 'least recently used evicted');
  assert.equal(cache.get('ns/a', 'a-1'), 'x');
  cache.set('ns/a', 'a-2', 'w');
  cache.prune('ns/a', ['a-2']);
  assert.equal(cache.get('ns/a', 'a-1'), undefined);
  assert.equal(cache.get('ns/a', 'a-2'), 'w');
  cache.prune('ns/a', []);
  assert.equal(cache.size, 1);
});
