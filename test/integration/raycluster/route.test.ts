import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually, testCluster } from '../../support/cluster.ts';
import { installStandInCrds, removeStandInCrds } from '../../support/standin-crds.ts';
import { baseCluster, createCluster, patchCluster, startOperator, workerPods } from './harness.ts';

/** A stand-in for OpenShift's Route API: the group, version and kind the operator looks for, any spec. */
const routeKind = { group: 'route.openshift.io', version: 'v1', plural: 'routes', kind: 'Route' };

type Route = KubeObject & {
  spec?: {
    to?: { kind?: string; name?: string; weight?: number };
    port?: { targetPort?: number };
    wildcardPolicy?: string;
  };
};

test('on a control plane serving route.openshift.io, enableIngress creates a Route (once) and no Ingress', async (t) => {
  const cluster = await testCluster();
  const admin = KubeClient.fromAccess(loadKubeconfig(cluster.kubeconfig), { qps: 0 });
  t.after(async () => {
    await removeStandInCrds(admin.rest, [routeKind]);
    admin.rest.close();
  });
  await installStandInCrds(admin.rest, [routeKind]);
  // The operator's client discovers the API on first use; start it only once discovery serves Routes.
  await eventually(async () => {
    admin.invalidateDiscovery();
    assert.ok(await admin.hasResource('route.openshift.io', 'v1', 'routes'), 'Route API not served yet');
  });

  const op = await startOperator(t);
  const rc = baseCluster('rt', op.ns);
  rc.metadata.annotations = { 'example.com/team': 'ray' };
  rc.spec.headGroupSpec.enableIngress = true;
  rc.spec.headGroupSpec.template.spec.containers[0]!.ports = [{ name: 'dashboard', containerPort: 8365 }];
  const created = await createCluster(op, rc);

  const route = await eventually(async () => {
    const r = (await op.client.getOrUndefined(Resources.openShiftRoutes, op.ns, 'rt-head-route')) as
      | Route
      | undefined;
    assert.ok(r, 'no Route yet');
    return r;
  });
  assert.deepEqual(route.metadata.labels, {
    'ray.io/cluster': 'rt',
    'ray.io/identifier': 'rt-head',
    'app.kubernetes.io/name': 'kuberay',
    'app.kubernetes.io/created-by': 'kuberay-operator',
  });
  assert.deepEqual(route.metadata.annotations, { 'example.com/team': 'ray' });
  assert.equal(route.metadata.ownerReferences?.[0]?.uid, created.metadata.uid);
  assert.deepEqual(route.spec, {
    to: { kind: 'Service', name: 'rt-head-svc', weight: 100 },
    port: { targetPort: 8365 },
    wildcardPolicy: 'None',
  });
  assert.equal((await op.client.list(Resources.ingresses, { namespace: op.ns })).items.length, 0);

  // Create-only, like KubeRay: the cluster changes (annotation and replicas in one patch), the reconcile that
  // scales the workers down runs, and the Route stays as it was.
  const spec = structuredClone(rc.spec);
  spec.workerGroupSpecs![0]!.replicas = 2;
  await patchCluster(op, 'rt', { metadata: { annotations: { 'example.com/team': 'ml' } }, spec });
  await eventually(async () => assert.equal((await workerPods(op, 'rt')).length, 2));
  const routes = await op.client.list(Resources.openShiftRoutes, { namespace: op.ns });
  assert.equal(routes.items.length, 1);
  assert.equal(routes.items[0]?.metadata.annotations?.['example.com/team'], 'ray');
});
