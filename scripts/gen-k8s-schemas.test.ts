import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOTS, toStructural } from './gen-k8s-schemas.ts';

const ref = (n: string) => ({ $ref: `#/components/schemas/${n}` });

const components = {
  'io.k8s.api.core.v1.Thing': {
    description: 'dropped',
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', default: '' },
      protocol: { type: 'string', default: 'TCP', enum: ['TCP', 'UDP'] },
      size: ref('io.k8s.apimachinery.pkg.api.resource.Quantity'),
      port: { allOf: [ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString')], default: {} },
      meta: { allOf: [ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')], default: {} },
      refs: {
        type: 'array',
        items: { allOf: [ref('io.k8s.api.core.v1.Ref')], default: {} },
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-patch-strategy': 'merge',
      },
      count: { type: 'integer', format: 'int32' },
      when: { type: 'string', format: 'date-time' },
      odd: { type: 'string', format: 'int-or-string-ish' },
    },
  },
  'io.k8s.api.core.v1.Ref': { type: 'object', properties: { name: { type: 'string', default: '' } } },
  'io.k8s.api.core.v1.Loop': { type: 'object', properties: { self: ref('io.k8s.api.core.v1.Loop') } },
};

test('toStructural inlines refs, keeps structural keywords and drops the rest', () => {
  const s = toStructural(components, 'io.k8s.api.core.v1.Thing');
  assert.deepEqual(s, {
    type: 'object',
    required: ['name'],
    properties: {
      count: { type: 'integer', format: 'int32' },
      meta: {
        type: 'object',
        properties: {
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
          finalizers: { type: 'array', items: { type: 'string' } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          name: { type: 'string' },
          namespace: { type: 'string' },
        },
      },
      name: { type: 'string' },
      odd: { type: 'string' },
      port: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
      protocol: { type: 'string', default: 'TCP' },
      refs: {
        type: 'array',
        // An optional list-map key keeps a zero-value default (CRDs require required-or-defaulted keys).
        items: { type: 'object', properties: { name: { type: 'string', default: '' } } },
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-list-type': 'map',
      },
      size: {
        anyOf: [{ type: 'integer' }, { type: 'string' }],
        pattern: (s.properties as Record<string, { pattern: string }>).size!.pattern,
        'x-kubernetes-int-or-string': true,
      },
      when: { type: 'string', format: 'date-time' },
    },
  });
});

test('toStructural rejects reference cycles and unknown names', () => {
  assert.throws(() => toStructural(components, 'io.k8s.api.core.v1.Loop'), /reference cycle/);
  assert.throws(() => toStructural(components, 'io.k8s.api.core.v1.Nope'), /unknown schema/);
});

test('the committed generated file holds every root, fully resolved', () => {
  const file = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'src', 'api', 'k8s-schemas.generated.json'), 'utf8'),
  ) as { kubernetesVersion: string; schemas: Record<string, unknown> };
  assert.deepEqual(Object.keys(file.schemas).sort(), Object.keys(ROOTS).sort());
  const text = JSON.stringify(file.schemas);
  assert.ok(!text.includes('$ref') && !text.includes('"allOf"') && !text.includes('"description"'));
  assert.match(file.kubernetesVersion, /^v1\.\d+\.\d+/);
});
