import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateCluster, validateComputeTemplate, validateJob, validateService } from './validation.ts';

const spec = {
  headGroupSpec: { computeTemplate: 't', rayStartParams: { 'dashboard-host': '0.0.0.0' } },
  workerGroupSpec: [{ groupName: 'g', computeTemplate: 't', replicas: 1, maxReplicas: 2 }],
};

test('compute templates: KubeRay texts, then the name', () => {
  assert.equal(validateComputeTemplate('ns', { name: 't', namespace: 'ns', cpu: 1, memory: 1 }), undefined);
  assert.equal(
    validateComputeTemplate('ns', { namespace: 'ns' })?.external,
    'Compute template name is empty. Please specify a valid value.',
  );
  assert.equal(
    validateComputeTemplate('ns', { name: 't', namespace: 'ns', memory: 1 })?.message,
    'Cpu amount is zero. Please specify a valid value.: Invalid input error: Cpu amount is zero. Please specify a valid value.',
  );
  assert.match(
    validateComputeTemplate('ns', { name: 'Bad_Name', namespace: 'ns', cpu: 1, memory: 1 })?.external ?? '',
    /^Compute template name "Bad_Name" is not valid: /,
  );
  assert.equal(
    validateComputeTemplate('ns', { name: 't', namespace: 'other', cpu: 1, memory: 1 })?.external,
    'The namespace in the request is different from the namespace in the compute template definition.',
  );
});

test('clusters: namespace, name, user, spec, then DNS-1035 name', () => {
  const ok = { name: 'c', namespace: 'ns', user: 'u', clusterSpec: spec };
  assert.equal(validateCluster('ns', ok), undefined);
  assert.equal(
    validateCluster('ns', { ...ok, user: '' })?.external,
    'User who create the cluster is empty. Please specify a valid value.',
  );
  assert.equal(
    validateCluster('ns', { ...ok, clusterSpec: undefined })?.external,
    'A ClusterSpec object is required. Please specify one.',
  );
  assert.equal(
    validateCluster('ns', {
      ...ok,
      clusterSpec: {
        ...spec,
        workerGroupSpec: [{ groupName: 'g', computeTemplate: 't', minReplicas: 3, maxReplicas: 2 }],
      },
    })?.external,
    'WorkerNodeSpec 0 MinReplica > MaxReplicas. Please specify a valid value.',
  );
  assert.equal(
    validateCluster('ns', { ...ok, clusterSpec: { headGroupSpec: { computeTemplate: 't' } } })?.external,
    'HeadGroupSpec RayStartParams is empty. Please specify values.',
  );
  assert.match(
    validateCluster('ns', { ...ok, name: '1abc' })?.external ?? '',
    /Cluster name "1abc" is not valid: a DNS-1035 label/,
  );
});

test('jobs with a cluster selector need no spec; services need a serve config', () => {
  const job = {
    name: 'j',
    namespace: 'ns',
    user: 'u',
    entrypoint: 'python x.py',
    clusterSelector: { 'ray.io/cluster': 'c' },
  };
  assert.equal(validateJob('ns', job), undefined);
  assert.equal(
    validateJob('ns', { ...job, clusterSelector: {} })?.external,
    'A ClusterSpec object is required. Please specify one.',
  );
  const svc = { name: 's', namespace: 'ns', user: 'u', clusterSpec: spec };
  assert.equal(validateService('ns', svc)?.external, 'ServeConfigV2 is empty. Please specify a valid value.');
  assert.equal(
    validateService('ns', { ...svc, serveConfigV2: 'applications: []' }, 'other')?.external,
    'The name in the request is different from the name in the service definition.',
  );
});
