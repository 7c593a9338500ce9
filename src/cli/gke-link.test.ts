import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gkeLogLink } from './gke-link.ts';

test('gkeLogLink: the Cloud Logging query of a cluster, the project from a GKE context', () => {
  const link = gkeLogLink({
    namespace: 'ml',
    cluster: 'c1',
    nodeType: 'all',
    context: 'gke_my-proj_us-central1_prod',
  });
  assert.deepEqual(link.warnings, []);
  const [base, project] = link.url.split('?project=');
  assert.equal(project, 'my-proj');
  assert.ok(base!.startsWith('https://console.cloud.google.com/logs/query;query='));
  const query = decodeURIComponent(base!.slice(base!.indexOf('=') + 1).replace(/\+/g, ' '));
  assert.equal(
    query,
    [
      'resource.type="k8s_container"',
      'resource.labels.namespace_name="ml"',
      'labels."k8s-pod/ray_io/cluster"="c1"',
      'labels."k8s-pod/ray_io/is-ray-node"="yes"',
    ].join('\n'),
  );
  assert.ok(!/[ "\n()]/.test(base!), 'spaces, quotes, newlines and parentheses are escaped as Go does');
});

test('gkeLogLink: one node type; a context that is not GKE gets a warning and no project', () => {
  const link = gkeLogLink({ namespace: 'ml', cluster: 'c1', nodeType: 'head', context: 'kind-dev' });
  assert.match(decodeURIComponent(link.url), /labels\."k8s-pod\/ray_io\/node-type"="head"/);
  assert.ok(!link.url.includes('?project='));
  assert.equal(link.warnings.length, 1);
  assert.match(link.warnings[0]!, /does not appear to be a GKE cluster/);
  assert.equal(
    gkeLogLink({ namespace: 'a', cluster: 'b', nodeType: 'worker', context: undefined }).warnings.length,
    1,
  );
});
