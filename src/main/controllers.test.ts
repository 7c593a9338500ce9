import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { buildConfig } from '../config/config.ts';
import { MemoryEventRecorder } from '../controllers/common/events.ts';
import type { KubeClient } from '../k8s/client.ts';
import { FakeClock } from '../lib/clock.ts';
import { nullLogger } from '../lib/logger.ts';
import { InformerFactory } from '../runtime/informer-factory.ts';
import { RuntimeMetrics } from '../runtime/metrics.ts';
import { controllers, type OperatorDeps } from './controllers.ts';

test("every controller records its Events as KubeRay's source.component for it", () => {
  const gates = 'RayCronJob=true,RayClusterNetworkPolicy=true,RayClusterMTLS=true';
  const r = buildConfig({ argv: [`--feature-gates=${gates}`], env: {}, readFile: () => '' });
  assert.equal(r.kind, 'config');
  const asked: string[] = [];
  const recorder = new MemoryEventRecorder();
  // Nothing is started, so the client is never called.
  const client = {} as KubeClient;
  const registry = new Registry();
  const deps: OperatorDeps = {
    client,
    informers: new InformerFactory({ client, logger: nullLogger }),
    config: r.kind === 'config' ? r.config : (undefined as never),
    recorder: {
      recorderFor: (component) => {
        asked.push(component);
        return recorder.recorderFor(component);
      },
    },
    logger: nullLogger,
    clock: new FakeClock(0),
    metrics: { registry, runtime: RuntimeMetrics.for(registry) },
  };
  for (const register of controllers) register(deps);
  assert.deepEqual(asked, [
    'raycluster-controller',
    'rayjob-controller',
    'rayservice-controller',
    'raycronjob-controller',
    'networkpolicy-controller',
    'raycluster-mtls-controller',
  ]);
});
