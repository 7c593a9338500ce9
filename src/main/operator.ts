/**
 * The operator process: `node src/main/operator.ts [flags]` (`--help` lists them). Reads flags, the optional
 * --config file and env once, connects to the cluster (--kubeconfig, KUBECONFIG, or in-cluster), and runs the
 * Manager: metrics and probe endpoints, shared informers, leader election, the registered controllers.
 */
import { readFileSync } from 'node:fs';
import { buildConfig, type OperatorConfig } from '../config/config.ts';
import { checkServerVersion, type ServerVersion } from '../config/startup-checks.ts';
import { cacheTransformFor } from '../controllers/common/pod-cache.ts';
import { KubeClient } from '../k8s/client.ts';
import { inClusterAccess } from '../k8s/in-cluster.ts';
import { type ClusterAccess, loadKubeconfig } from '../k8s/kubeconfig.ts';
import { collectDefaultMetrics, Registry } from '../k8s/prom.ts';
import { operatorUserAgent } from '../k8s/user-agent.ts';
import { systemClock } from '../lib/clock.ts';
import { errorMessage } from '../lib/errors.ts';
import { KubeEventRecorder } from '../runtime/events.ts';
import { InformerFactory } from '../runtime/informer-factory.ts';
import { Manager } from '../runtime/manager.ts';
import { RuntimeMetrics } from '../runtime/metrics.ts';
import { controllers, type OperatorDeps } from './controllers.ts';
import { operatorLogging } from './logging.ts';
import { configOrExit, exitWhenDone, failureLine, packageVersion as version } from './startup.ts';

function clusterAccess(config: OperatorConfig): ClusterAccess & { namespace: string } {
  if (config.kubeconfig) return loadKubeconfig(config.kubeconfig);
  const fromEnv = process.env.KUBECONFIG?.split(':').find(Boolean);
  if (fromEnv) return loadKubeconfig(fromEnv);
  return inClusterAccess(process.env);
}

/** Flushes and closes the log file; set once logging is configured. */
let closeLogs: () => Promise<void> = async () => {};

async function main(): Promise<number> {
  const result = configOrExit(() =>
    buildConfig({ argv: process.argv.slice(2), env: process.env, readFile: (p) => readFileSync(p, 'utf8') }),
  );
  if (typeof result === 'number') return result;
  const { config } = result;
  // One logging setup (and one log file writer) for the whole process; closed (flushed) before exit.
  const logging = operatorLogging(config.logging, (l) => process.stdout.write(`${l}\n`), {
    onError: (err) => process.stderr.write(`cannot write the log file: ${errorMessage(err)}\n`),
  });
  closeLogs = logging.close;
  const root = logging.logger;
  const logger = root.child({ logger: 'setup' });
  for (const w of result.warnings) logger.warn('configuration warning', { warning: w });
  logger.info('starting kuberay-operator', {
    version,
    watchNamespaces: config.watchNamespaces,
    featureGates: config.featureGates,
    leaderElection: config.enableLeaderElection,
  });

  const access = clusterAccess(config);
  const registry = new Registry();
  // The event-loop delay is sampled once a second, not every 10 ms (prom-client's default): the default's
  // timer alone cost an idle operator 0.36 s of CPU a minute (docs/performance.md).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1000 });
  // `kuberay-operator/<version>`; tests name each operator they start (the RBAC audit tells them apart).
  const userAgent = operatorUserAgent(version, process.env.KUBERAY_TS_OPERATOR_INSTANCE || undefined);
  const client = KubeClient.fromAccess(access, {
    qps: config.qps,
    burst: config.burst,
    adaptiveRate: config.adaptiveRateLimit,
    userAgent,
    metrics: registry,
  });
  if (config.featureGates.SidecarSubmitterRestart)
    checkServerVersion(config.featureGates, await client.rest.request<ServerVersion>('GET', '/version'));
  const informers = new InformerFactory({
    client,
    namespaces: config.watchNamespaces,
    logger: root,
    clock: systemClock,
    // Pods are cached without what no controller reads (env, command, probes, volumes, ...).
    transformFor: cacheTransformFor,
    watchIdleTimeoutMs: config.watchIdleTimeoutMs,
  });
  // Events go through a client of their own (its own QPS budget, as controller-runtime's recorder has), so a
  // burst of events never delays the controllers' pod writes.
  const eventsClient = KubeClient.fromAccess(access, { qps: config.qps, burst: config.burst, userAgent });
  const recorder = new KubeEventRecorder({
    client: eventsClient,
    logger: root,
    instance: config.leaderIdentity,
  });
  const manager = new Manager({
    client,
    informers,
    registry,
    metricsAddr: config.metricsAddr,
    probeAddr: config.probeAddr,
    logger: root,
    ...(config.enableLeaderElection
      ? {
          leaderElection: {
            namespace: config.leaderElectionNamespace || access.namespace,
            // The same for every restart of the container in one pod: it takes its Lease back at once.
            identity: config.leaderIdentity,
            ...config.leaderElection,
          },
        }
      : {}),
  });
  manager.fence(eventsClient.rest);
  const deps: OperatorDeps = {
    client,
    informers,
    config,
    recorder,
    logger: root,
    clock: systemClock,
    metrics: { registry, runtime: RuntimeMetrics.for(registry) },
  };
  for (const register of controllers) {
    const r = register(deps);
    if (r) manager.add(r);
  }
  // Loaded only when enabled: most operators run without webhooks, and each module loaded costs RSS.
  if (config.env.enableWebhooks) {
    const { WebhookServer } = await import('../webhooks/index.ts');
    await new WebhookServer({ logger: root }).start();
  }

  let signals = 0;
  const onSignal = (signal: string) => {
    signals++;
    if (signals > 1) {
      logger.warn('second signal, exiting at once', { signal });
      process.exit(1);
    }
    logger.info('signal received, shutting down', { signal });
    void manager.stop();
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));

  await manager.start();
  const reason = await manager.done;
  await recorder.flush();
  client.rest.close();
  eventsClient.rest.close();
  if (reason !== 'stopped') logger.error('operator stopped', { reason });
  return reason === 'stopped' ? 0 : 1;
}

exitWhenDone(main(), failureLine('operator failed'), () => closeLogs());
