import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources, registerResource, resourceFor, resourcePath } from './resources.ts';
import { formatLabelSelector, matchesLabels } from './selectors.ts';

test('resourcePath builds core, group, cluster-scoped and subresource paths', () => {
  assert.equal(resourcePath(Resources.pods, { namespace: 'ns' }), '/api/v1/namespaces/ns/pods');
  assert.equal(resourcePath(Resources.pods), '/api/v1/pods');
  assert.equal(
    resourcePath(Resources.rayClusters, { namespace: 'ns', name: 'rc', subresource: 'status' }),
    '/apis/ray.io/v1/namespaces/ns/rayclusters/rc/status',
  );
  assert.equal(resourcePath(Resources.namespaces, { namespace: 'x', name: 'y' }), '/api/v1/namespaces/y');
  assert.throws(() => resourcePath(Resources.pods, { name: 'p' }), /a namespace is required/);
});

test('resourceFor finds registered kinds, including ones registered later', () => {
  assert.equal(resourceFor('batch/v1', 'Job'), Resources.jobs);
  assert.throws(() => resourceFor('x.io/v1', 'Thing'), /no resource registered for x.io\/v1 Thing/);
  const thing = registerResource({
    group: 'x.io',
    version: 'v1',
    plural: 'things',
    kind: 'Thing',
    namespaced: true,
  });
  assert.equal(resourceFor('x.io/v1', 'Thing'), thing);
});

test('label selectors render to the query form and match like the server', () => {
  const sel = {
    matchLabels: { a: '1' },
    matchExpressions: [
      { key: 't', operator: 'In' as const, values: ['head', 'worker'] },
      { key: 'gone', operator: 'DoesNotExist' as const },
    ],
  };
  assert.equal(formatLabelSelector(sel), 'a=1,t in (head,worker),!gone');
  assert.equal(formatLabelSelector({ x: 'y' }), 'x=y');
  assert.equal(matchesLabels({ a: '1', t: 'head' }, sel), true);
  assert.equal(matchesLabels({ a: '1', t: 'redis' }, sel), false);
  assert.equal(matchesLabels({ a: '1', t: 'head', gone: '' }, sel), false);
});
