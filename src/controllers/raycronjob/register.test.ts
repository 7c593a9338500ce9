import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConfig } from '../../config/config.ts';
import type { KubeClient } from '../../k8s/client.ts';
import { FakeClock } from '../../lib/clock.ts';
import { nullLogger } from '../../lib/logger.ts';
import { InformerFactory } from '../../runtime/informer-factory.ts';
import { MemoryEventRecorder } from '../common/events.ts';
import { rayCronJobController } from './register.ts';

const depsWith = (argv: string[]) => {
  const r = buildConfig({ argv, env: {}, readFile: () => '' });
  assert.equal(r.kind, 'config');
  const config = r.kind === 'config' ? r.config : (undefined as never);
  // Nothing here is started, so the client is never called.
  const client = {} as KubeClient;
  return {
    client,
    informers: new InformerFactory({ client, logger: nullLogger }),
    config,
    recorder: new MemoryEventRecorder(),
    logger: nullLogger,
    clock: new FakeClock(0),
    metrics: { registry: undefined as never, runtime: undefined as never },
  };
};

test('the RayCronJob controller runs only with the RayCronJob feature gate (alpha, off by default)', () => {
  assert.equal(rayCronJobController(depsWith([])), undefined);
  const on = rayCronJobController(depsWith(['--feature-gates=RayCronJob=true']));
  assert.equal(on?.name, 'raycronjob');
});
