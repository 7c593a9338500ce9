// biome-ignore-all lint/suspicious/noExplicitAny: responses are untyped JSON
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import { createApiServer } from '../../../src/apiserver/app.ts';
import { generatePki } from '../../../src/devcluster/pki.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import { nullLogger } from '../../../src/lib/logger.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

const run = promisify(execFile);

/** A client certificate for `subject`, signed by the CA of `pki` (openssl, as the control plane's PKI). */
async function clientCert(dir: string, ca: { cert: string; key: string }, name: string, subject: string) {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-new', ...ec, '-keyout', key, '-out', `${cert}.csr`, '-subj', subject]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    `${cert}.csr`,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-out',
    cert,
    '-days',
    '1',
    '-extfile',
    join(dir, 'client.ext'),
  ]);
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

function get(
  port: number,
  path: string,
  tls: { ca: Buffer; key?: Buffer; cert?: Buffer },
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', ...tls }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('secure mode with TLS: a client certificate is the caller (CN user, O groups), and RBAC decides for it', async (t) => {
  const { kubeconfig, client } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'apicert');
  const dir = mkdtempSync(join(tmpdir(), 'apicert-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The API server's CA signs its serving certificate and the client certificates it accepts.
  const pki = await generatePki(dir);
  const ca = readFileSync(pki.caCert);
  const ca2Dir = mkdtempSync(join(tmpdir(), 'apicert-other-'));
  t.after(() => rmSync(ca2Dir, { recursive: true, force: true }));
  const other = await generatePki(ca2Dir);

  const admin = KubeClient.fromAccess(loadKubeconfig(kubeconfig), {
    qps: 0,
    fieldManager: 'kuberay-apiserver',
  });
  const server = createApiServer({
    kube: admin,
    logger: nullLogger,
    registry: new Registry(),
    auth: 'kubernetes',
    tls: { cert: readFileSync(pki.servingCert), key: readFileSync(pki.servingKey), ca },
  });
  const port = await server.listen(0, '127.0.0.1');
  t.after(async () => {
    await server.shutdown(1000);
    admin.rest.close();
  });
  const path = `/apis/v1/namespaces/${ns}/clusters`;

  // No certificate and no token: 401.
  const anonymous = await get(port, path, { ca });
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.code, 16);

  // A certificate of another CA is not a caller: 401 (the TLS handshake allows it, the server does not trust it).
  const stranger = await clientCert(
    ca2Dir,
    { cert: other.caCert, key: other.caKey },
    'stranger',
    '/O=team-a/CN=eve',
  );
  assert.equal((await get(port, path, { ca, ...stranger })).status, 401);

  // A trusted certificate of a user without RBAC: 403 naming the user from CN.
  const carol = await clientCert(dir, { cert: pki.caCert, key: pki.caKey }, 'carol', '/O=team-a/CN=carol');
  assert.deepEqual(await get(port, path, { ca, ...carol }), {
    status: 403,
    body: {
      code: 7,
      message: `user "carol" cannot list rayclusters.ray.io in namespace "${ns}" (Kubernetes RBAC: no rule allows it)`,
      details: [],
    },
  });

  // Its O is a group: a RoleBinding to the group lets it list, and the list is made as that user.
  await client.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
    body: {
      metadata: { name: 'cluster-reader' },
      rules: [{ apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['list'] }],
    },
  });
  await client.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    body: {
      metadata: { name: 'team-a-reads' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cluster-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'team-a' }],
    },
  });
  // RBAC changes reach the authorizer within moments; the server caches a refusal for 5 s.
  const listed = await eventually(
    async () => {
      const r = await get(port, path, { ca, ...carol });
      if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${JSON.stringify(r.body)}`);
      return r;
    },
    { timeoutMs: 20_000, intervalMs: 500 },
  );
  assert.deepEqual(listed, { status: 200, body: {} });
});
