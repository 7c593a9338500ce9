import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeTemplateToConfigMap, configMapToComputeTemplate } from './compute-template.ts';
import { ComputeTemplate } from './messages.ts';
import { encodeMessage } from './proto-json.ts';

test('stored exactly as KubeRay stores it: labels, string data, extended_resources null when absent', () => {
  assert.deepEqual(
    computeTemplateToConfigMap({ name: 'default-template', namespace: 'default', cpu: 2, memory: 4 }),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'default-template',
        namespace: 'default',
        labels: { 'ray.io/config-type': 'compute-template', 'ray.io/compute-template': 'default-template' },
      },
      data: {
        name: 'default-template',
        namespace: 'default',
        cpu: '2',
        memory: '4',
        gpu: '0',
        gpu_accelerator: '',
        extended_resources: 'null',
      },
    },
  );
});

test('tolerations and extended resources are stored as Go JSON and read back', () => {
  const template = {
    name: 't',
    namespace: 'n',
    cpu: 1,
    memory: 1,
    gpu: 1,
    gpuAccelerator: 'nvidia.com/gpu',
    extendedResources: { 'vpc.amazonaws.com/efa': 32, 'a/b': 1 },
    tolerations: [
      { key: 'ray.io/node-type', operator: 'Equal', value: 'worker', effect: 'NoSchedule' },
      { key: 'k' },
    ],
  };
  const cm = computeTemplateToConfigMap(structuredClone(template));
  assert.equal(cm.data.extended_resources, '{"a/b":1,"vpc.amazonaws.com/efa":32}');
  assert.equal(
    cm.data.tolerations,
    '[{"key":"ray.io/node-type","operator":"Equal","value":"worker","effect":"NoSchedule"},{"key":"k"}]',
  );
  const back = configMapToComputeTemplate(cm);
  // Read back, it is the template that was stored (deepEqual ignores the order of keys).
  assert.deepEqual(encodeMessage(ComputeTemplate, back), template);
});

test('unparsable stored values read as zero, as strconv.ParseUint with the error ignored', () => {
  const t = configMapToComputeTemplate({
    metadata: { name: 'x', namespace: 'y' },
    data: { cpu: '2.5', memory: 'abc', extended_resources: 'null' },
  });
  assert.deepEqual(encodeMessage(ComputeTemplate, t), { name: 'x', namespace: 'y' });
});
