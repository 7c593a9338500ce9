/**
 * The chart and the operator agree: the arguments, env and configuration file the kuberay-operator chart
 * renders are read by the operator's own configuration code (src/config) without error or warning, and give
 * the settings the values asked for.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConfig, type OperatorConfig } from '../../../src/config/config.ts';
import { chartPath, type K8sObject, one, operatorContainer, render } from './helm.ts';

const chart = chartPath('kuberay-operator');

/** Renders the chart and builds the operator configuration from the rendered container. */
async function operatorConfig(
  values: Record<string, unknown>,
  namespace = 'ray-system',
): Promise<OperatorConfig> {
  const objs: K8sObject[] = await render(chart, {
    namespace,
    values: { crds: { enabled: false }, ...values },
  });
  const c = operatorContainer(objs);
  const env = Object.fromEntries(
    ((c.env ?? []) as { name: string; value: string }[]).map((e) => [e.name, e.value]),
  );
  const files: Record<string, string> = {};
  const cm = objs.find((o) => o.kind === 'ConfigMap');
  if (cm) files['/etc/kuberay/config.yaml'] = cm.data['config.yaml'];
  const result = buildConfig({
    argv: c.args ?? [],
    env,
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`no such file in the pod: ${path}`);
      return text;
    },
  });
  assert.equal(result.kind, 'config');
  if (result.kind !== 'config') throw new Error('unreachable');
  assert.deepEqual(result.warnings, [], 'the operator warns about nothing the chart renders');
  return result.config;
}

test('default values give KubeRay defaults and the chart feature gates', async () => {
  const cfg = await operatorConfig({});
  assert.equal(cfg.enableLeaderElection, true);
  assert.equal(cfg.enableMetrics, true);
  assert.equal(cfg.reconcileConcurrency, 1);
  assert.equal(cfg.qps, 100);
  assert.equal(cfg.burst, 200);
  assert.equal(cfg.adaptiveRateLimit, true, 'kubeClient.qps/burst unset: the limit adapts from 100/200');
  assert.deepEqual(cfg.watchNamespaces, []);
  assert.equal(cfg.batchScheduler, '');
  assert.equal(cfg.featureGates.RayClusterStatusConditions, true);
  assert.equal(cfg.featureGates.RayCronJob, false);
  assert.equal(cfg.env.enableWebhooks, false);
});

test('flags mode: namespaces, scheduler, proxy, log file, limits, gates, webhooks env', async () => {
  const cfg = await operatorConfig(
    {
      singleNamespaceInstall: true,
      batchScheduler: { name: 'volcano' },
      useKubernetesProxy: true,
      leaderElectionEnabled: false,
      logging: { baseDir: '/logs', fileName: 'op.log', stdoutEncoder: 'console' },
      reconcileConcurrency: 7,
      kubeClient: { qps: 55.5, burst: 66 },
      featureGates: [{ name: 'RayCronJob', enabled: true }],
      webhooks: { enabled: true },
    },
    'team-a',
  );
  assert.deepEqual(cfg.watchNamespaces, ['team-a']);
  assert.equal(cfg.batchScheduler, 'volcano');
  assert.equal(cfg.useKubernetesProxy, true);
  assert.equal(cfg.enableLeaderElection, false);
  assert.equal(cfg.logging.file, '/logs/op.log');
  assert.equal(cfg.logging.stdoutEncoder, 'console');
  assert.equal(cfg.reconcileConcurrency, 7);
  assert.equal(cfg.qps, 55.5);
  assert.equal(cfg.burst, 66);
  assert.equal(cfg.featureGates.RayCronJob, true);
  assert.equal(cfg.env.enableWebhooks, true);
});

test('deprecated batchScheduler.enabled means Volcano', async () => {
  assert.equal((await operatorConfig({ batchScheduler: { enabled: true } })).batchScheduler, 'volcano');
});

test('configuration file mode: the ConfigMap is a Configuration the operator reads', async () => {
  const configuration = {
    enabled: true,
    defaultContainerEnvs: [{ name: 'RAY_enable_open_telemetry', value: 'true' }],
    defaultPodLabels: { team: 'ml' },
    defaultPodAnnotations: { 'prometheus.io/scrape': 'true' },
    headSidecarContainers: [{ name: 'fluentbit', image: 'fluent/fluent-bit:1.9' }],
    workerSidecarContainers: [{ name: 'fluentbit', image: 'fluent/fluent-bit:1.9' }],
  };
  const cfg = await operatorConfig({
    configuration,
    watchNamespace: ['a', 'b'],
    batchScheduler: { name: 'yunikorn' },
    reconcileConcurrency: 4,
    kubeClient: { qps: 10, burst: 20 },
  });
  assert.equal(cfg.configFile, '/etc/kuberay/config.yaml');
  assert.deepEqual(cfg.watchNamespaces, ['a', 'b']);
  assert.equal(cfg.batchScheduler, 'yunikorn');
  assert.equal(cfg.reconcileConcurrency, 4);
  assert.equal(cfg.qps, 10);
  assert.equal(cfg.burst, 20);
  assert.equal(cfg.adaptiveRateLimit, false, 'kubeClient.qps/burst set: a fixed limit, as in KubeRay');
  assert.deepEqual(cfg.defaultContainerEnvs, configuration.defaultContainerEnvs);
  assert.deepEqual(cfg.defaultPodLabels, configuration.defaultPodLabels);
  assert.deepEqual(cfg.defaultPodAnnotations, configuration.defaultPodAnnotations);
  assert.deepEqual(cfg.headSidecarContainers, configuration.headSidecarContainers);
  assert.deepEqual(cfg.workerSidecarContainers, configuration.workerSidecarContainers);
  assert.equal(cfg.featureGates.RayJobDeletionPolicy, true, 'gates still come from the flag');
});

test('the ConfigMap name matches the volume the Deployment mounts', async () => {
  const objs = await render(chart, {
    values: { crds: { enabled: false }, configuration: { enabled: true } },
  });
  const volumes = one(objs, 'Deployment').spec.template.spec.volumes;
  assert.equal(volumes[0].configMap.name, one(objs, 'ConfigMap').metadata.name);
});
