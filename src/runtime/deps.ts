import type { Registry } from 'prom-client';
import type { KubeClient } from '../k8s/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { EventRecorderProvider } from './events.ts';
import type { InformerFactory } from './informer-factory.ts';
import type { RuntimeMetrics } from './metrics.ts';

/**
 * What the operator hands each controller factory (see src/main/controllers.ts). `Config` is the operator's
 * OperatorConfig (src/config), kept generic here because runtime/ does not import config/.
 */
export interface ControllerDeps<Config = unknown> {
  readonly client: KubeClient;
  /** Shared informers: read caches through them and wire controllers with ControllerBuilder. */
  readonly informers: InformerFactory;
  readonly config: Config;
  /** The operator's one event recorder; each controller takes `recorderFor(its name)`. */
  readonly recorder: EventRecorderProvider;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly metrics: { readonly registry: Registry; readonly runtime: RuntimeMetrics };
}
