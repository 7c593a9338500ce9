import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Plurals } from '../../../src/api/constants.ts';
import { ApiError } from '../../../src/k8s/api-error.ts';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

/**
 * The generated CRDs reject what KubeRay's CRDs reject: one invalid manifest per enum, CEL rule, required field
 * and bound, each checked with a server-side dry-run create (or a real update, for the immutability rules),
 * and the error names the field.
 */

// biome-ignore lint/suspicious/noExplicitAny: test manifests are mutated freely
type Obj = Record<string, any>;

const podTemplate = () => ({ spec: { containers: [{ name: 'ray', image: 'rayproject/ray:2.52.0' }] } });
const clusterSpec = (): Obj => ({
  headGroupSpec: { template: podTemplate() },
  workerGroupSpecs: [{ groupName: 'small', minReplicas: 0, maxReplicas: 2, template: podTemplate() }],
});

const base = {
  RayCluster: (): Obj => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: 'c' },
    spec: clusterSpec(),
  }),
  RayJob: (): Obj => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: { name: 'j' },
    spec: { entrypoint: 'python -c pass', rayClusterSpec: clusterSpec() },
  }),
  RayService: (): Obj => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name: 's' },
    spec: { rayClusterConfig: clusterSpec() },
  }),
  RayCronJob: (): Obj => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayCronJob',
    metadata: { name: 'cj' },
    spec: {
      schedule: '* * * * *',
      jobTemplate: { entrypoint: 'python -c pass', rayClusterSpec: clusterSpec() },
    },
  }),
};

interface Case {
  readonly name: string;
  readonly kind: keyof typeof base;
  readonly mutate: (o: Obj) => void;
  /** The field path the error must name. */
  readonly field: string;
  /** Text the error must contain besides the field. */
  readonly says: string;
}

const cases: Case[] = [
  // enums
  {
    name: 'upscalingMode',
    kind: 'RayCluster',
    mutate: (o) => {
      o.spec.autoscalerOptions = { upscalingMode: 'Fast' };
    },
    field: 'spec.autoscalerOptions.upscalingMode',
    says: 'Unsupported value',
  },
  {
    name: 'autoscaler version',
    kind: 'RayCluster',
    mutate: (o) => {
      o.spec.autoscalerOptions = { version: 'v3' };
    },
    field: 'spec.autoscalerOptions.version',
    says: 'Unsupported value',
  },
  {
    name: 'cluster upgradeStrategy.type',
    kind: 'RayCluster',
    mutate: (o) => {
      o.spec.upgradeStrategy = { type: 'Rolling' };
    },
    field: 'spec.upgradeStrategy.type',
    says: 'Unsupported value',
  },
  {
    name: 'authOptions.mode',
    kind: 'RayCluster',
    mutate: (o) => {
      o.spec.authOptions = { mode: 'password' };
    },
    field: 'spec.authOptions.mode',
    says: 'Unsupported value',
  },
  {
    name: 'gcs backend',
    kind: 'RayCluster',
    mutate: (o) => {
      o.spec.gcsFaultToleranceOptions = { backend: 'etcd' };
    },
    field: 'spec.gcsFaultToleranceOptions.backend',
    says: 'Unsupported value',
  },
  {
    name: 'gcs storage deletionPolicy',
    kind: 'RayCluster',
    mutate: (o) => {
      o.spec.gcsFaultToleranceOptions = { backend: 'rocksdb', storage: { deletionPolicy: 'Keep' } };
    },
    field: 'spec.gcsFaultToleranceOptions.storage.deletionPolicy',
    says: 'Unsupported value',
  },
  {
    name: 'networkPolicy.mode',
    kind: 'RayCluster',
    mutate: (o) => {
      o.spec.networkPolicy = { mode: 'AllowAll' };
    },
    field: 'spec.networkPolicy.mode',
    says: 'Unsupported value',
  },
  {
    name: 'ingress pathType',
    kind: 'RayCluster',
    mutate: (o) => {
      o.spec.headGroupSpec.ingressOptions = { pathType: 'Regex' };
    },
    field: 'spec.headGroupSpec.ingressOptions.pathType',
    says: 'Unsupported value',
  },
  {
    name: 'submissionMode',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.submissionMode = 'SSHMode';
    },
    field: 'spec.submissionMode',
    says: 'Unsupported value',
  },
  {
    name: 'legacy deletion policy',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.deletionStrategy = { onSuccess: { policy: 'DeleteAll' }, onFailure: { policy: 'DeleteNone' } };
    },
    field: 'spec.deletionStrategy.onSuccess.policy',
    says: 'Unsupported value',
  },
  {
    name: 'deletion rule policy',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.deletionStrategy = { deletionRules: [{ policy: 'Nuke', condition: { jobStatus: 'FAILED' } }] };
    },
    field: 'spec.deletionStrategy.deletionRules[0].policy',
    says: 'Unsupported value',
  },
  {
    name: 'deletion condition jobStatus',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.deletionStrategy = {
        deletionRules: [{ policy: 'DeleteSelf', condition: { jobStatus: 'RUNNING' } }],
      };
    },
    field: 'spec.deletionStrategy.deletionRules[0].condition.jobStatus',
    says: 'Unsupported value',
  },
  {
    name: 'deletion condition jobDeploymentStatus',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.deletionStrategy = {
        deletionRules: [{ policy: 'DeleteSelf', condition: { jobDeploymentStatus: 'Complete' } }],
      };
    },
    field: 'spec.deletionStrategy.deletionRules[0].condition.jobDeploymentStatus',
    says: 'Unsupported value',
  },
  {
    name: 'service upgradeStrategy.type',
    kind: 'RayService',
    mutate: (o) => {
      o.spec.upgradeStrategy = { type: 'BlueGreen' };
    },
    field: 'spec.upgradeStrategy.type',
    says: 'Unsupported value',
  },
  // CEL rules
  {
    name: 'cluster managedBy value',
    kind: 'RayCluster',
    mutate: (o) => {
      o.spec.managedBy = 'someone-else';
    },
    field: 'spec.managedBy',
    says: "the managedBy field value must be either 'ray.io/kuberay-operator' or 'kueue.x-k8s.io/multikueue'",
  },
  {
    name: 'job managedBy value',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.managedBy = '';
    },
    field: 'spec.managedBy',
    says: 'the managedBy field value must be either',
  },
  {
    name: 'service managedBy value',
    kind: 'RayService',
    mutate: (o) => {
      o.spec.managedBy = 'x';
    },
    field: 'spec.managedBy',
    says: 'the managedBy field value must be either',
  },
  {
    name: 'legacy and rules together',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.deletionStrategy = {
        onSuccess: { policy: 'DeleteCluster' },
        onFailure: { policy: 'DeleteCluster' },
        deletionRules: [{ policy: 'DeleteSelf', condition: { jobStatus: 'FAILED' } }],
      };
    },
    field: 'spec.deletionStrategy',
    says: 'legacy policies (onSuccess/onFailure) and deletionRules cannot be used together within the same deletionStrategy',
  },
  {
    name: 'legacy incomplete',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.deletionStrategy = { onSuccess: { policy: 'DeleteCluster' } };
    },
    field: 'spec.deletionStrategy',
    says: 'deletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)',
  },
  {
    name: 'condition sets both',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.deletionStrategy = {
        deletionRules: [
          { policy: 'DeleteSelf', condition: { jobStatus: 'FAILED', jobDeploymentStatus: 'Failed' } },
        ],
      };
    },
    field: 'spec.deletionStrategy.deletionRules[0].condition',
    says: 'exactly one of jobStatus and jobDeploymentStatus must be set',
  },
  {
    name: 'condition sets neither',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.deletionStrategy = { deletionRules: [{ policy: 'DeleteSelf', condition: { ttlSeconds: 5 } }] };
    },
    field: 'spec.deletionStrategy.deletionRules[0].condition',
    says: 'exactly one of jobStatus and jobDeploymentStatus must be set',
  },
  // required fields
  {
    name: 'headGroupSpec',
    kind: 'RayCluster',
    mutate: (o) => {
      delete o.spec.headGroupSpec;
    },
    field: 'spec.headGroupSpec',
    says: 'Required value',
  },
  {
    name: 'head template',
    kind: 'RayCluster',
    mutate: (o) => {
      delete o.spec.headGroupSpec.template;
    },
    field: 'spec.headGroupSpec.template',
    says: 'Required value',
  },
  {
    name: 'groupName',
    kind: 'RayCluster',
    mutate: (o) => {
      delete o.spec.workerGroupSpecs[0].groupName;
    },
    field: 'spec.workerGroupSpecs[0].groupName',
    says: 'Required value',
  },
  {
    name: 'worker template',
    kind: 'RayCluster',
    mutate: (o) => {
      delete o.spec.workerGroupSpecs[0].template;
    },
    field: 'spec.workerGroupSpecs[0].template',
    says: 'Required value',
  },
  {
    name: 'container name (embedded pod schema)',
    kind: 'RayCluster',
    mutate: (o) => {
      delete o.spec.headGroupSpec.template.spec.containers[0].name;
    },
    field: 'spec.headGroupSpec.template.spec.containers[0].name',
    says: 'Required value',
  },
  {
    name: 'history collector image',
    kind: 'RayCluster',
    mutate: (o) => {
      o.spec.historyServerOptions = { collectorOptions: {} };
    },
    field: 'spec.historyServerOptions.collectorOptions.image',
    says: 'Required value',
  },
  {
    name: 'rayClusterConfig',
    kind: 'RayService',
    mutate: (o) => {
      delete o.spec.rayClusterConfig;
    },
    field: 'spec.rayClusterConfig',
    says: 'Required value',
  },
  {
    name: 'clusterUpgradeOptions fields',
    kind: 'RayService',
    mutate: (o) => {
      o.spec.upgradeStrategy = {
        type: 'NewClusterWithIncrementalUpgrade',
        clusterUpgradeOptions: { gatewayClassName: 'istio' },
      };
    },
    field: 'spec.upgradeStrategy.clusterUpgradeOptions.stepSizePercent',
    says: 'Required value',
  },
  {
    name: 'deletion rule condition',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.deletionStrategy = { deletionRules: [{ policy: 'DeleteSelf' }] };
    },
    field: 'spec.deletionStrategy.deletionRules[0].condition',
    says: 'Required value',
  },
  {
    name: 'cron schedule',
    kind: 'RayCronJob',
    mutate: (o) => {
      delete o.spec.schedule;
    },
    field: 'spec.schedule',
    says: 'Required value',
  },
  {
    name: 'cron jobTemplate',
    kind: 'RayCronJob',
    mutate: (o) => {
      delete o.spec.jobTemplate;
    },
    field: 'spec.jobTemplate',
    says: 'Required value',
  },
  // bounds and types
  {
    name: 'preRunningDeadlineSeconds minimum',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.preRunningDeadlineSeconds = 0;
    },
    field: 'spec.preRunningDeadlineSeconds',
    says: 'should be greater than or equal to 1',
  },
  {
    name: 'ttlSeconds minimum',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.deletionStrategy = {
        deletionRules: [{ policy: 'DeleteSelf', condition: { jobStatus: 'FAILED', ttlSeconds: -1 } }],
      };
    },
    field: 'spec.deletionStrategy.deletionRules[0].condition.ttlSeconds',
    says: 'should be greater than or equal to 0',
  },
  {
    name: 'deletionRules minItems',
    kind: 'RayJob',
    mutate: (o) => {
      o.spec.deletionStrategy = { deletionRules: [] };
    },
    field: 'spec.deletionStrategy.deletionRules',
    says: 'should have at least 1 items',
  },
  {
    name: 'rayClusterDeletionDelaySeconds minimum',
    kind: 'RayService',
    mutate: (o) => {
      o.spec.rayClusterDeletionDelaySeconds = -1;
    },
    field: 'spec.rayClusterDeletionDelaySeconds',
    says: 'should be greater than or equal to 0',
  },
  {
    name: 'maxSurgePercent maximum',
    kind: 'RayService',
    mutate: (o) => {
      o.spec.upgradeStrategy = {
        type: 'NewClusterWithIncrementalUpgrade',
        clusterUpgradeOptions: {
          maxSurgePercent: 101,
          stepSizePercent: 10,
          intervalSeconds: 30,
          gatewayClassName: 'istio',
        },
      };
    },
    field: 'spec.upgradeStrategy.clusterUpgradeOptions.maxSurgePercent',
    says: 'should be less than or equal to 100',
  },
  {
    name: 'replicas type',
    kind: 'RayCluster',
    mutate: (o) => {
      o.spec.workerGroupSpecs[0].replicas = 'two';
    },
    field: 'spec.workerGroupSpecs[0].replicas',
    says: 'Invalid value',
  },
];

function path(ns: string, kind: keyof typeof base, name?: string): string {
  return `/apis/ray.io/v1/namespaces/${ns}/${Plurals[kind]}${name ? `/${name}` : ''}`;
}

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.status, 422, err.message);
    return err.message;
  }
  return assert.fail('the API server accepted an invalid manifest');
}

test('each base manifest is valid', async (t) => {
  const { client } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'crdval');
  for (const kind of Object.keys(base) as (keyof typeof base)[]) {
    await client.request('POST', path(ns, kind), { body: base[kind](), query: { dryRun: 'All' } });
  }
});

test('invalid manifests are rejected and the error names the field', async (t) => {
  const { client } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'crdval');
  for (const c of cases) {
    await t.test(`${c.kind}: ${c.name}`, async () => {
      const obj = base[c.kind]();
      c.mutate(obj);
      const msg = await rejection(
        client.request('POST', path(ns, c.kind), { body: obj, query: { dryRun: 'All' } }),
      );
      assert.ok(msg.includes(c.field), `error does not name ${c.field}: ${msg}`);
      assert.ok(msg.includes(c.says), `error does not say '${c.says}': ${msg}`);
    });
  }
});

test('managedBy and the GCS backend are immutable (CEL transition rules)', async (t) => {
  const { client } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'crdval');
  const obj = base.RayCluster();
  obj.spec.managedBy = 'ray.io/kuberay-operator';
  obj.spec.gcsFaultToleranceOptions = { backend: 'redis', redisAddress: 'redis:6379' };
  const created = await client.request<Obj>('POST', path(ns, 'RayCluster'), { body: obj });

  const changedOwner = structuredClone(created);
  changedOwner.spec.managedBy = 'kueue.x-k8s.io/multikueue';
  const m1 = await rejection(client.request('PUT', path(ns, 'RayCluster', 'c'), { body: changedOwner }));
  assert.ok(m1.includes('spec.managedBy') && m1.includes('the managedBy field is immutable'), m1);

  const changedBackend = structuredClone(created);
  changedBackend.spec.gcsFaultToleranceOptions.backend = 'rocksdb';
  const m2 = await rejection(client.request('PUT', path(ns, 'RayCluster', 'c'), { body: changedBackend }));
  assert.ok(
    m2.includes('spec.gcsFaultToleranceOptions.backend') &&
      m2.includes('gcsFaultToleranceOptions.backend is immutable'),
    m2,
  );
});

test('CRD defaults are applied by the API server', async (t) => {
  const { client } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'crdval');
  const cluster = base.RayCluster();
  delete cluster.spec.workerGroupSpecs[0].minReplicas;
  delete cluster.spec.workerGroupSpecs[0].maxReplicas;
  const c = await client.request<Obj>('POST', path(ns, 'RayCluster'), {
    body: cluster,
    query: { dryRun: 'All' },
  });
  assert.deepEqual(
    [
      c.spec.workerGroupSpecs[0].replicas,
      c.spec.workerGroupSpecs[0].minReplicas,
      c.spec.workerGroupSpecs[0].maxReplicas,
      c.spec.workerGroupSpecs[0].numOfHosts,
    ],
    [0, 0, 2147483647, 1],
  );
  const j = await client.request<Obj>('POST', path(ns, 'RayJob'), {
    body: base.RayJob(),
    query: { dryRun: 'All' },
  });
  assert.deepEqual(
    [j.spec.submissionMode, j.spec.backoffLimit, j.spec.ttlSecondsAfterFinished],
    ['K8sJobMode', 0, 0],
  );
});

test('status enums are enforced through the status subresource', async (t) => {
  const { client } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'crdval');
  const created = await client.request<Obj>('POST', path(ns, 'RayCronJob'), { body: base.RayCronJob() });
  const bad = { ...created, status: { scheduleStatus: 'running' } };
  const msg = await rejection(client.request('PUT', `${path(ns, 'RayCronJob', 'cj')}/status`, { body: bad }));
  assert.ok(msg.includes('status.scheduleStatus') && msg.includes('Unsupported value'), msg);
  const good = {
    ...created,
    status: { scheduleStatus: 'scheduled', lastScheduleTime: '2026-01-01T00:00:00Z' },
  };
  const out = await client.request<Obj>('PUT', `${path(ns, 'RayCronJob', 'cj')}/status`, { body: good });
  assert.deepEqual(out.status, good.status);
});
