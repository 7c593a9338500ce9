import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateRayCluster } from '../../../src/api/validation/raycluster.ts';
import {
  rayClusterManifest,
  rayClusterSpec,
  rayCronJobManifest,
  rayJobManifest,
  rayServiceManifest,
  versionOfImage,
} from './builders.ts';
import { ClientError } from './errors.ts';

test('rayClusterManifest: a head and N workers of one image, requests equal to limits', () => {
  const c = rayClusterManifest({
    name: 'demo',
    namespace: 'ml',
    image: 'rayproject/ray:2.46.0-py311',
    workers: 3,
  });
  assert.equal(c.apiVersion, 'ray.io/v1');
  assert.equal(c.kind, 'RayCluster');
  assert.deepEqual(c.metadata, { name: 'demo', namespace: 'ml' });
  assert.equal(c.spec.rayVersion, '2.46.0');
  const head = c.spec.headGroupSpec.template.spec!.containers[0]!;
  assert.equal(head.name, 'ray-head');
  assert.equal(head.image, 'rayproject/ray:2.46.0-py311');
  assert.deepEqual(
    head.ports?.map((p) => p.containerPort),
    [6379, 8265, 10001],
  );
  assert.deepEqual(head.resources, {
    requests: { cpu: '1', memory: '2Gi' },
    limits: { cpu: '1', memory: '2Gi' },
  });
  const [group] = c.spec.workerGroupSpecs!;
  assert.equal(group!.groupName, 'workers');
  assert.equal(group!.replicas, 3);
  assert.equal(group!.minReplicas, 0);
  assert.equal(group!.maxReplicas, 3);
  assert.equal(group!.template.spec!.containers[0]!.name, 'ray-worker');
  assert.deepEqual(validateRayCluster(c), []);
});

test('rayClusterSpec: no workers, several groups, node selector, env and GPUs', () => {
  assert.equal(rayClusterSpec({}).workerGroupSpecs, undefined);
  assert.equal(rayClusterSpec({ workers: 0 }).workerGroupSpecs, undefined);
  const s = rayClusterSpec({
    nodeSelector: { type: 'kwok' },
    env: { A: '1' },
    workers: [
      { replicas: 1, cpu: '2', memory: '4Gi', gpu: 1 },
      { groupName: 'big', replicas: 2, minReplicas: 1, maxReplicas: 5 },
    ],
  });
  const groups = s.workerGroupSpecs!;
  assert.deepEqual(
    groups.map((g) => [g.groupName, g.replicas, g.minReplicas, g.maxReplicas]),
    [
      ['workers', 1, 0, 1],
      ['big', 2, 1, 5],
    ],
  );
  assert.deepEqual(groups[0]!.template.spec!.containers[0]!.resources!.limits, {
    cpu: '2',
    memory: '4Gi',
    'nvidia.com/gpu': '1',
  });
  for (const spec of [s.headGroupSpec.template.spec!, groups[1]!.template.spec!]) {
    assert.deepEqual(spec.nodeSelector, { type: 'kwok' });
    assert.deepEqual(spec.containers[0]!.env, [{ name: 'A', value: '1' }]);
  }
  assert.equal(s.rayVersion, '2.52.1', 'the default image gives the version');
});

test('builders reject bad options with the field and the reason', () => {
  const bad: [() => unknown, RegExp][] = [
    [() => rayClusterManifest({ name: '' }), /^name: must be a non-empty string/],
    [() => rayClusterManifest({ name: 'x', workers: -1 }), /^workers: must be a whole number >= 0, got -1/],
    [() => rayClusterManifest({ name: 'x', workers: 1.5 }), /^workers: must be a whole number/],
    [
      () => rayClusterManifest({ name: 'x', workers: [{ replicas: 3, maxReplicas: 2 }] }),
      /^workers\[0\]: minReplicas 0 exceeds|^workers\[0\]\.replicas: 3 is outside \[0, 2\]/,
    ],
    [
      () =>
        rayClusterManifest({ name: 'x', workers: [{ replicas: 1 }, { groupName: 'workers', replicas: 1 }] }),
      /^workers\[1\]\.groupName: 'workers' is used twice/,
    ],
    [() => rayClusterManifest({ name: 'x', head: { cpu: '' } }), /^head\.cpu: must be a non-empty string/],
    [() => rayJobManifest({ name: 'j', entrypoint: ' ' }), /^entrypoint: must be a non-empty string/],
    [
      () => rayJobManifest({ name: 'j', entrypoint: 'x', cluster: {}, clusterSelector: { a: 'b' } }),
      /^cluster: give either cluster or clusterSelector/,
    ],
    [() => rayServiceManifest({ name: 's', serveConfig: '' }), /^serveConfig: must be a non-empty string/],
  ];
  for (const [fn, re] of bad)
    assert.throws(fn, (e: unknown) => e instanceof ClientError && re.test(e.message));
});

test('the operator validation runs on built objects: a name KubeRay refuses is a ClientError', () => {
  assert.throws(
    () => rayClusterManifest({ name: 'Not_A_DNS_Label' }),
    (e: unknown) => e instanceof ClientError && /RayCluster is not valid: metadata\.name/.test(e.message),
  );
  assert.throws(
    () => rayJobManifest({ name: 'j'.repeat(48), entrypoint: 'x' }),
    (e: unknown) => e instanceof ClientError && /RayJob is not valid/.test(e.message),
  );
});

test('rayJobManifest: own cluster (shut down after the job) or an existing one by selector', () => {
  const own = rayJobManifest({
    name: 'pi',
    entrypoint: 'python pi.py',
    runtimeEnv: { env_vars: { A: '1' } },
    cluster: { workers: 1 },
    ttlSecondsAfterFinished: 30,
  });
  assert.equal(own.kind, 'RayJob');
  assert.equal(own.spec.entrypoint, 'python pi.py');
  assert.equal(own.spec.shutdownAfterJobFinishes, true);
  assert.equal(own.spec.ttlSecondsAfterFinished, 30);
  assert.deepEqual(JSON.parse(own.spec.runtimeEnvYAML!), { env_vars: { A: '1' } });
  assert.equal(own.spec.rayClusterSpec!.workerGroupSpecs!.length, 1);

  const shared = rayJobManifest({
    name: 'on-demo',
    entrypoint: 'echo',
    clusterSelector: { 'ray.io/cluster': 'demo' },
  });
  assert.deepEqual(shared.spec.clusterSelector, { 'ray.io/cluster': 'demo' });
  assert.equal(shared.spec.rayClusterSpec, undefined);
  assert.equal(shared.spec.shutdownAfterJobFinishes, undefined);

  const kept = rayJobManifest({ name: 'keep', entrypoint: 'echo', shutdownAfterJobFinishes: false });
  assert.equal(kept.spec.shutdownAfterJobFinishes, undefined);
});

test('rayServiceManifest and rayCronJobManifest', () => {
  const svc = rayServiceManifest({
    name: 'serve',
    serveConfig: { applications: [{ name: 'app', import_path: 'app:graph', route_prefix: '/' }] },
  });
  assert.equal(svc.kind, 'RayService');
  assert.equal(JSON.parse(svc.spec.serveConfigV2!).applications[0].name, 'app');
  assert.ok(svc.spec.rayClusterConfig.headGroupSpec);
  const yamlText = 'applications:\n  - name: a\n    import_path: a:b\n';
  assert.equal(rayServiceManifest({ name: 's', serveConfig: yamlText }).spec.serveConfigV2, yamlText);

  const cron = rayCronJobManifest({
    name: 'nightly',
    schedule: '0 3 * * *',
    job: { entrypoint: 'python etl.py' },
  });
  assert.equal(cron.kind, 'RayCronJob');
  assert.equal(cron.spec.schedule, '0 3 * * *');
  assert.equal(cron.spec.jobTemplate.entrypoint, 'python etl.py');
  assert.throws(
    () => rayCronJobManifest({ name: 'bad', schedule: 'every day', job: { entrypoint: 'x' } }),
    (e: unknown) => e instanceof ClientError && /RayCronJob is not valid: spec\.schedule/.test(e.message),
  );
});

test('versionOfImage', () => {
  assert.equal(versionOfImage('rayproject/ray:2.52.1'), '2.52.1');
  assert.equal(versionOfImage('rayproject/ray:2.41.0-py310-gpu'), '2.41.0');
  assert.equal(versionOfImage('rayproject/ray:nightly'), undefined);
  assert.equal(versionOfImage('rayproject/ray'), undefined);
  assert.equal(versionOfImage('localhost:5000/ray'), undefined);
});
