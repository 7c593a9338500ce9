import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { ControlPlane } from '../../src/devcluster/controlplane.ts';
import { KubeClient } from '../../src/k8s/client.ts';
import { loadKubeconfig } from '../../src/k8s/kubeconfig.ts';
import { RestClient } from '../../src/k8s/rest.ts';
import { auditOption } from './audit.ts';
import { eventually } from './eventually.ts';

/**
 * The control plane an integration suite runs against. `scripts/run-tests.ts` starts one for the whole run
 * (etcd, kube-apiserver, controller-manager, scheduler, KWOK) and passes its kubeconfig in
 * KUBERAY_TS_TEST_KUBECONFIG; a test file run on its own starts a private one instead, stopped at exit.
 */
export interface TestCluster {
  readonly kubeconfig: string;
  /** An admin REST client (closed at process exit). */
  readonly client: RestClient;
  /** Present only when this process started the control plane itself. */
  readonly controlPlane?: ControlPlane;
}

let shared: Promise<TestCluster> | undefined;

export function testCluster(): Promise<TestCluster> {
  shared ??= (async () => {
    const fromEnv = process.env.KUBERAY_TS_TEST_KUBECONFIG;
    if (fromEnv) {
      const client = new RestClient(loadKubeconfig(fromEnv), { userAgent: 'kuberay-ts-test' });
      process.once('exit', () => client.close());
      return { kubeconfig: fromEnv, client };
    }
    const cp = await ControlPlane.start({
      controllerManager: true,
      scheduler: true,
      kwokNodes: 2,
      ...auditOption('private'),
    });
    const client = cp.client();
    // The components die with this process (pdeathsig) and ControlPlane removes its dir at exit.
    process.once('exit', () => client.close());
    return { kubeconfig: cp.kubeconfig, client, controlPlane: cp };
  })();
  return shared;
}

/** Creates a fresh namespace for one test and deletes it when the test ends. */
export async function testNamespace(t: TestContext, prefix = 'test'): Promise<string> {
  const { client } = await testCluster();
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  await client.request('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
  });
  t.after(async () => {
    await client.request('DELETE', `/api/v1/namespaces/${name}`).catch(() => {});
  });
  // kube-controller-manager creates the namespace's `default` ServiceAccount a moment later; until then the
  // API server refuses pods ("error looking up service account").
  await eventually(() => client.request('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`));
  return name;
}

/** A KubeClient for the test cluster (its kubeconfig), closed when the test ends. */
export async function testKubeClient(t: TestContext): Promise<KubeClient> {
  const { kubeconfig } = await testCluster();
  const c = KubeClient.fromAccess(loadKubeconfig(kubeconfig));
  t.after(() => c.rest.close());
  return c;
}

export { eventually } from './eventually.ts';

/**
 * Waits until Kubernetes allows `user` (e.g. `system:serviceaccount:ns:name`) the request: the API server's RBAC
 * authorizer learns of a new (Cluster)RoleBinding through its informer, a moment after the create returns.
 */
export async function waitForAccess(
  rest: RestClient,
  user: string,
  attrs: { namespace: string; verb: string; group?: string; resource: string; groups?: string[] },
): Promise<void> {
  const { groups, ...resourceAttributes } = attrs;
  await eventually(async () => {
    const review = await rest.request<{ status?: { allowed?: boolean } }>(
      'POST',
      '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      {
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user,
            ...(groups ? { groups } : {}),
            resourceAttributes: { group: '', ...resourceAttributes },
          },
        },
      },
    );
    if (!review.status?.allowed) throw new Error(`${user} may not ${attrs.verb} ${attrs.resource} yet`);
  });
}
