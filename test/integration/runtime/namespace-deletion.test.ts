import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';
import { startOperatorProcess } from '../../support/operator-process.ts';
import { baseCluster } from '../raycluster/harness.ts';

/**
 * Deleting a namespace that holds a RayCluster: while the namespace terminates, the API server forbids new
 * pods. The operator must stop creating them quietly: no ERROR log line, no backoff retry of the creates (a
 * later change to the cluster still triggers one reconcile, whose create is refused again, logged at info).
 */
test('deleting a namespace with a RayCluster in it logs no ERROR and stops creating pods', async (t) => {
  const { kubeconfig, client: admin } = await testCluster();
  await installCrds(admin);
  const leaseNs = await testNamespace(t, 'le');
  const ns = await testNamespace(t, 'nsdel');
  const c = KubeClient.fromAccess(loadKubeconfig(kubeconfig));
  t.after(() => c.rest.close());
  const op = startOperatorProcess(t, { kubeconfig, watchNamespace: ns, leaseNamespace: leaseNs });

  await c.create(Resources.rayClusters, baseCluster('doomed', ns) as unknown as KubeObject);
  await eventually(
    async () => {
      const pods = await c.list(Resources.pods, {
        namespace: ns,
        labelSelector: { 'ray.io/cluster': 'doomed' },
      });
      assert.equal(pods.items.length, 4, 'head and 3 workers');
    },
    { timeoutMs: 60_000 },
  );

  await admin.request('DELETE', `/api/v1/namespaces/${ns}`);
  await eventually(
    async () => {
      const got = await c.getOrUndefined(Resources.namespaces, '', ns);
      assert.equal(got, undefined, 'the namespace is gone');
    },
    { timeoutMs: 120_000 },
  );

  const errors = op.logs.filter((l) => l.level === 'error');
  assert.deepEqual(errors, [], 'no ERROR log lines');
  // Creates (and events) refused because the namespace terminates are reported at info at most.
  const loud = op.logs.filter((l) => l.level === 'warn' && /being terminated/.test(JSON.stringify(l)));
  assert.deepEqual(loud, [], 'no warnings about the terminating namespace');
});
