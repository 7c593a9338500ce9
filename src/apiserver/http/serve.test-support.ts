import assert from 'node:assert/strict';
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

/** Each of `paths` answers 404 (with exactly `body`, when given). */
export async function assertNotFound(base: string, paths: readonly string[], body?: string): Promise<void> {
  for (const path of paths) {
    const res = await fetch(`${base}${path}`);
    assert.equal(res.status, 404, path);
    const text = await res.text();
    if (body !== undefined) assert.equal(text, body, path);
  }
}
