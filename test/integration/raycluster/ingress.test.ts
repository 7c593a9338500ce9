import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { baseCluster, createCluster, patchCluster, startOperator } from './harness.ts';

type Ingress = KubeObject & {
  spec?: {
    ingressClassName?: string;
    rules?: {
      host?: string;
      http?: {
        paths?: {
          path?: string;
          pathType?: string;
          backend?: { service?: { name?: string; port?: { number?: number } } };
        }[];
      };
    }[];
    tls?: { hosts?: string[]; secretName?: string }[];
  };
};

/**
 * USE_INGRESS_ON_OPENSHIFT=true picks the Ingress even where route.openshift.io exists: route.test.ts installs a
 * stand-in Route CRD on the shared control plane, and a file running beside it must not see its clusters flip
 * to Routes.
 */
const ingressAlways = { useIngressOnOpenShift: true };

test('enableIngress: the head Ingress is created from the cluster and kept in line with it', async (t) => {
  const op = await startOperator(t, ingressAlways);
  const rc = baseCluster('ing', op.ns);
  rc.metadata.annotations = { 'kubernetes.io/ingress.class': 'nginx', 'example.com/team': 'ray' };
  rc.spec.headGroupSpec.enableIngress = true;
  rc.spec.headGroupSpec.ingressOptions = {
    host: 'ray.example.com',
    path: '/dash',
    pathType: 'Exact',
    tls: [{ hosts: ['ray.example.com'], secretName: 'ray-tls-cert' }],
  };
  rc.spec.headGroupSpec.template.spec.containers[0]!.ports = [{ name: 'dashboard', containerPort: 8365 }];
  const created = await createCluster(op, rc);

  const get = () =>
    op.client.getOrUndefined(Resources.ingresses, op.ns, 'ing-head-ingress') as Promise<Ingress | undefined>;
  const ing = await eventually(async () => {
    const i = await get();
    assert.ok(i, 'no Ingress yet');
    return i;
  });
  assert.deepEqual(ing.metadata.labels, {
    'ray.io/cluster': 'ing',
    'ray.io/identifier': 'ing-head',
    'app.kubernetes.io/name': 'kuberay',
    'app.kubernetes.io/created-by': 'kuberay-operator',
  });
  assert.deepEqual(ing.metadata.annotations, { 'example.com/team': 'ray' });
  assert.equal(ing.metadata.ownerReferences?.[0]?.uid, created.metadata.uid);
  assert.equal(ing.spec?.ingressClassName, 'nginx');
  assert.deepEqual(ing.spec?.rules, [
    {
      host: 'ray.example.com',
      http: {
        paths: [
          {
            path: '/dash',
            pathType: 'Exact',
            backend: { service: { name: 'ing-head-svc', port: { number: 8365 } } },
          },
        ],
      },
    },
  ]);
  assert.deepEqual(ing.spec?.tls, [{ hosts: ['ray.example.com'], secretName: 'ray-tls-cert' }]);

  // An owned Ingress follows the cluster: a changed annotation updates it.
  await patchCluster(op, 'ing', { metadata: { annotations: { 'example.com/team': 'ml' } } });
  await eventually(async () => assert.equal((await get())?.metadata.annotations?.['example.com/team'], 'ml'));
});

test('an Ingress of that name not owned by the cluster is left alone, with a FailedToCreateIngress event', async (t) => {
  const op = await startOperator(t, ingressAlways);
  const foreign = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'taken-head-ingress', namespace: op.ns, labels: { owner: 'someone-else' } },
    spec: { defaultBackend: { service: { name: 'other', port: { number: 80 } } } },
  };
  await op.client.create(Resources.ingresses, foreign as unknown as KubeObject);
  const rc = baseCluster('taken', op.ns);
  rc.spec.headGroupSpec.enableIngress = true;
  await createCluster(op, rc);
  const event = await eventually(async () => {
    const list = await op.client.list(Resources.events, { namespace: op.ns });
    const e = list.items.find((x) => x.reason === 'FailedToCreateIngress');
    assert.ok(e, 'no FailedToCreateIngress event yet');
    return e as KubeObject & { message?: string; note?: string };
  });
  assert.match(String(event.message ?? event.note), /already exists and is not owned/);
  const live = (await op.client.get(Resources.ingresses, op.ns, 'taken-head-ingress')) as Ingress;
  assert.deepEqual(live.metadata.labels, { owner: 'someone-else' });
  assert.equal(live.metadata.ownerReferences, undefined);
});

test('without enableIngress no Ingress is created', async (t) => {
  const op = await startOperator(t, ingressAlways);
  await createCluster(op, baseCluster('noing', op.ns));
  await eventually(async () => {
    const svc = await op.client.getOrUndefined(Resources.services, op.ns, 'noing-head-svc');
    assert.ok(svc);
  });
  const list = await op.client.list(Resources.ingresses, { namespace: op.ns });
  assert.equal(list.items.length, 0);
});
