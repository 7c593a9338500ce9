/**
 * The CRDs of the kuberay-operator chart: rendered from the generated copies without any change but the
 * release labels and keep annotation, accepted by the API server, and upgraded by `helm upgrade` (KubeRay's
 * crds/ folder is never upgraded). The upgrade test uses a private test CRD, not the shared ray.io ones.
 */
import assert from 'node:assert/strict';
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { stringify } from 'yaml';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { generatedCrds } from './crds.ts';
import { chartPath, dryRunApply, find, helm, type K8sObject, render, scratchDir } from './helm.ts';

const chart = chartPath('kuberay-operator');
const noCrdsYet = generatedCrds().length === 0;
const skipNoCrds = noCrdsYet ? 'no CRDs generated yet (config/crd/bases is empty)' : false;

before(async () => {
  await testCluster();
});

function withoutReleaseMetadata(crd: K8sObject): K8sObject {
  const copy = structuredClone(crd);
  const { labels = {}, annotations = {} } = copy.metadata;
  delete labels['app.kubernetes.io/managed-by'];
  delete labels['app.kubernetes.io/instance'];
  delete annotations['helm.sh/resource-policy'];
  if (Object.keys(labels).length === 0) delete copy.metadata.labels;
  if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
  return copy;
}

test('the rendered CRDs equal config/crd/bases plus release labels and the keep policy', {
  skip: skipNoCrds,
}, async () => {
  const rendered = find(await render(chart, { release: 'kuberay' }), 'CustomResourceDefinition');
  const generated = generatedCrds();
  assert.deepEqual(rendered.map((c) => c.metadata.name).sort(), generated.map((c) => c.metadata.name).sort());
  for (const crd of rendered) {
    assert.equal(crd.metadata.annotations?.['helm.sh/resource-policy'], 'keep');
    assert.equal(crd.metadata.labels?.['app.kubernetes.io/managed-by'], 'Helm');
    const source = generated.find((g) => g.metadata.name === crd.metadata.name);
    assert.deepEqual(withoutReleaseMetadata(crd), source, `${crd.metadata.name} changed in rendering`);
  }
});

test('crds.keep=false drops the keep policy; crds.enabled=false renders no CRD', {
  skip: skipNoCrds,
}, async () => {
  const unkept = find(await render(chart, { values: { crds: { keep: false } } }), 'CustomResourceDefinition');
  assert.ok(unkept.length > 0);
  for (const crd of unkept) assert.equal(crd.metadata.annotations?.['helm.sh/resource-policy'], undefined);
  const none = await render(chart, { values: { crds: { enabled: false } } });
  assert.deepEqual(find(none, 'CustomResourceDefinition'), []);
});

test('the rendered CRDs pass a server-side dry run', { skip: skipNoCrds }, async () => {
  const { client } = await testCluster();
  for (const crd of find(await render(chart, { release: 'kuberay' }), 'CustomResourceDefinition')) {
    const out = await dryRunApply(client, crd, '');
    assert.equal(out.metadata.name, crd.metadata.name);
  }
});

/** A small CRD of our own with `fields` as the spec properties. */
/**
 * Values for a real install into the shared cluster: namespaced RBAC and a release-specific name keep the
 * release apart from other tests' objects, and an unmatched nodeSelector keeps the operator pod Pending
 * (no operator is meant to run here).
 */
const releaseValues = (ns: string) => [
  '--set',
  `singleNamespaceInstall=true,fullnameOverride=op-${ns},nodeSelector.kuberay-ts/helm-test=none`,
];

function widgetCrd(fields: string[], group = 'helmtest.kuberay.io'): K8sObject {
  const properties = Object.fromEntries(fields.map((f) => [f, { type: 'string' }]));
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      names: { kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties } },
            },
          },
        },
      ],
    },
  };
}

/** A copy of the chart whose only CRD is a private test CRD, so the shared ray.io CRDs stay untouched. */
function chartWithTestCrd(group: string): { copy: string; crdFile: string; crdPath: string } {
  const copy = join(scratchDir(), 'kuberay-operator');
  cpSync(chart, copy, { recursive: true });
  const crdDir = join(copy, 'files', 'crds');
  for (const f of readdirSync(crdDir)) rmSync(join(crdDir, f));
  return {
    copy,
    crdFile: join(crdDir, `${group}_widgets.yaml`),
    crdPath: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`,
  };
}

test('helm upgrade upgrades the chart CRDs, and helm uninstall keeps them', async (t) => {
  const { client, kubeconfig } = await testCluster();
  const ns = await testNamespace(t, 'helm-crd');
  const { copy, crdFile, crdPath } = chartWithTestCrd('helmtest.kuberay.io');
  t.after(() => client.request('DELETE', crdPath).catch(() => {}));
  const common = ['--namespace', ns, '--kubeconfig', kubeconfig];
  const values = releaseValues(ns);
  const liveFields = async () => {
    const live = await client.request<K8sObject>('GET', crdPath);
    return Object.keys(live.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties).sort();
  };

  writeFileSync(crdFile, stringify(widgetCrd(['size'])));
  await helm(['install', 'crdtest', copy, ...common, ...values]);
  t.after(() => helm(['uninstall', 'crdtest', ...common]).catch(() => {}));
  assert.deepEqual(await liveFields(), ['size']);

  writeFileSync(crdFile, stringify(widgetCrd(['size', 'color'])));
  await helm(['upgrade', 'crdtest', copy, ...common, ...values]);
  assert.deepEqual(await liveFields(), ['color', 'size'], 'the CRD was upgraded in place');

  await helm(['uninstall', 'crdtest', ...common]);
  assert.deepEqual(await liveFields(), ['color', 'size'], 'the keep policy leaves the CRD installed');
});

test('CRDs installed outside Helm (as by a crds/ folder) are adopted with --take-ownership', async (t) => {
  const { client, kubeconfig } = await testCluster();
  const ns = await testNamespace(t, 'helm-crd');
  const group = 'helmadopt.kuberay.io';
  const { copy, crdFile, crdPath } = chartWithTestCrd(group);
  t.after(() => client.request('DELETE', crdPath).catch(() => {}));
  await client.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    body: widgetCrd(['size'], group),
  });
  writeFileSync(crdFile, stringify(widgetCrd(['size', 'color'], group)));
  const args = ['adopt', copy, '--namespace', ns, '--kubeconfig', kubeconfig];
  const values = releaseValues(ns);
  await assert.rejects(helm(['install', ...args, ...values]), /cannot be imported into the current release/);
  await helm(['upgrade', '--install', '--take-ownership', ...args, ...values]);
  t.after(() => helm(['uninstall', 'adopt', '--namespace', ns, '--kubeconfig', kubeconfig]).catch(() => {}));
  const live = await client.request<K8sObject>('GET', crdPath);
  assert.equal(live.metadata.annotations?.['meta.helm.sh/release-name'], 'adopt');
  assert.deepEqual(
    Object.keys(live.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties).sort(),
    ['color', 'size'],
  );
});
