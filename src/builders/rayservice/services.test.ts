import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRayServiceCluster } from './cluster.ts';
import {
  buildRayServiceHeadService,
  buildRayServiceServeService,
  headPorts,
  serviceTargetCluster,
} from './services.ts';
import { sampleRayService } from './testing.ts';

const rs = sampleRayService('rs', 'ns');
const target = buildRayServiceCluster(rs, 'rs-abcde', { kuberayVersion: 'v' });

test('the head service selects the target head pod, is headless by default and sorts ports', () => {
  const svc = buildRayServiceHeadService(rs, target, { headClusterIPService: false });
  assert.equal(svc.metadata.name, 'rs-head-svc');
  assert.deepEqual(svc.metadata.labels, {
    'ray.io/originated-from-cr-name': 'rs',
    'ray.io/originated-from-crd': 'RayService',
    'ray.io/node-type': 'head',
    'ray.io/identifier': 'rs-head',
  });
  assert.equal(serviceTargetCluster(svc), 'rs-abcde');
  assert.equal(svc.spec!.selector!['ray.io/identifier'], 'rs-abcde-head');
  assert.deepEqual(
    svc.spec!.ports!.map((p) => p.name),
    ['client', 'dashboard', 'gcs-server', 'metrics', 'serve'],
  );
  assert.ok(svc.spec!.ports!.every((p) => p.appProtocol === 'tcp'));
  assert.equal(svc.spec!.clusterIP, 'None');
  assert.equal(svc.spec!.publishNotReadyAddresses, true);
  const ip = buildRayServiceHeadService(rs, target, { headClusterIPService: true });
  assert.equal(ip.spec!.clusterIP, undefined);
});

test("the head service leaves out the cluster's headServiceAnnotations (its own head Service has them), keeps a custom headService's", () => {
  const c = structuredClone(target);
  c.spec.headServiceAnnotations = { 'lb.example.com/internal': 'true' };
  assert.equal(
    buildRayServiceHeadService(rs, c, { headClusterIPService: false }).metadata.annotations,
    undefined,
  );
  c.spec.headGroupSpec.headService = { metadata: { annotations: { 'custom.example.com/a': '1' } } };
  assert.deepEqual(buildRayServiceHeadService(rs, c, { headClusterIPService: false }).metadata.annotations, {
    'custom.example.com/a': '1',
  });
});

test('head ports default when the container declares none; unnamed ports get <port>-port', () => {
  const c = structuredClone(target);
  c.spec.headGroupSpec.template!.spec!.containers![0]!.ports = [];
  assert.deepEqual([...headPorts(c).keys()].sort(), [
    'client',
    'dashboard',
    'gcs-server',
    'metrics',
    'serve',
  ]);
  c.spec.headGroupSpec.template!.spec!.containers![0]!.ports = [{ containerPort: 9000 }];
  assert.deepEqual(
    [...headPorts(c)],
    [
      ['9000-port', 9000],
      ['metrics', 8080],
    ],
  );
});

test('the serve service selects serve-ready pods of the target and carries the serve ports', () => {
  const svc = buildRayServiceServeService(rs, target);
  assert.equal(svc.metadata.name, 'rs-serve-svc');
  assert.equal(svc.metadata.labels!['ray.io/serve'], 'rs-serve');
  assert.deepEqual(svc.spec!.selector, { 'ray.io/cluster': 'rs-abcde', 'ray.io/serve': 'true' });
  assert.deepEqual(svc.spec!.ports, [{ name: 'serve', port: 8000 }]);
  assert.equal(svc.spec!.type, 'ClusterIP');
});

test('a custom serveService keeps its name, labels and same-named ports; its selector is ignored', () => {
  const custom = structuredClone(rs);
  custom.spec.serveService = {
    metadata: { name: 'my-serve', labels: { app: 'x' } },
    spec: { selector: { foo: 'bar' }, ports: [{ name: 'serve', port: 9999 }], type: 'NodePort' },
  };
  const svc = buildRayServiceServeService(custom, target);
  assert.equal(svc.metadata.name, 'my-serve');
  assert.equal(svc.metadata.labels!.app, 'x');
  assert.deepEqual(svc.spec!.ports, [{ name: 'serve', port: 9999 }]);
  assert.deepEqual(svc.spec!.selector, { 'ray.io/cluster': 'rs-abcde', 'ray.io/serve': 'true' });
  assert.equal(svc.spec!.type, 'NodePort');
});

test('no serve port and no custom service is an error', () => {
  const c = structuredClone(target);
  c.spec.headGroupSpec.template!.spec!.containers![0]!.ports = [{ name: 'dashboard', containerPort: 8265 }];
  assert.throws(() => buildRayServiceServeService(rs, c), /no port named "serve"/);
});
