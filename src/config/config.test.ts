import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConfig, ConfigError, type OperatorConfig } from './config.ts';
import { leaderIdentity, parseDuration, parseEnv } from './env.ts';
import { defaultFeatureGates, parseFeatureGates } from './feature-gates.ts';
import { CONFIG_FIELDS } from './file.ts';
import { parseFlags } from './flags.ts';

const noFile = (p: string): string => {
  throw new Error(`ENOENT: ${p}`);
};
function config(argv: string[], env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const r = buildConfig({
    argv,
    env,
    readFile: (p) => files[p] ?? noFile(p),
    hostname: 'op-7f9',
    randomId: () => 'r1',
  });
  assert.equal(r.kind, 'config');
  return r as { config: OperatorConfig; warnings: readonly string[] };
}

test('defaults match KubeRay', () => {
  const { config: c, warnings } = config([]);
  assert.equal(c.metricsAddr, ':8080');
  assert.equal(c.probeAddr, ':8082');
  assert.equal(c.enableLeaderElection, true);
  assert.equal(c.reconcileConcurrency, 1);
  assert.deepEqual(c.watchNamespaces, []);
  assert.equal(c.qps, 100);
  assert.equal(c.burst, 200);
  assert.equal(c.enableMetrics, false);
  assert.equal(c.batchScheduler, '');
  assert.equal(c.logging.stdoutEncoder, 'json');
  assert.equal(c.env.clusterDomain, 'cluster.local');
  assert.equal(c.env.enableInitContainerInjection, true);
  assert.equal(c.env.rayClusterDefaultRequeueSeconds, 300);
  assert.deepEqual(c.leaderElection, {
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
  });
  assert.deepEqual(c.featureGates, defaultFeatureGates());
  assert.deepEqual(warnings, []);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.env) && Object.isFrozen(c.watchNamespaces));
});

test('flags parse with Go rules', () => {
  const { config: c } = config([
    '--metrics-addr=127.0.0.1:0',
    '-health-probe-bind-address',
    ':9',
    '--enable-leader-election=false',
    '--watch-namespace=a, b,',
    '--reconcile-concurrency',
    '4',
    '--qps=12.5',
    '--enable-metrics',
    '--log-stdout-encoder=console',
    '--zap-log-level=debug',
    '--batch-scheduler=yunikorn',
  ]);
  assert.equal(c.metricsAddr, '127.0.0.1:0');
  assert.equal(c.probeAddr, ':9');
  assert.equal(c.enableLeaderElection, false);
  assert.deepEqual(c.watchNamespaces, ['a', 'b']);
  assert.equal(c.reconcileConcurrency, 4);
  assert.equal(c.qps, 12.5);
  assert.equal(c.enableMetrics, true);
  assert.equal(c.logging.stdoutEncoder, 'console');
  assert.equal(c.logging.level, 'debug');
  assert.equal(c.batchScheduler, 'yunikorn');
  assert.throws(() => parseFlags(['--nope']), /flag provided but not defined: -nope/);
  assert.throws(() => parseFlags(['--burst=x']), /invalid value "x" for flag -burst/);
  assert.throws(() => parseFlags(['--burst']), /flag needs an argument: -burst/);
  assert.throws(() => parseFlags(['--enable-metrics=maybe']), /invalid boolean value "maybe"/);
  assert.equal(buildConfig({ argv: ['--help'], env: {}, readFile: noFile }).kind, 'help');
});

test('batch scheduler validation follows KubeRay', () => {
  assert.equal(config(['--enable-batch-scheduler']).config.batchScheduler, 'volcano');
  assert.throws(
    () => config(['--enable-batch-scheduler', '--batch-scheduler=volcano']),
    /Please use batch-scheduler only/,
  );
  assert.throws(() => config(['--batch-scheduler=slurm']), /scheduler is not supported, name=slurm/);
  assert.throws(
    () => config(['--batch-scheduler=volcano', '--feature-gates=KubernetesWAS=true']),
    /KubernetesWAS cannot be used together with batch-scheduler/,
  );
});

test('with --config the file wins and other flags are ignored, except encoders and feature gates', () => {
  const file = `apiVersion: config.ray.io/v1alpha1
kind: Configuration
metricsAddr: ":9000"
reconcileConcurrency: 3
watchNamespace: ns1,ns2
enableMetrics: true
deleteRayJobAfterJobFinishes: true
defaultPodLabels: { team: ml }
headSidecarContainers: [{ name: fluent-bit, image: fluent/fluent-bit }]
surprise: 1
`;
  const { config: c, warnings } = config(
    [
      '--config=/etc/kuberay/config.yaml',
      '--metrics-addr=:1',
      '--log-stdout-encoder=console',
      '--feature-gates=RayCronJob=true',
    ],
    {},
    { '/etc/kuberay/config.yaml': file },
  );
  assert.equal(c.metricsAddr, ':9000');
  assert.equal(c.probeAddr, ':8082');
  assert.equal(c.reconcileConcurrency, 3);
  assert.deepEqual(c.watchNamespaces, ['ns1', 'ns2']);
  assert.equal(c.deleteRayJobAfterJobFinishes, true);
  assert.deepEqual(c.defaultPodLabels, { team: 'ml' });
  assert.equal(c.headSidecarContainers.length, 1);
  assert.equal(c.logging.stdoutEncoder, 'console');
  assert.equal(c.featureGates.RayCronJob, true);
  assert.deepEqual(warnings, [
    'config file: unknown field surprise ignored',
    '--config is set, so these flags are ignored: --metrics-addr',
  ]);
  assert.throws(() => config(['--config=/missing']), /--config: cannot read \/missing/);
  const bad = (text: string) => config(['--config=/c'], {}, { '/c': text });
  assert.throws(
    () => bad('apiVersion: v1\nkind: Configuration'),
    /apiVersion must be config.ray.io\/v1alpha1/,
  );
  assert.throws(
    () => bad('apiVersion: config.ray.io/v1alpha1\nkind: Configuration\nqps: fast'),
    /field qps: expected a number, got "fast"/,
  );
});

test('feature gates: defaults, overrides, unknown names and bad values', () => {
  const g = parseFeatureGates(' RayCronJob=true, RayClusterStatusConditions=false ');
  assert.equal(g.RayCronJob, true);
  assert.equal(g.RayClusterStatusConditions, false);
  assert.equal(g.RayJobDeletionPolicy, true);
  assert.equal(g.KubernetesWAS, false);
  assert.throws(() => parseFeatureGates('NoSuchGate=true'), /unrecognized feature gate: NoSuchGate/);
  assert.throws(() => parseFeatureGates('RayCronJob=yes'), /invalid value of RayCronJob: yes/);
  assert.throws(() => parseFeatureGates('RayCronJob'), /missing bool value for RayCronJob/);
});

test('environment variables read like KubeRay reads them', () => {
  const warnings: string[] = [];
  const e = parseEnv(
    {
      ENABLE_WEBHOOKS: 'TRUE',
      ENABLE_INIT_CONTAINER_INJECTION: 'false',
      ENABLE_PROBES_INJECTION: 'nonsense',
      CLUSTER_DOMAIN: 'corp.local',
      RAYCLUSTER_DEFAULT_REQUEUE_SECONDS_ENV: '10',
      RAYJOB_STATUS_CHECK_TIMEOUT_SECONDS: 'soon',
    },
    warnings,
  );
  assert.equal(e.enableWebhooks, true);
  assert.equal(e.enableInitContainerInjection, false);
  assert.equal(e.enableProbesInjection, true);
  assert.equal(e.clusterDomain, 'corp.local');
  assert.equal(e.rayClusterDefaultRequeueSeconds, 10);
  assert.equal(e.rayJobStatusCheckTimeoutSeconds, 300);
  assert.match(warnings[0] ?? '', /RAYJOB_STATUS_CHECK_TIMEOUT_SECONDS="soon" is not a whole number/);
  assert.equal(parseDuration('1m30s', 'x'), 90_000);
  assert.equal(parseDuration('500ms', 'x'), 500);
  assert.throws(() => parseDuration('5', 'KUBERAY_LEADER_ELECTION_LEASE_DURATION'), /invalid duration '5'/);
  assert.throws(
    () => config([], { KUBERAY_LEADER_ELECTION_LEASE_DURATION: '1s' }),
    /lease duration > renew deadline > retry period/,
  );
  const short = config([], {
    KUBERAY_LEADER_ELECTION_LEASE_DURATION: '4s',
    KUBERAY_LEADER_ELECTION_RENEW_DEADLINE: '3s',
    KUBERAY_LEADER_ELECTION_RETRY_PERIOD: '500ms',
  }).config;
  assert.equal(short.leaderElection.retryPeriodMs, 500);
});

test('the client rate limit adapts unless qps or burst is set by a flag or the config file', () => {
  const file = 'apiVersion: config.ray.io/v1alpha1\nkind: Configuration\n';
  assert.equal(config([]).config.adaptiveRateLimit, true);
  assert.equal(config(['--qps=100']).config.adaptiveRateLimit, false);
  assert.equal(config(['--burst', '200']).config.adaptiveRateLimit, false);
  assert.equal(config(['--config=/c'], {}, { '/c': file }).config.adaptiveRateLimit, true);
  assert.equal(config(['--config=/c'], {}, { '/c': `${file}qps: 50\n` }).config.adaptiveRateLimit, false);
  assert.equal(config(['--config=/c'], {}, { '/c': `${file}burst: 20\n` }).config.adaptiveRateLimit, false);
});

test('one table of defaults: an empty config file and no flags give the same configuration', () => {
  const file = 'apiVersion: config.ray.io/v1alpha1\nkind: Configuration\n';
  const fromFile = config(['--config=/c'], {}, { '/c': file }).config;
  const fromFlags = config([]).config;
  assert.deepEqual({ ...fromFile, configFile: '' }, fromFlags);
  for (const [field, f] of Object.entries(CONFIG_FIELDS))
    if ('flag' in f)
      assert.ok(
        parseFlags([]).values[f.flag] !== undefined,
        `config field ${field} names the flag --${f.flag}, which must exist`,
      );
});

test('the leader identity: hostname and pod UID when KUBERAY_POD_UID is set (same across container restarts), else a random suffix', () => {
  const uid = '5D0C2A1E-0B7F-4C7B-9E55-1F2A3B4C5D6E';
  assert.equal(
    leaderIdentity({ KUBERAY_POD_UID: uid }, 'op-7f9', () => 'r'),
    `op-7f9_${uid.toLowerCase()}`,
  );
  assert.equal(
    leaderIdentity({}, 'op-7f9', () => 'r1'),
    'op-7f9_r1',
  );
  assert.equal(
    leaderIdentity({ KUBERAY_POD_UID: ' ' }, 'op-7f9', () => 'r2'),
    'op-7f9_r2',
  );
  assert.throws(
    () => leaderIdentity({ KUBERAY_POD_UID: 'op-7f9' }, 'h', () => 'r'),
    /KUBERAY_POD_UID: want the pod's UID/,
  );
});

test('the configuration carries the leader identity; a KUBERAY_POD_UID that is not a UUID is a configuration error', () => {
  const uid = '5d0c2a1e-0b7f-4c7b-9e55-1f2a3b4c5d6e';
  assert.equal(config([], { KUBERAY_POD_UID: uid }).config.leaderIdentity, `op-7f9_${uid}`);
  assert.equal(config([]).config.leaderIdentity, 'op-7f9_r1');
  // In --config mode too: the identity comes from env, which applies in both modes.
  assert.equal(
    config(
      ['--config=/c.yaml'],
      { KUBERAY_POD_UID: uid },
      { '/c.yaml': 'apiVersion: config.ray.io/v1alpha1\nkind: Configuration\n' },
    ).config.leaderIdentity,
    `op-7f9_${uid}`,
  );
  assert.throws(
    () => config([], { KUBERAY_POD_UID: 'kuberay-operator-7f9c' }),
    (err: Error) =>
      err instanceof ConfigError &&
      /^KUBERAY_POD_UID: want the pod's UID .*"kuberay-operator-7f9c"$/.test(err.message),
  );
});

test('KUBERAY_TS_WATCH_IDLE_TIMEOUT (test-only): a positive Go duration; unset leaves the informers their default', () => {
  assert.equal(config([]).config.watchIdleTimeoutMs, undefined);
  assert.equal(config([], { KUBERAY_TS_WATCH_IDLE_TIMEOUT: '5s' }).config.watchIdleTimeoutMs, 5000);
  assert.equal(config([], { KUBERAY_TS_WATCH_IDLE_TIMEOUT: ' 1m30s ' }).config.watchIdleTimeoutMs, 90_000);
  assert.throws(
    () => config([], { KUBERAY_TS_WATCH_IDLE_TIMEOUT: '5' }),
    /KUBERAY_TS_WATCH_IDLE_TIMEOUT: invalid duration '5'/,
  );
  assert.throws(
    () => config([], { KUBERAY_TS_WATCH_IDLE_TIMEOUT: '0s' }),
    /KUBERAY_TS_WATCH_IDLE_TIMEOUT: must be > 0/,
  );
});
