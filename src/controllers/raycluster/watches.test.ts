import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, RayCluster } from '../../api/index.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Store } from '../../runtime/store.ts';
import { pvcToClusters, referencedSecrets, secretToClusters, workerReadinessOnly } from './watches.ts';

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

test('workerReadinessOnly: only a worker update that can move the ready counts; anything a reconcile acts on is not', () => {
  const pod = (
    over: { type?: string; phase?: string; ready?: boolean; labels?: Record<string, string> } = {},
    extra: (p: Pod) => void = () => {},
  ): Pod => {
    const p: Pod = {
      metadata: {
        namespace: 'ns',
        name: 'w',
        labels: { 'ray.io/cluster': 'c', 'ray.io/node-type': over.type ?? 'worker', ...over.labels },
      },
      spec: { containers: [{ name: 'ray-worker' }], restartPolicy: 'Never' },
      status: {
        phase: over.phase ?? 'Running',
        conditions: [{ type: 'Ready', status: over.ready ? 'True' : 'False' }],
      },
    };
    extra(p);
    return p;
  };
  const update = (old: Pod, obj: Pod) => workerReadinessOnly({ type: 'update', old, obj });

  assert.equal(update(pod(), pod({ ready: true })), true, 'a worker turning ready');
  assert.equal(update(pod({ ready: true }), pod()), true, 'a worker turning unready');
  assert.equal(
    update(
      pod({ phase: 'Pending' }),
      pod({ phase: 'Pending' }, (p) => (p.spec.nodeName = 'n1')),
    ),
    true,
    'a worker bound to a node',
  );

  assert.equal(update(pod({ type: 'head' }), pod({ type: 'head', ready: true })), false, 'the head');
  assert.equal(update(pod({ phase: 'Pending' }), pod({ phase: 'Running' })), false, 'a phase change');
  assert.equal(update(pod(), pod({ phase: 'Failed' })), false, 'a failed worker');
  assert.equal(update(pod(), pod({ labels: { extra: 'x' } })), false, 'a label added');
  assert.equal(update(pod({ labels: { a: '1' } }), pod({ labels: { a: '2' } })), false, 'a label changed');
  assert.equal(
    update(
      pod(),
      pod({}, (p) => (p.metadata.deletionTimestamp = '2026-12-06T00:00:00Z')),
    ),
    false,
    'a worker being deleted',
  );
  const deadRay = (p: Pod) => {
    p.status!.containerStatuses = [
      {
        name: 'ray-worker',
        ready: false,
        restartCount: 0,
        image: 'ray',
        imageID: '',
        state: { terminated: { exitCode: 1 } },
      },
    ] as NonNullable<Pod['status']>['containerStatuses'];
  };
  assert.equal(update(pod(), pod({}, deadRay)), false, 'the Ray container died under restartPolicy Never');
  assert.equal(
    update(pod({}, deadRay), pod({}, deadRay)),
    false,
    'a pod the reconcile deletes, before and after',
  );
  assert.equal(workerReadinessOnly({ type: 'add', obj: pod() }), false, 'an add');
  assert.equal(workerReadinessOnly({ type: 'delete', obj: pod() }), false, 'a delete');
});
