import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, type TestContext, test } from 'node:test';
import { parse } from 'yaml';
import type { Pod, RayCluster } from '../../../src/api/index.ts';
import { createMtlsController } from '../../../src/controllers/mtls/controller.ts';
import { CertManager } from '../../../src/controllers/mtls/names.ts';
import type { KubeClient } from '../../../src/k8s/client.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually, testCluster } from '../../support/cluster.ts';
import { installStandInCrds, removeStandInCrds } from '../../support/standin-crds.ts';
import {
  condition,
  createCluster,
  getCluster,
  headPods,
  type Operator,
  patchCluster,
  setPodStatus,
  startOperator,
  workerPods,
} from './harness.ts';

/**
 * No cert-manager runs here: the test installs stand-ins for its two CRDs (schema-less, status subresource) and
 * plays cert-manager itself (writes the Secrets, marks Certificates Ready at their generation).
 */
const kinds = ['Issuer', 'Certificate'].map((kind) => ({
  group: 'cert-manager.io',
  version: 'v1',
  plural: `${kind.toLowerCase()}s`,
  kind,
  status: true,
}));

async function installCertManagerCrds(): Promise<void> {
  await installStandInCrds((await testCluster()).client, kinds);
}

async function removeCertManagerCrds(): Promise<void> {
  await removeStandInCrds((await testCluster()).client, kinds);
}

after(removeCertManagerCrds);

async function startBoth(t: TestContext): Promise<Operator> {
  const op = await startOperator(t, { featureGates: { RayClusterMTLS: true } });
  const mtls = createMtlsController({
    client: op.operatorClient,
    informers: op.informers,
    config: { featureGates: { RayClusterMTLS: true }, clusterDomain: 'cluster.local' },
    waitMs: 500,
  });
  await op.informers.waitForSync();
  mtls.start();
  t.after(() => mtls.stop());
  return op;
}

type Cert = KubeObject & { spec: Record<string, unknown>; metadata: { generation?: number } };
const getCert = (op: Operator, name: string) =>
  op.client.get(CertManager.certificates, op.ns, name) as Promise<Cert>;

/** Plays cert-manager for one Certificate: writes its Secret, then marks it Ready at its current generation. */
async function issue(client: KubeClient, ns: string, name: string): Promise<void> {
  const cert = (await client.get(CertManager.certificates, ns, name)) as Cert;
  const secretName = String(cert.spec.secretName);
  const data = { 'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5', 'ca.crt': 'Y2E=' };
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName, namespace: ns },
    type: 'kubernetes.io/tls',
    data,
  };
  if (!(await client.getOrUndefined(Resources.secrets, ns, secretName)))
    await client.create(Resources.secrets, secret);
  else await client.patch(Resources.secrets, ns, secretName, { data });
  await client.patchStatus(CertManager.certificates, ns, name, {
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Ready',
          message: 'issued',
          observedGeneration: cert.metadata.generation,
        },
      ],
    },
  });
}

function loadSample(ns: string): RayCluster {
  const rc = parse(readFileSync(join(import.meta.dirname, 'fixtures', 'mtls.yaml'), 'utf8')) as RayCluster;
  rc.metadata.namespace = ns;
  for (const tpl of [
    rc.spec.headGroupSpec.template,
    ...(rc.spec.workerGroupSpecs ?? []).map((g) => g.template),
  ])
    tpl.spec.schedulerName = 'none';
  return rc;
}

test('without cert-manager the mTLS sample is rejected with KubeRay message', async (t) => {
  await removeCertManagerCrds();
  const op = await startOperator(t, { featureGates: { RayClusterMTLS: true } });
  await createCluster(op, loadSample(op.ns));
  await eventually(async () => {
    const c = condition(await getCluster(op, 'raycluster-mtls'), 'InvalidSpec');
    assert.equal(c?.message, 'tlsOptions requires cert-manager, but cert-manager is not installed');
  });
  assert.deepEqual(await headPods(op, 'raycluster-mtls'), []);
});

test("KubeRay's mTLS sample: issuers and certificates, no pods until both leaf certificates are issued", async (t) => {
  await installCertManagerCrds();
  const op = await startBoth(t);
  const created = await createCluster(op, loadSample(op.ns));
  const c = 'raycluster-mtls';

  const issuers = await eventually(async () => {
    const list = await op.client.list(CertManager.issuers, { namespace: op.ns });
    assert.equal(list.items.length, 2);
    return list.items as (KubeObject & { spec: unknown })[];
  });
  assert.deepEqual(issuers.map((i) => i.metadata.name).sort(), [
    `ray-ca-issuer-${c}`,
    `ray-selfsigned-issuer-${c}`,
  ]);
  // An Issuer changed by hand is put back (an update of the live object: the chart grants update, not patch).
  const caIssuer = `ray-ca-issuer-${c}`;
  const caSecret = `${c}-ca-secret-${created.metadata.uid?.slice(0, 8)}`;
  const issuerSpec = async () =>
    ((await op.client.get(CertManager.issuers, op.ns, caIssuer)) as KubeObject & { spec: unknown }).spec;
  assert.deepEqual(await issuerSpec(), { ca: { secretName: caSecret } });
  await op.client.patch(CertManager.issuers, op.ns, caIssuer, { spec: { ca: { secretName: 'tampered' } } });
  await eventually(async () => assert.deepEqual(await issuerSpec(), { ca: { secretName: caSecret } }));

  const certs = await eventually(async () => {
    const list = await op.client.list(CertManager.certificates, { namespace: op.ns });
    assert.equal(list.items.length, 3);
    return list.items as Cert[];
  });
  const byName = new Map(certs.map((x) => [x.metadata.name, x]));
  const ca = byName.get(`ray-ca-certificate-${c}`);
  assert.equal(ca?.spec.secretName, `${c}-ca-secret-${created.metadata.uid?.slice(0, 8)}`);
  assert.equal(ca?.spec.duration, '87600h');
  const head = byName.get(`ray-head-cert-${c}`);
  assert.deepEqual(head?.spec.dnsNames, ['localhost', `${c}-head-svc.${op.ns}.svc.cluster.local`]);
  assert.deepEqual(head?.spec.ipAddresses, ['127.0.0.1']);
  assert.equal(head?.metadata.labels?.['app.kubernetes.io/component'], 'kuberay-mtls');
  assert.equal(head?.metadata.ownerReferences?.[0]?.uid, created.metadata.uid);

  // Not issued yet: no pods, and the wait is visible in a condition.
  await eventually(async () => {
    const cond = condition(await getCluster(op, c), 'MTLSSecretsReady');
    assert.equal(cond?.status, 'False');
    assert.match(cond?.message ?? '', /^mTLS secrets not ready: /);
  });
  await issue(op.client, op.ns, `ray-ca-certificate-${c}`);
  await issue(op.client, op.ns, `ray-head-cert-${c}`);
  await eventually(async () =>
    assert.match(condition(await getCluster(op, c), 'MTLSSecretsReady')?.message ?? '', /ray-worker-cert/),
  );
  assert.deepEqual(await headPods(op, c), [], 'no pod while the worker certificate is not issued');

  await issue(op.client, op.ns, `ray-worker-cert-${c}`);
  const [headPod] = await eventually(async () => {
    const heads = await headPods(op, c);
    assert.equal(heads.length, 1);
    assert.equal((await workerPods(op, c)).length, 1);
    return heads;
  });
  const tlsVolume = headPod?.spec.volumes?.find((v) => v.name === 'ray-tls');
  assert.equal(
    (tlsVolume?.secret as { secretName?: string } | undefined)?.secretName,
    `ray-head-secret-${c}`,
  );
  assert.equal(headPod?.spec.initContainers?.[0]?.name, 'wait-for-tls-ip-san');
  assert.ok(headPod?.spec.containers[0]?.env?.some((e) => e.name === 'RAY_USE_TLS' && e.value === '1'));
  await eventually(async () =>
    assert.equal(condition(await getCluster(op, c), 'MTLSSecretsReady'), undefined),
  );

  // cert-manager's Secrets are owned by their Certificates.
  await eventually(async () => {
    const s = await op.client.get(Resources.secrets, op.ns, `ray-head-secret-${c}`);
    assert.equal(s.metadata.ownerReferences?.[0]?.kind, 'Certificate');
    assert.equal(s.metadata.ownerReferences?.[0]?.uid, head?.metadata.uid);
  });

  // A pod IP becomes a SAN; the reissue (new generation) blocks new pods until it is Ready again.
  await setPodStatus(op, headPod as Pod, 'Running', true);
  const ip = (await op.client.get(Resources.pods, op.ns, headPod?.metadata.name ?? '')) as unknown as Pod;
  const updated = await eventually(async () => {
    const h = await getCert(op, `ray-head-cert-${c}`);
    assert.deepEqual(h.spec.ipAddresses, [ip.status?.podIP, '127.0.0.1']);
    return h;
  });
  assert.ok((updated.metadata.generation ?? 0) > 1);
  await patchCluster(op, c, {
    spec: {
      workerGroupSpecs: [
        { ...loadSample(op.ns).spec.workerGroupSpecs?.[0], replicas: 1, maxReplicas: 2, minReplicas: 2 },
      ],
    },
  });
  await eventually(async () =>
    assert.match(
      condition(await getCluster(op, c), 'MTLSSecretsReady')?.message ?? '',
      /not Ready at generation/,
    ),
  );
  assert.equal((await workerPods(op, c)).length, 1);
  await issue(op.client, op.ns, `ray-head-cert-${c}`);
  await eventually(async () => assert.equal((await workerPods(op, c)).length, 2));
});
