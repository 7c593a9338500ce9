import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster } from '../../api/index.ts';
import {
  checkLabel,
  checkName,
  headFqdn,
  podName,
  rayIp,
  routeName,
  workerPodGenerateName,
} from './names.ts';

test('checkName keeps the last 50 characters and fixes a leading digit or punctuation', () => {
  const long = `${'a'.repeat(10)}${'b'.repeat(50)}`;
  assert.equal(checkName(long), 'b'.repeat(50));
  assert.equal(checkName('1abc'), 'rabc');
  assert.equal(checkName('-abc'), 'rabc');
  assert.equal(checkName('abc'), 'abc');
  assert.equal(checkName(`x${'-'.repeat(50)}`), `r${'-'.repeat(49)}`);
});

test('checkLabel keeps 63 characters and fixes only punctuation', () => {
  assert.equal(checkLabel('1abc'), '1abc');
  assert.equal(checkLabel('.abc'), 'rabc');
  assert.equal(checkLabel('c'.repeat(70)).length, 63);
});

test('pod names are cut, lowercased and suffixed', () => {
  assert.equal(podName('MyCluster', 'head', true), 'mycluster-head-');
  assert.equal(podName('x'.repeat(60), 'worker', false), `${'x'.repeat(50)}-worker`);
  assert.equal(workerPodGenerateName('c', 'Small-Group'), 'c-small-group-worker-');
});

test('FQDN and RAY_IP follow the head service name', () => {
  const rc = {
    metadata: { name: 'c', namespace: 'ns' },
    spec: { headGroupSpec: { template: { spec: { containers: [] } } } },
  } as RayCluster;
  assert.equal(headFqdn(rc, 'cluster.local'), 'c-head-svc.ns.svc.cluster.local');
  assert.equal(rayIp(headFqdn(rc, 'example.org')), 'c-head-svc');
});

test('route names are cut to 51 minus the namespace length', () => {
  assert.equal(routeName('abc', 'default'), 'abc-head-route');
  assert.equal(routeName('a'.repeat(40), 'n'.repeat(20)), 'a'.repeat(31));
});
