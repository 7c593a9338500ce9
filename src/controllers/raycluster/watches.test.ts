import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster } from '../../api/index.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Store } from '../../runtime/store.ts';
import { pvcToClusters, referencedSecrets, secretToClusters } from './watches.ts';

function rc(name: string, ns: string, spec: Partial<RayCluster['spec']> = {}): RayCluster {
  return {
    metadata: { name, namespace: ns, uid: `uid-${name}` },
    spec: { headGroupSpec: { template: { spec: { containers: [{ name: 'ray' }] } } }, ...spec },
  };
}

function store(...clusters: RayCluster[]): Store<RayCluster> {
  const s = new Store<RayCluster>();
  for (const c of clusters) s.upsert(c);
  return s;
}

const redis = (name: string) => ({ valueFrom: { secretKeyRef: { name, key: 'password' } } });

test('referencedSecrets: auth secretName and the Redis username/password refs', () => {
  assert.deepEqual(
    referencedSecrets(
      rc('a', 'ns', {
        authOptions: { mode: 'token', secretName: 'tok' },
        gcsFaultToleranceOptions: { redisPassword: redis('pw'), redisUsername: { value: 'plain' } },
      }),
    ),
    ['tok', 'pw'],
  );
  assert.deepEqual(referencedSecrets(rc('b', 'ns')), []);
});

test('a Secret maps to its controlling cluster and to every cluster in its namespace that names it', () => {
  const clusters = store(
    rc('a', 'ns', { authOptions: { mode: 'token', secretName: 'shared' } }),
    rc('b', 'ns', { gcsFaultToleranceOptions: { redisPassword: redis('shared') } }),
    rc('c', 'other', { authOptions: { mode: 'token', secretName: 'shared' } }),
    rc('d', 'ns'),
  );
  const changed: string[] = [];
  const shared = { metadata: { name: 'shared', namespace: 'ns' } } as KubeObject;
  assert.deepEqual(secretToClusters(shared, clusters, (u) => changed.push(u)).sort(), ['ns/a', 'ns/b']);
  assert.deepEqual(changed.sort(), ['uid-a', 'uid-b']);

  const owned = {
    metadata: {
      name: 'd',
      namespace: 'ns',
      ownerReferences: [
        { apiVersion: 'ray.io/v1', kind: 'RayCluster', name: 'd', uid: 'uid-d', controller: true },
      ],
    },
  } as KubeObject;
  changed.length = 0;
  assert.deepEqual(
    secretToClusters(owned, clusters, (u) => changed.push(u)),
    ['ns/d'],
  );
  assert.deepEqual(changed, ['uid-d']);
  const unrelated = { metadata: { name: 'x', namespace: 'ns' } } as KubeObject;
  assert.deepEqual(
    secretToClusters(unrelated, clusters, () => {}),
    [],
  );
});

test('a PVC maps to the cluster in its ray.io/cluster label, owned or retained', () => {
  const clusters = store(rc('a', 'ns'));
  const changed: string[] = [];
  const pvc = {
    metadata: { name: 'a-gcs-pvc', namespace: 'ns', labels: { 'ray.io/cluster': 'a' } },
  } as KubeObject;
  assert.deepEqual(
    pvcToClusters(pvc, clusters, (u) => changed.push(u)),
    ['ns/a'],
  );
  assert.deepEqual(changed, ['uid-a']);
  assert.deepEqual(
    pvcToClusters({ metadata: { name: 'p', namespace: 'ns' } } as KubeObject, clusters, () => {}),
    [],
  );
});
