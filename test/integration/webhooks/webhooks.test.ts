import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generatePki } from '../../../src/devcluster/pki.ts';
import { ApiError } from '../../../src/k8s/api-error.ts';
import { WebhookServer } from '../../../src/webhooks/index.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

const CONFIGS = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';

const cluster = (name: string, groups: string[]) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name },
  spec: {
    headGroupSpec: {
      rayStartParams: {},
      template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.52.0' }] } },
    },
    workerGroupSpecs: groups.map((groupName) => ({
      groupName,
      replicas: 0,
      minReplicas: 0,
      maxReplicas: 1,
      rayStartParams: {},
      template: { spec: { containers: [{ name: 'ray-worker', image: 'rayproject/ray:2.52.0' }] } },
    })),
  },
});

test('the API server calls the webhook: duplicate worker groups and long RayJob names are rejected', async (t) => {
  const { client } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'webhook');

  const dir = await mkdtemp(join(tmpdir(), 'kuberay-webhook-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pki = await generatePki(dir);
  await copyFile(pki.servingCert, join(dir, 'tls.crt'));
  await copyFile(pki.servingKey, join(dir, 'tls.key'));

  const server = new WebhookServer({ port: 0, host: '127.0.0.1', certDir: dir });
  await server.start();
  t.after(() => server.stop());

  const caBundle = (await readFile(pki.caCert)).toString('base64');
  const configName = `kuberay-ts-test-${ns}`;
  const hook = (kind: string) => ({
    name: `v${kind}.kb.io`,
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    failurePolicy: 'Fail',
    timeoutSeconds: 5,
    clientConfig: { url: `https://127.0.0.1:${server.port}/validate-ray-io-v1-${kind}`, caBundle },
    // Only this test's namespace: other suites share the control plane.
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
    rules: [
      {
        apiGroups: ['ray.io'],
        apiVersions: ['v1'],
        operations: ['CREATE', 'UPDATE'],
        resources: [`${kind}s`],
        scope: 'Namespaced',
      },
    ],
  });
  await client.request('POST', CONFIGS, {
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: configName },
      webhooks: [hook('raycluster'), hook('rayjob'), hook('rayservice')],
    },
  });
  t.after(() => client.request('DELETE', `${CONFIGS}/${configName}`).catch(() => {}));

  const clusters = `/apis/ray.io/v1/namespaces/${ns}/rayclusters`;
  const bad = cluster('dup-groups', ['small', 'large', 'small']);
  // The API server picks the new configuration up asynchronously.
  const err = await eventually(
    async () => {
      const e = await client.request('POST', clusters, { body: bad }).then(
        () => undefined,
        (x: unknown) => x,
      );
      if (e === undefined) {
        await client.request('DELETE', `${clusters}/dup-groups`).catch(() => {});
        throw new Error('the RayCluster with duplicate groups was admitted');
      }
      return e;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  assert.ok(err instanceof ApiError, String(err));
  assert.equal(err.status, 422);
  const message = err.body?.message ?? '';
  assert.match(message, /admission webhook "vraycluster\.kb\.io" denied the request/);
  assert.match(
    message,
    /RayCluster\.ray\.io "dup-groups" is invalid: spec\.workerGroupSpecs\[2\]: Invalid value: .*"groupName":"small".*: worker group names must be unique/,
  );

  const created = (await client.request('POST', clusters, {
    body: cluster('good-groups', ['small', 'large']),
  })) as {
    metadata: { uid?: string };
  };
  assert.ok(created.metadata.uid);

  // An update that introduces a duplicate is rejected too.
  const updated = cluster('good-groups', ['small', 'small']);
  const current = (await client.request('GET', `${clusters}/good-groups`)) as { metadata: object };
  const upd = await client
    .request('PUT', `${clusters}/good-groups`, { body: { ...updated, metadata: current.metadata } })
    .then(
      () => undefined,
      (x: unknown) => x,
    );
  assert.ok(upd instanceof ApiError && upd.status === 422, String(upd));
  assert.match(upd.body?.message ?? '', /spec\.workerGroupSpecs\[1\]: .*worker group names must be unique/);

  const jobs = `/apis/ray.io/v1/namespaces/${ns}/rayjobs`;
  const longName = 'j'.repeat(48);
  const jobErr = await client
    .request('POST', jobs, {
      body: {
        apiVersion: 'ray.io/v1',
        kind: 'RayJob',
        metadata: { name: longName },
        spec: { entrypoint: 'x' },
      },
    })
    .then(
      () => undefined,
      (x: unknown) => x,
    );
  assert.ok(jobErr instanceof ApiError && jobErr.status === 422, String(jobErr));
  assert.match(jobErr.body?.message ?? '', /admission webhook "vrayjob\.kb\.io" denied the request/);
  assert.match(jobErr.body?.message ?? '', /RayJob name should be no more than 47 characters/);
});
