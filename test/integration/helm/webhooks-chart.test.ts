/**
 * The kuberay-operator chart's validating webhooks (a kuberay-ts addition): the certificate Helm generates,
 * the ValidatingWebhookConfiguration, the operator wiring, reuse of the live certificate on upgrade, and
 * the cert-manager variant.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import {
  chartPath,
  dryRunApply,
  find,
  helm,
  type K8sObject,
  one,
  operatorContainer,
  parseManifests,
  podUidEnv,
  render,
} from './helm.ts';

const chart = chartPath('kuberay-operator');
const values = (extra: Record<string, unknown> = {}) => ({
  crds: { enabled: false },
  webhooks: { enabled: true, ...extra },
});
const b64 = (s: string) => Buffer.from(s, 'base64');

before(async () => {
  await testCluster();
});

test('webhooks.enabled: a self-signed serving certificate, the three webhooks and ENABLE_WEBHOOKS', async (t) => {
  const ns = await testNamespace(t, 'helm-wh');
  const objs = await render(chart, { release: 'kuberay', namespace: ns, values: values() });
  const secret = one(objs, 'Secret', 'kuberay-operator-webhook-cert');
  assert.equal(secret.type, 'kubernetes.io/tls');
  const ca = new X509Certificate(b64(secret.data['ca.crt']));
  const cert = new X509Certificate(b64(secret.data['tls.crt']));
  assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey), 'the serving certificate is signed by the CA');
  assert.ok(cert.checkPrivateKey(createPrivateKey(b64(secret.data['tls.key']))), 'tls.key matches tls.crt');
  const svcName = 'kuberay-operator-webhook-service';
  assert.ok(cert.checkHost(`${svcName}.${ns}.svc`), `the certificate names ${svcName}.${ns}.svc`);
  assert.ok(cert.checkHost(`${svcName}.${ns}.svc.cluster.local`));

  const vwc = one(objs, 'ValidatingWebhookConfiguration');
  assert.deepEqual(
    vwc.webhooks.map((w: { name: string; clientConfig: { service: { path: string } } }) => [
      w.name,
      w.clientConfig.service.path,
    ]),
    [
      ['vraycluster.kb.io', '/validate-ray-io-v1-raycluster'],
      ['vrayjob.kb.io', '/validate-ray-io-v1-rayjob'],
      ['vrayservice.kb.io', '/validate-ray-io-v1-rayservice'],
    ],
  );
  for (const w of vwc.webhooks) {
    assert.equal(w.clientConfig.caBundle, secret.data['ca.crt']);
    assert.deepEqual(w.clientConfig.service, {
      ...w.clientConfig.service,
      name: svcName,
      namespace: ns,
      port: 443,
    });
    assert.equal(w.failurePolicy, 'Fail');
    assert.deepEqual(w.rules[0].operations, ['CREATE', 'UPDATE']);
  }
  const svc = one(objs, 'Service', svcName);
  assert.equal(svc.spec.ports[0].targetPort, 'webhook-server');

  const c = operatorContainer(objs);
  assert.deepEqual(c.env, [podUidEnv, { name: 'ENABLE_WEBHOOKS', value: 'true' }]);
  assert.ok(
    c.ports.some(
      (p: { name: string; containerPort: number }) => p.name === 'webhook-server' && p.containerPort === 9443,
    ),
  );
  assert.deepEqual(c.volumeMounts, [
    { name: 'webhook-cert', mountPath: '/tmp/k8s-webhook-server/serving-certs', readOnly: true },
  ]);

  const { client } = await testCluster();
  for (const obj of objs) await dryRunApply(client, obj, ns);
});

test('user env is kept next to ENABLE_WEBHOOKS', async () => {
  const env = [{ name: 'CLUSTER_DOMAIN', value: 'example.local' }];
  const objs = await render(chart, { values: { ...values(), env } });
  assert.deepEqual(operatorContainer(objs).env, [
    podUidEnv,
    ...env,
    { name: 'ENABLE_WEBHOOKS', value: 'true' },
  ]);
});

test('an upgrade reuses the live certificate instead of generating a new one', async (t) => {
  const { client, kubeconfig } = await testCluster();
  const ns = await testNamespace(t, 'helm-wh');
  const first = await render(chart, { release: 'kuberay', namespace: ns, values: values() });
  const secret = one(first, 'Secret', 'kuberay-operator-webhook-cert');
  // The Secret as a previous revision of the release left it (Helm's ownership metadata included).
  const owned = {
    ...secret,
    metadata: {
      ...secret.metadata,
      annotations: { 'meta.helm.sh/release-name': 'kuberay', 'meta.helm.sh/release-namespace': ns },
    },
  };
  await client.request('POST', `/api/v1/namespaces/${ns}/secrets`, { body: owned });
  // --dry-run=server lets the chart's lookup see the live Secret; nothing is written.
  const out = await helm([
    'install',
    'kuberay',
    chart,
    '--namespace',
    ns,
    '--kubeconfig',
    kubeconfig,
    '--dry-run=server',
    '--set',
    'crds.enabled=false,webhooks.enabled=true',
    '-o',
    'json',
  ]);
  const again = parseManifests((JSON.parse(out) as { manifest: string }).manifest);
  assert.deepEqual(one(again, 'Secret', 'kuberay-operator-webhook-cert').data, secret.data);
  const vwc = one(again, 'ValidatingWebhookConfiguration');
  assert.equal(vwc.webhooks[0].clientConfig.caBundle, secret.data['ca.crt']);
});

test('webhooks.certManager: Issuer, Certificate and CA injection instead of a generated Secret', async (t) => {
  const ns = await testNamespace(t, 'helm-wh');
  const objs = await render(chart, {
    release: 'kuberay',
    namespace: ns,
    values: values({ certManager: { enabled: true } }),
  });
  assert.equal(find(objs, 'Secret').length, 0);
  const certificate = one(objs, 'Certificate');
  assert.equal(certificate.spec.secretName, 'kuberay-operator-webhook-cert');
  assert.deepEqual(certificate.spec.issuerRef, { kind: 'Issuer', name: one(objs, 'Issuer').metadata.name });
  const vwc = one(objs, 'ValidatingWebhookConfiguration');
  assert.equal(
    vwc.metadata.annotations?.['cert-manager.io/inject-ca-from'],
    `${ns}/kuberay-operator-serving-cert`,
  );
  assert.equal(vwc.webhooks[0].clientConfig.caBundle, undefined);
  // Issuer and Certificate are cert-manager kinds whose CRDs the test cluster does not have: not dry-run.
  const { client } = await testCluster();
  const certManagerKinds = ['Issuer', 'Certificate'];
  for (const obj of objs.filter((o: K8sObject) => !certManagerKinds.includes(o.kind)))
    await dryRunApply(client, obj, ns);
});
