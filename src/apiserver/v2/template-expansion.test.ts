// biome-ignore-all lint/suspicious/noExplicitAny: tests walk untyped JSON
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandTemplates, templateRefs } from './template-expansion.ts';

const body = {
  apiVersion: 'ray.io/v1',
  kind: 'RayJob',
  metadata: { name: 'j' },
  spec: {
    entrypoint: 'python x.py',
    rayClusterSpec: {
      headGroupSpec: {
        computeTemplate: 'head-t',
        template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray' }] } },
      },
      workerGroupSpecs: [
        {
          groupName: 'w',
          computeTemplate: 'gpu-t',
          template: {
            metadata: { annotations: { a: 'b' } },
            spec: {
              containers: [
                { name: 'sidecar' },
                { name: 'ray-worker', resources: { limits: { 'ephemeral-storage': '1Gi' } } },
              ],
            },
          },
        },
        { groupName: 'plain', template: { spec: { containers: [{ name: 'ray-worker' }] } } },
      ],
    },
  },
};
const templates = new Map([
  ['head-t', { name: 'head-t', cpu: 1, memory: 2 }],
  [
    'gpu-t',
    {
      name: 'gpu-t',
      cpu: 4,
      memory: 16,
      gpu: 1,
      extendedResources: { 'vpc.amazonaws.com/efa': 2 },
      tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
    },
  ],
]);

test('finds the templates a RayJob refers to, by field', () => {
  assert.deepEqual(templateRefs('rayjobs', body), [
    { field: 'spec.rayClusterSpec.headGroupSpec.computeTemplate', name: 'head-t' },
    { field: 'spec.rayClusterSpec.workerGroupSpecs[0].computeTemplate', name: 'gpu-t' },
  ]);
  assert.deepEqual(templateRefs('rayclusters', { spec: {} }), []);
  assert.throws(
    () => templateRefs('rayclusters', { spec: { headGroupSpec: { computeTemplate: 3 } } }),
    /spec.headGroupSpec.computeTemplate: want the name/,
  );
});

test('expands resources on the Ray container only, tolerations and the annotation; the key goes away', () => {
  const out = expandTemplates('rayjobs', body, templates) as any;
  const head = out.spec.rayClusterSpec.headGroupSpec;
  assert.equal(head.computeTemplate, undefined);
  assert.deepEqual(head.template.metadata.annotations, { 'ray.io/compute-template': 'head-t' });
  assert.deepEqual(head.template.spec.containers[0].resources, {
    requests: { cpu: '1', memory: '2Gi' },
    limits: { cpu: '1', memory: '2Gi' },
  });
  const w = out.spec.rayClusterSpec.workerGroupSpecs[0];
  assert.deepEqual(w.template.spec.containers[0], { name: 'sidecar' });
  assert.deepEqual(w.template.spec.containers[1].resources.limits, {
    'ephemeral-storage': '1Gi',
    cpu: '4',
    memory: '16Gi',
    'nvidia.com/gpu': '1',
    'vpc.amazonaws.com/efa': '2',
  });
  assert.deepEqual(w.template.spec.tolerations, [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  assert.deepEqual(w.template.metadata.annotations, { a: 'b', 'ray.io/compute-template': 'gpu-t' });
  assert.deepEqual(out.spec.rayClusterSpec.workerGroupSpecs[1], body.spec.rayClusterSpec.workerGroupSpecs[1]);
  assert.equal((body.spec.rayClusterSpec.headGroupSpec as any).computeTemplate, 'head-t', 'input untouched');
});
