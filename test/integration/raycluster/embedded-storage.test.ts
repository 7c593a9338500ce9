import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { baseCluster, createCluster, getCluster, headPods, type Operator, startOperator } from './harness.ts';

/** A long periodic requeue, so anything that happens within a test's deadline was caused by a watch event. */
const watchOnly = { requeueSeconds: 3600 };
const gate = { featureGates: { GCSFaultToleranceEmbeddedStorage: true } };

const getPvc = (op: Operator, name: string) =>
  op.client.getOrUndefined(Resources.persistentVolumeClaims, op.ns, name) as Promise<
    | (KubeObject & { spec?: { accessModes?: string[]; resources?: { requests?: { storage?: string } } } })
    | undefined
  >;

test('rocksdb embedded storage: the PVC is created, owned, mounted in the head, and deleted with the cluster', async (t) => {
  const op = await startOperator(t, { ...gate, ...watchOnly });
  const rc = baseCluster('rocks', op.ns);
  rc.spec.gcsFaultToleranceOptions = { backend: 'rocksdb', storage: { size: '2Gi', subPath: 'gcs' } };
  const created = await createCluster(op, rc);

  const pvc = await eventually(async () => {
    const p = await getPvc(op, 'rocks-gcs-pvc');
    assert.ok(p, 'no PVC yet');
    return p;
  });
  assert.equal(pvc.metadata.labels?.['ray.io/cluster'], 'rocks');
  assert.deepEqual(pvc.spec?.accessModes, ['ReadWriteOnce']);
  assert.equal(pvc.spec?.resources?.requests?.storage, '2Gi');
  const owner = pvc.metadata.ownerReferences?.[0];
  assert.equal(owner?.uid, created.metadata.uid);
  assert.equal(owner?.controller, true);

  const [head] = await eventually(async () => {
    const h = await headPods(op, 'rocks');
    assert.equal(h.length, 1);
    return h;
  });
  const volume = head!.spec.volumes?.find((v) => v.name === 'gcs-storage') as
    | { persistentVolumeClaim?: { claimName?: string } }
    | undefined;
  assert.equal(volume?.persistentVolumeClaim?.claimName, 'rocks-gcs-pvc');
  const mount = head!.spec.containers[0]!.volumeMounts?.find((m) => m.name === 'gcs-storage');
  assert.deepEqual(
    { path: mount?.mountPath, subPath: mount?.subPath },
    { path: '/data/gcs', subPath: 'gcs' },
  );
  const env = Object.fromEntries((head!.spec.containers[0]!.env ?? []).map((e) => [e.name, e.value]));
  assert.equal(env.RAY_gcs_storage, 'rocksdb');
  assert.equal(env.RAY_gcs_storage_path, '/data/gcs');

  // The PVC watch: a PVC removed behind the operator's back is recreated without waiting for the requeue.
  await op.client.patch(Resources.persistentVolumeClaims, op.ns, 'rocks-gcs-pvc', {
    metadata: { finalizers: null },
  });
  await op.client.delete(Resources.persistentVolumeClaims, op.ns, 'rocks-gcs-pvc');
  await eventually(async () => {
    const p = await getPvc(op, 'rocks-gcs-pvc');
    assert.ok(p && p.metadata.uid !== pvc.metadata.uid, 'PVC not recreated yet');
  });

  // Deleting the cluster deletes the owned PVC (garbage collection through the owner reference).
  await op.client.delete(Resources.rayClusters, op.ns, 'rocks', { propagationPolicy: 'Foreground' });
  await eventually(async () => {
    const p = await getPvc(op, 'rocks-gcs-pvc');
    assert.ok(!p || p.metadata.deletionTimestamp, 'PVC still there');
  });
});

test('deletionPolicy Retain: no owner reference (patched in and out when the policy changes), the PVC outlives the cluster; a BYO claim is used as is', async (t) => {
  const op = await startOperator(t, gate);
  const rc = baseCluster('keep', op.ns);
  rc.spec.gcsFaultToleranceOptions = { backend: 'rocksdb', storage: { deletionPolicy: 'Retain' } };
  const created = await createCluster(op, rc);
  const pvc = await eventually(async () => {
    const p = await getPvc(op, 'keep-gcs-pvc');
    assert.ok(p);
    return p;
  });
  assert.equal(pvc.metadata.ownerReferences, undefined);
  assert.equal(pvc.spec?.resources?.requests?.storage, '1Gi');
  await eventually(async () => assert.equal((await headPods(op, 'keep')).length, 1));

  // The policy changed on the live cluster: the operator patches the PVC's owner references to match, adding
  // the cluster for DeleteWithCluster and removing it again for Retain.
  const policy = (deletionPolicy: string) =>
    op.client.patch(Resources.rayClusters, op.ns, 'keep', {
      spec: { gcsFaultToleranceOptions: { storage: { deletionPolicy } } },
    });
  await policy('DeleteWithCluster');
  await eventually(async () => {
    const p = await getPvc(op, 'keep-gcs-pvc');
    assert.deepEqual(
      p?.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.uid]),
      [['RayCluster', 'keep', created.metadata.uid]],
    );
  });
  await policy('Retain');
  await eventually(async () =>
    assert.deepEqual((await getPvc(op, 'keep-gcs-pvc'))?.metadata.ownerReferences ?? [], []),
  );
  await op.client.delete(Resources.rayClusters, op.ns, 'keep');
  await eventually(async () =>
    assert.equal(await op.client.getOrUndefined(Resources.rayClusters, op.ns, 'keep'), undefined),
  );
  assert.ok(await getPvc(op, 'keep-gcs-pvc'));

  const byo = baseCluster('byo', op.ns);
  byo.spec.gcsFaultToleranceOptions = { backend: 'rocksdb', storage: { claimName: 'keep-gcs-pvc' } };
  await createCluster(op, byo);
  const [head] = await eventually(async () => {
    const h = await headPods(op, 'byo');
    assert.equal(h.length, 1);
    return h;
  });
  const volume = head!.spec.volumes?.find((v) => v.name === 'gcs-storage') as
    | { persistentVolumeClaim?: { claimName?: string } }
    | undefined;
  assert.equal(volume?.persistentVolumeClaim?.claimName, 'keep-gcs-pvc');
  assert.equal(await getPvc(op, 'byo-gcs-pvc'), undefined);
});

test('the Secret watch: a deleted auth Secret is recreated without waiting for the requeue', async (t) => {
  const op = await startOperator(t, watchOnly);
  const rc = baseCluster('authw', op.ns);
  rc.spec.rayVersion = '2.52.0';
  rc.spec.authOptions = { mode: 'token' };
  await createCluster(op, rc);
  const first = await eventually(async () => {
    const s = await op.client.getOrUndefined(Resources.secrets, op.ns, 'authw');
    assert.ok(s);
    return s;
  });
  await eventually(async () => assert.ok((await getCluster(op, 'authw')).status));
  await op.client.delete(Resources.secrets, op.ns, 'authw');
  await eventually(async () => {
    const s = await op.client.getOrUndefined(Resources.secrets, op.ns, 'authw');
    assert.ok(s && s.metadata.uid !== first.metadata.uid, 'auth Secret not recreated yet');
  });
});
