import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildCrds, expandSchema, renderCrdFiles } from './crd.ts';
import { K8S_REF } from './schema-helpers.ts';

const root = join(import.meta.dirname, '..', '..');

test('the committed CRDs in config/crd/bases match what scripts/gen-crds.ts generates (drift check)', () => {
  for (const { path, content } of renderCrdFiles()) {
    let committed = '';
    try {
      committed = readFileSync(join(root, path), 'utf8');
    } catch {
      assert.fail(`${path} is missing; run node_modules/.bin/node scripts/gen-crds.ts`);
    }
    assert.ok(
      committed === content,
      `${path} is out of date; run node_modules/.bin/node scripts/gen-crds.ts`,
    );
  }
});

test('the CRDs are structural: no $ref, allOf, patternProperties or unresolved references remain', () => {
  const text = JSON.stringify(buildCrds());
  for (const bad of ['"$ref"', '"allOf"', '"oneOf"', '"patternProperties"', K8S_REF, '"description"']) {
    assert.ok(!text.includes(bad), `generated CRDs contain ${bad}`);
  }
});

test('every CRD has the status subresource, category all and the v1 storage version', () => {
  const crds = buildCrds() as {
    spec: {
      names: { kind: string; categories: string[] };
      versions: { name: string; storage: boolean; subresources: unknown }[];
    };
  }[];
  assert.deepEqual(
    crds.map((c) => c.spec.names.kind),
    ['RayCluster', 'RayJob', 'RayService', 'RayCronJob'],
  );
  for (const c of crds) {
    assert.deepEqual(c.spec.names.categories, ['all']);
    assert.equal(
      c.spec.versions
        .filter((v) => v.storage)
        .map((v) => v.name)
        .join(),
      'v1',
    );
    for (const v of c.spec.versions) assert.deepEqual(v.subresources, { status: {} });
  }
});

test("served versions are KubeRay v1.5.0's: v1 (storage) and v1alpha1 for RayCluster, RayJob and RayService", () => {
  const crds = buildCrds() as {
    spec: {
      names: { kind: string };
      versions: {
        name: string;
        served: boolean;
        additionalPrinterColumns?: unknown[];
        deprecated?: boolean;
      }[];
    };
  }[];
  const versions = Object.fromEntries(
    crds.map((c) => [
      c.spec.names.kind,
      c.spec.versions.map((v) => `${v.name}${v.served ? '' : ' (not served)'}`),
    ]),
  );
  assert.deepEqual(versions, {
    RayCluster: ['v1', 'v1alpha1'],
    RayJob: ['v1', 'v1alpha1'],
    RayService: ['v1', 'v1alpha1'],
    RayCronJob: ['v1'],
  });
  // As in KubeRay's CRDs: printer columns on v1alpha1 RayCluster only, and no version is marked deprecated.
  const alpha = (kind: string) => crds.find((c) => c.spec.names.kind === kind)!.spec.versions[1]!;
  assert.ok(alpha('RayCluster').additionalPrinterColumns?.length);
  assert.equal(alpha('RayJob').additionalPrinterColumns, undefined);
  assert.equal(alpha('RayService').additionalPrinterColumns, undefined);
  for (const c of crds) for (const v of c.spec.versions) assert.equal(v.deprecated, undefined);
});

test('expandSchema inlines embedded Kubernetes types and rejects unknown ones', () => {
  const k8s = { Thing: { type: 'object', properties: { a: { type: 'string' } } } };
  assert.deepEqual(expandSchema({ type: 'array', items: { [K8S_REF]: 'Thing' } }, k8s), {
    type: 'array',
    items: { type: 'object', properties: { a: { type: 'string' } } },
  });
  assert.throws(() => expandSchema({ [K8S_REF]: 'Nope' }, k8s), /unknown embedded Kubernetes type 'Nope'/);
});

test('the RayCluster schema carries the defaults and CEL rules of the spec', () => {
  // biome-ignore lint/suspicious/noExplicitAny: walking a large generated schema by known paths
  const crd = buildCrds()[0] as { spec: { versions: { schema: { openAPIV3Schema: any } }[] } };
  const spec = crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec;
  const worker = spec.properties.workerGroupSpecs.items;
  assert.equal(worker.properties.maxReplicas.default, 2147483647);
  assert.equal(worker.properties.minReplicas.default, 0);
  assert.equal(worker.properties.numOfHosts.default, 1);
  assert.deepEqual(worker.required, ['groupName', 'minReplicas', 'maxReplicas', 'template']);
  assert.deepEqual(spec.required, ['headGroupSpec']);
  assert.deepEqual(
    spec.properties.managedBy['x-kubernetes-validations'].map((r: { message: string }) => r.message),
    [
      'the managedBy field is immutable',
      "the managedBy field value must be either 'ray.io/kuberay-operator' or 'kueue.x-k8s.io/multikueue'",
    ],
  );
  assert.equal(
    spec.properties.gcsFaultToleranceOptions.properties.backend['x-kubernetes-validations'][0].message,
    'gcsFaultToleranceOptions.backend is immutable',
  );
  // Embedded pod templates are full structural schemas, not preserve-unknown-fields.
  const template = spec.properties.headGroupSpec.properties.template;
  assert.equal(template['x-kubernetes-preserve-unknown-fields'], undefined);
  assert.equal(template.properties.spec.properties.containers.items.properties.image.type, 'string');
});
