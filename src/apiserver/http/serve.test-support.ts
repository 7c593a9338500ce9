import type { TestContext } from 'node:test';
import { Registry } from 'prom-client';
import type { KubeClient } from '../../k8s/client.ts';
import { nullLogger } from '../../lib/logger.ts';
import { createApiServer } from '../app.ts';

type Options = Parameters<typeof createApiServer>[0];

/**
 * An API server for one test, on a free local port and shut down after it: no authentication and no usable
 * Kubernetes client unless `options` say otherwise. Returns its base URL.
 */
export async function serveForTest(t: TestContext, options: Partial<Options>): Promise<string> {
  const server = createApiServer({
    kube: {} as KubeClient,
    logger: nullLogger,
    registry: new Registry(),
    auth: 'none',
    ...options,
  });
  const port = await server.listen(0, '127.0.0.1');
  t.after(() => server.shutdown(100));
  return `http://127.0.0.1:${port}`;
}
