// biome-ignore-all lint/suspicious/noExplicitAny: responses are untyped JSON
import type { TestContext } from 'node:test';
import { Registry } from 'prom-client';
import { createApiServer } from '../../../src/apiserver/app.ts';
import type { AuthMode } from '../../../src/apiserver/auth/modes.ts';
import type { ApiHttpServer } from '../../../src/apiserver/http/server.ts';
import { ListCache } from '../../../src/apiserver/v1/list-cache.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import { nullLogger } from '../../../src/lib/logger.ts';
import { testCluster } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

export interface RunningApiServer {
  readonly base: string;
  /** The admin client of the control plane (the server's own client). */
  readonly admin: KubeClient;
  /** Metrics of the server and of its Kubernetes client (rest_client_*). */
  readonly registry: Registry;
  readonly server: ApiHttpServer;
  /** The informer caches of unpaginated V1 lists, when started with `listCache`. */
  readonly listCache: ListCache | undefined;
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
}

/**
 * Starts the API server in this process against the test control plane (ray.io CRDs installed), or against the
 * control plane of `kubeconfig` (its CRDs are the caller's business); stopped at test end.
 */
export async function startApiServer(
  t: TestContext,
  options: {
    kubeconfig?: string;
    auth?: AuthMode;
    securityToken?: string;
    enableV2?: boolean;
    listCache?: boolean;
    watchHeartbeatMs?: number;
  } = {},
): Promise<RunningApiServer> {
  let kubeconfig = options.kubeconfig;
  if (kubeconfig === undefined) {
    const cluster = await testCluster();
    await installCrds(cluster.client);
    kubeconfig = cluster.kubeconfig;
  }
  const registry = new Registry();
  const admin = KubeClient.fromAccess(loadKubeconfig(kubeconfig), {
    qps: 0,
    fieldManager: 'kuberay-apiserver',
    metrics: registry,
  });
  // The cache's informers get a client of their own, outside `registry`: their LISTs and watch (re)starts run on
  // their own schedule, so counting them would make the routes' request counts (list-cache.test.ts) racy.
  const cacheClient = options.listCache
    ? KubeClient.fromAccess(loadKubeconfig(kubeconfig), { qps: 0 })
    : undefined;
  const listCache = cacheClient ? new ListCache(cacheClient, nullLogger) : undefined;
  listCache?.start();
  const server = createApiServer({
    kube: admin,
    logger: nullLogger,
    registry,
    ...(listCache ? { listCache } : {}),
    auth: options.auth ?? 'none',
    ...(options.securityToken ? { securityToken: options.securityToken } : {}),
    enableV2: options.enableV2 ?? true,
    ...(options.watchHeartbeatMs ? { watchHeartbeatMs: options.watchHeartbeatMs } : {}),
  });
  const port = await server.listen(0, '127.0.0.1');
  t.after(async () => {
    await server.shutdown(1000);
    await listCache?.stop();
    cacheClient?.rest.close();
    admin.rest.close();
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    admin,
    registry,
    server,
    listCache,
    async call(method, path, body, headers = {}) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed };
    },
  };
}
