/**
 * kuberay-operator chart: `helm lint`, `helm template` for the defaults and every RBAC mode, feature gate
 * and batch scheduler option, and a server-side dry run of every rendered object on the real API server.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { autoscalerRoleRules, expand, type Rule } from '../../support/rbac.ts';
import {
  chartPath,
  dryRunApply,
  find,
  helm,
  type K8sObject,
  one,
  operatorContainer,
  podUidEnv,
  render,
} from './helm.ts';

const chart = chartPath('kuberay-operator');
const defaultGates =
  '--feature-gates=RayClusterStatusConditions=true,RayJobDeletionPolicy=true,RayMultiHostIndexing=true,' +
  'RayServiceIncrementalUpgrade=true,RayCronJob=false,RayClusterMTLS=false,RayClusterNetworkPolicy=false,' +
  'RayClusterHistoryServer=false';
const defaultFlags = [
  '--log-stdout-encoder',
  'json',
  '--log-file-encoder',
  'json',
  '--enable-leader-election=true',
  '--enable-metrics=true',
  '--reconcile-concurrency=1',
];

/** Renders with CRDs off (the CRD test covers them) unless the values say otherwise. */
const renderOp = (namespace: string, values: Record<string, unknown> = {}) =>
  render(chart, { release: 'kuberay', namespace, values: { crds: { enabled: false }, ...values } });

/** Dry-runs every object (ServiceMonitor excepted: its CRD belongs to prometheus-operator, not installed). */
async function dryRunAll(objs: readonly K8sObject[], namespace: string): Promise<void> {
  const { client } = await testCluster();
  for (const obj of objs) {
    if (obj.kind === 'ServiceMonitor') continue;
    await dryRunApply(client, obj, namespace);
  }
}

const ruleFor = (role: K8sObject, group: string, resource: string) =>
  role.rules.find(
    (r: { apiGroups: string[]; resources: string[] }) =>
      r.apiGroups.includes(group) && r.resources.includes(resource),
  );

before(async () => {
  await testCluster();
});

test('helm lint passes', async () => {
  const out = await helm(['lint', chart, '--strict']);
  assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
});

describe('default values', () => {
  test('render KubeRay flags, the cluster-wide RBAC and pass a server dry run', async (t) => {
    const ns = await testNamespace(t, 'helm-op');
    const objs = await renderOp(ns);
    const c = operatorContainer(objs);
    assert.deepEqual(c.command, ['/manager']);
    assert.deepEqual(c.args, [...defaultFlags, defaultGates]);
    assert.equal(c.image, 'quay.io/kuberay/operator:nightly');
    assert.deepEqual(c.ports, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    assert.equal(c.livenessProbe.httpGet.path, '/metrics');
    assert.deepEqual(c.resources, { limits: { cpu: '100m', memory: '512Mi' } });
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    const deploy = one(objs, 'Deployment', 'kuberay-operator');
    assert.equal(deploy.spec.strategy.type, 'Recreate');
    assert.equal(deploy.spec.template.spec.serviceAccountName, 'kuberay-operator');
    const role = one(objs, 'ClusterRole', 'kuberay-operator');
    assert.ok(ruleFor(role, 'ray.io', 'rayclusters/finalizers'));
    assert.ok(ruleFor(role, '', 'pods').verbs.includes('deletecollection'));
    assert.equal(ruleFor(role, 'scheduling.volcano.sh', 'podgroups'), undefined);
    // Least privilege (the RBAC audit, docs/reliability.md): Issuers are read from the informer, never by `get`.
    assert.deepEqual(ruleFor(role, 'cert-manager.io', 'issuers').verbs, [
      'create',
      'list',
      'update',
      'watch',
    ]);
    // Least privilege (docs/helm.md): no verb the operator never sends, e.g. KubeRay's pods/status and
    // extensions ingresses; the leader-election Role without KubeRay's configmaps (the Lease is the lock).
    assert.equal(ruleFor(role, '', 'pods/status'), undefined);
    assert.equal(ruleFor(role, 'extensions', 'ingresses'), undefined);
    assert.deepEqual(ruleFor(role, '', 'serviceaccounts').verbs, ['create', 'get']);
    assert.equal(one(objs, 'ClusterRoleBinding').subjects[0].namespace, ns);
    const election = one(objs, 'Role', 'kuberay-operator-leader-election');
    assert.equal(election.metadata.namespace, ns);
    assert.deepEqual(
      election.rules.map((r: { resources: string[]; verbs: string[] }) => `${r.resources} ${r.verbs}`),
      ['events create', 'leases create,get,update'],
    );
    assert.deepEqual(
      find(objs, 'ClusterRole')
        .map((r) => r.metadata.name)
        .sort(),
      [
        'kuberay-operator',
        'raycronjob-editor-role',
        'raycronjob-viewer-role',
        'rayjob-editor-role',
        'rayjob-viewer-role',
        'rayservice-editor-role',
        'rayservice-viewer-role',
      ],
    );
    assert.equal(one(objs, 'Service').spec.ports[0].port, 8080);
    assert.equal(find(objs, 'ServiceMonitor').length, 0);
    await dryRunAll(objs, ns);
  });
});

describe('naming', () => {
  test('fullnameOverride="" derives names from the release; componentOverride sets the component label', async () => {
    const objs = await renderOp('default', { fullnameOverride: '', componentOverride: 'operator' });
    // The release "kuberay" does not contain the chart name "kuberay-operator", so: <release>-<name>.
    const deploy = one(objs, 'Deployment', 'kuberay-kuberay-operator');
    assert.equal(deploy.spec.template.metadata.labels['app.kubernetes.io/component'], 'operator');
    assert.equal(one(objs, 'ClusterRole', 'kuberay-kuberay-operator').kind, 'ClusterRole');
    assert.equal(one(objs, 'Role', 'kuberay-kuberay-operator-leader-election').kind, 'Role');
    const named = await render(chart, {
      release: 'my-kuberay-operator',
      values: { crds: { enabled: false }, fullnameOverride: '' },
    });
    assert.equal(
      one(named, 'Deployment').metadata.name,
      'my-kuberay-operator',
      'a release containing the name is used as is',
    );
  });
});

describe('RBAC modes', () => {
  test('singleNamespaceInstall: Roles in the release namespace and --watch-namespace', async (t) => {
    const ns = await testNamespace(t, 'helm-op');
    const objs = await renderOp(ns, { singleNamespaceInstall: true });
    assert.deepEqual(find(objs, 'ClusterRole'), []);
    assert.deepEqual(find(objs, 'ClusterRoleBinding'), []);
    assert.equal(one(objs, 'Role', 'kuberay-operator').metadata.namespace, ns);
    assert.equal(one(objs, 'RoleBinding', 'kuberay-operator').roleRef.kind, 'Role');
    const args = operatorContainer(objs).args as string[];
    assert.deepEqual(args.slice(0, 2), ['--watch-namespace', ns]);
    await dryRunAll(objs, ns);
  });

  test('singleNamespaceInstall + watchNamespace: one Role and RoleBinding per watched namespace', async (t) => {
    const ns = await testNamespace(t, 'helm-op');
    const a = await testNamespace(t, 'helm-wa');
    const b = await testNamespace(t, 'helm-wb');
    const objs = await renderOp(ns, { singleNamespaceInstall: true, watchNamespace: [a, b] });
    assert.deepEqual(
      find(objs, 'Role', 'kuberay-operator').map((r) => r.metadata.namespace),
      [a, b],
    );
    assert.deepEqual(
      find(objs, 'RoleBinding', 'kuberay-operator').map((r) => r.metadata.namespace),
      [a, b],
    );
    assert.equal(one(objs, 'Role', 'kuberay-operator-leader-election').metadata.namespace, ns);
    assert.ok((operatorContainer(objs).args as string[]).includes(`${a},${b}`));
    await dryRunAll(objs, ns);
  });

  test('watchNamespace on a cluster-wide install only narrows the watch', async (t) => {
    const ns = await testNamespace(t, 'helm-op');
    const objs = await renderOp(ns, { watchNamespace: ['n1', 'n2'] });
    assert.deepEqual((operatorContainer(objs).args as string[]).slice(0, 2), ['--watch-namespace', 'n1,n2']);
    assert.equal(find(objs, 'ClusterRole', 'kuberay-operator').length, 1);
    await dryRunAll(objs, ns);
  });

  test('crNamespacedRbacEnable=false keeps only the leader-election Role', async (t) => {
    const ns = await testNamespace(t, 'helm-op');
    const objs = await renderOp(ns, { singleNamespaceInstall: true, crNamespacedRbacEnable: false });
    assert.deepEqual(
      find(objs, 'Role')
        .map((r) => r.metadata.name)
        .sort(),
      [
        'kuberay-operator-leader-election',
        'raycronjob-editor-role',
        'raycronjob-viewer-role',
        'rayjob-editor-role',
        'rayjob-viewer-role',
        'rayservice-editor-role',
        'rayservice-viewer-role',
      ],
    );
    assert.equal(find(objs, 'RoleBinding', 'kuberay-operator').length, 0);
    await dryRunAll(objs, ns);
  });

  test('the operator holds every rule of the autoscaler Role it creates (RBAC escalation prevention)', async () => {
    for (const singleNamespaceInstall of [false, true]) {
      const objs = await renderOp('default', { singleNamespaceInstall });
      const role = one(objs, singleNamespaceInstall ? 'Role' : 'ClusterRole', 'kuberay-operator');
      const held = expand(role.rules as Rule[]);
      for (const k of expand(autoscalerRoleRules)) assert.ok(held.has(k), `${role.kind}: ${k}`);
    }
  });

  test('rbacEnable=false renders no RBAC object at all', async (t) => {
    const ns = await testNamespace(t, 'helm-op');
    const objs = await renderOp(ns, { rbacEnable: false });
    const rbacKinds = ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];
    assert.deepEqual(
      objs.filter((o) => rbacKinds.includes(o.kind)),
      [],
    );
    await dryRunAll(objs, ns);
  });

  test('serviceAccount.create=false uses the named existing account', async (t) => {
    const ns = await testNamespace(t, 'helm-op');
    const objs = await renderOp(ns, { serviceAccount: { create: false, name: 'mine' } });
    assert.equal(find(objs, 'ServiceAccount').length, 0);
    assert.equal(one(objs, 'Deployment').spec.template.spec.serviceAccountName, 'mine');
    assert.equal(one(objs, 'ClusterRoleBinding').subjects[0].name, 'mine');
  });
});

describe('feature gates', () => {
  const gates = [
    'RayClusterStatusConditions',
    'RayJobDeletionPolicy',
    'RayMultiHostIndexing',
    'RayServiceIncrementalUpgrade',
    'RayCronJob',
    'SidecarSubmitterRestart',
    'RayClusterNetworkPolicy',
    'GCSFaultToleranceEmbeddedStorage',
    'RayClusterMTLS',
    'RayClusterHistoryServer',
    'KubernetesWAS',
  ];
  for (const gate of gates) {
    test(`${gate}: flipped in --feature-gates`, async (t) => {
      const ns = await testNamespace(t, 'helm-op');
      const featureGates = [{ name: gate, enabled: true }];
      const objs = await renderOp(ns, { featureGates });
      const args = operatorContainer(objs).args as string[];
      assert.equal(args.at(-1), `--feature-gates=${gate}=true`);
      const wasRule = ruleFor(one(objs, 'ClusterRole', 'kuberay-operator'), 'scheduling.k8s.io', 'workloads');
      assert.equal(
        Boolean(wasRule),
        gate === 'KubernetesWAS',
        'scheduling.k8s.io RBAC only for KubernetesWAS',
      );
      if (wasRule) {
        // Only the verbs reconcileKubernetesWas uses: no list/watch (no informer), no update of a Workload.
        const role = one(objs, 'ClusterRole', 'kuberay-operator');
        assert.deepEqual(wasRule.verbs, ['create', 'delete', 'get']);
        assert.deepEqual(ruleFor(role, 'scheduling.k8s.io', 'podgroups').verbs, [
          'create',
          'delete',
          'get',
          'update',
        ]);
      }
      await dryRunAll(objs, ns);
    });
  }

  test('an empty featureGates list passes no --feature-gates flag', async () => {
    const objs = await renderOp('default', { featureGates: [] });
    assert.deepEqual(operatorContainer(objs).args, defaultFlags);
  });

  test('--set featureGates[N] (which blanks the other entries) passes only the gates that are set', async () => {
    const objs = await render(chart, {
      values: { crds: { enabled: false } },
      extraArgs: ['--set', 'featureGates[4].name=RayCronJob,featureGates[4].enabled=true'],
    });
    assert.equal((operatorContainer(objs).args as string[]).at(-1), '--feature-gates=RayCronJob=true');
  });

  test('KubernetesWAS together with a batch scheduler is refused', async () => {
    await assert.rejects(
      renderOp('default', {
        featureGates: [{ name: 'KubernetesWAS', enabled: true }],
        batchScheduler: { name: 'volcano' },
      }),
      /mutually exclusive/,
    );
  });
});

describe('batch schedulers', () => {
  const cases: [Record<string, unknown>, string, [string, string] | undefined][] = [
    [{ name: 'volcano' }, '--batch-scheduler=volcano', ['scheduling.volcano.sh', 'podgroups']],
    [{ name: 'yunikorn' }, '--batch-scheduler=yunikorn', undefined],
    [{ name: 'kai-scheduler' }, '--batch-scheduler=kai-scheduler', undefined],
    [
      { name: 'scheduler-plugins' },
      '--batch-scheduler=scheduler-plugins',
      ['scheduling.x-k8s.io', 'podgroups'],
    ],
    [{ enabled: true }, '--enable-batch-scheduler', ['scheduling.volcano.sh', 'podgroups']],
  ];
  for (const [batchScheduler, flag, rule] of cases) {
    test(`${JSON.stringify(batchScheduler)} -> ${flag}`, async (t) => {
      const ns = await testNamespace(t, 'helm-op');
      for (const single of [false, true]) {
        const objs = await renderOp(ns, { batchScheduler, singleNamespaceInstall: single });
        assert.equal((operatorContainer(objs).args as string[])[0], flag);
        const role = one(objs, single ? 'Role' : 'ClusterRole', 'kuberay-operator');
        const podGroupRules = role.rules.filter((r: { resources: string[] }) =>
          r.resources.includes('podgroups'),
        );
        assert.deepEqual(
          podGroupRules.map((r: { apiGroups: string[] }) => r.apiGroups[0]),
          rule ? [rule[0]] : [],
        );
        // The operator applies PodGroups (a patch), and an apply that creates is authorized as a create too.
        for (const r of podGroupRules) assert.ok(r.verbs.includes('create') && r.verbs.includes('patch'));
        await dryRunAll(objs, ns);
      }
    });
  }

  test('enabled and name together are refused with a clear message', async () => {
    await assert.rejects(
      renderOp('default', { batchScheduler: { enabled: true, name: 'yunikorn' } }),
      /values\.batchScheduler: set either enabled/,
    );
  });
});

describe('other flags and values', () => {
  test('the configuration file replaces the flags', async (t) => {
    const ns = await testNamespace(t, 'helm-op');
    const configuration = {
      enabled: true,
      defaultContainerEnvs: [{ name: 'RAY_enable_open_telemetry', value: 'true' }],
      defaultPodLabels: { team: 'ml' },
      defaultPodAnnotations: { 'prometheus.io/scrape': 'true' },
      headSidecarContainers: [{ name: 'fluentbit', image: 'fluent/fluent-bit:1.9' }],
      workerSidecarContainers: [{ name: 'fluentbit', image: 'fluent/fluent-bit:1.9' }],
    };
    const objs = await renderOp(ns, {
      configuration,
      watchNamespace: ['a', 'b'],
      batchScheduler: { name: 'yunikorn' },
      useKubernetesProxy: true,
    });
    const c = operatorContainer(objs);
    assert.deepEqual(c.args, ['--config', '/etc/kuberay/config.yaml', defaultGates]);
    assert.deepEqual(c.volumeMounts, [
      { name: 'operator-config', mountPath: '/etc/kuberay', readOnly: true },
    ]);
    const cm = one(objs, 'ConfigMap', 'kuberay-operator-config');
    assert.deepEqual(parse(cm.data['config.yaml']), {
      apiVersion: 'config.ray.io/v1alpha1',
      kind: 'Configuration',
      enableLeaderElection: true,
      enableMetrics: true,
      reconcileConcurrency: 1,
      useKubernetesProxy: true,
      watchNamespace: 'a,b',
      logStdoutEncoder: 'json',
      logFileEncoder: 'json',
      batchScheduler: 'yunikorn',
      headSidecarContainers: configuration.headSidecarContainers,
      workerSidecarContainers: configuration.workerSidecarContainers,
      defaultContainerEnvs: configuration.defaultContainerEnvs,
      defaultPodAnnotations: configuration.defaultPodAnnotations,
      defaultPodLabels: configuration.defaultPodLabels,
    });
    await dryRunAll(objs, ns);
  });

  test('logging, proxy, leader election, concurrency, client limits, env and pod placement', async (t) => {
    const ns = await testNamespace(t, 'helm-op');
    const env = [{ name: 'ENABLE_ZERO_DOWNTIME', value: 'false' }];
    const objs = await renderOp(ns, {
      logging: {
        baseDir: '/var/log/kuberay',
        fileName: 'op.log',
        sizeLimit: '1Gi',
        stdoutEncoder: 'console',
      },
      useKubernetesProxy: false,
      leaderElectionEnabled: false,
      metrics: { enabled: false },
      reconcileConcurrency: 10,
      kubeClient: { qps: 50.5, burst: 80 },
      env,
      replicas: 2,
      hostUsers: false,
      nodeSelector: { type: 'kwok' },
      priorityClassName: 'system-cluster-critical',
      labels: { team: 'ml' },
      annotations: { note: 'x' },
      imagePullSecrets: [{ name: 'regcred' }],
    });
    const c = operatorContainer(objs);
    assert.deepEqual(c.args.slice(0, -1), [
      '--log-file-path',
      '/var/log/kuberay/op.log',
      '--log-stdout-encoder',
      'console',
      '--log-file-encoder',
      'json',
      '--use-kubernetes-proxy=false',
      '--enable-leader-election=false',
      '--enable-metrics=false',
      '--reconcile-concurrency=10',
      '--qps=50.5',
      '--burst=80',
    ]);
    assert.deepEqual(c.env, [podUidEnv, ...env]);
    const pod = one(objs, 'Deployment').spec.template;
    assert.deepEqual(pod.spec.volumes, [{ name: 'kuberay-logs', emptyDir: { sizeLimit: '1Gi' } }]);
    assert.equal(pod.spec.hostUsers, false);
    assert.equal(pod.metadata.labels.team, 'ml');
    assert.equal(pod.metadata.annotations.note, 'x');
    assert.equal(one(objs, 'Deployment').spec.replicas, 2);
    await dryRunAll(objs, ns);
  });

  test('invalid reconcileConcurrency and client limits are refused, naming the value', async () => {
    await assert.rejects(
      renderOp('default', { reconcileConcurrency: 0 }),
      /reconcileConcurrency must be a positive/,
    );
    await assert.rejects(renderOp('default', { kubeClient: { qps: 'fast' } }), /kubeClient\.qps must be/);
    await assert.rejects(renderOp('default', { kubeClient: { burst: -1 } }), /kubeClient\.burst must be/);
  });

  test('metrics.serviceMonitor renders a ServiceMonitor (not dry-run: prometheus-operator CRD absent)', async () => {
    const objs = await renderOp('ray-system', {
      metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { release: 'prom' } } },
    });
    const sm = one(objs, 'ServiceMonitor');
    assert.equal(sm.metadata.namespace, 'ray-system');
    assert.equal(sm.metadata.labels?.release, 'prom');
    assert.deepEqual(sm.spec.endpoints, [
      { path: '/metrics', targetPort: 'http', interval: '30s', honorLabels: true },
    ]);
    assert.deepEqual(sm.spec.selector.matchLabels, { 'app.kubernetes.io/name': 'kuberay-operator' });
  });
});

test('the dry run is a real check: the API server rejects an invalid rendered object', async (t) => {
  const ns = await testNamespace(t, 'helm-op');
  const objs = await renderOp(ns, { replicas: 1 });
  const deploy = structuredClone(one(objs, 'Deployment'));
  deploy.spec.template.spec.containers[0].ports[0].containerPort = 70000;
  const { client } = await testCluster();
  await assert.rejects(dryRunApply(client, deploy, ns), /containerPort|70000/);
});
