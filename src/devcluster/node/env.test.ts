import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Container, Pod } from '../../api/k8s-types.ts';
import { buildArgv, buildEnv, ContainerConfigError, envReferences, expandVars } from './env.ts';
import { parseQuantity } from './quantity.ts';

const pod: Pod = {
  metadata: {
    name: 'p',
    namespace: 'ns',
    uid: 'u1',
    labels: { app: 'x', 'ray.io/cluster': 'c' },
    annotations: { a: 'b' },
  },
  spec: {
    nodeName: 'local-node',
    containers: [
      { name: 'other' },
      { name: 'main', resources: { limits: { cpu: '1500m', memory: '1Gi' }, requests: { cpu: '250m' } } },
    ],
  },
  status: { podIP: '10.213.0.5', hostIP: '10.213.0.1' },
};
const sources = {
  configMaps: new Map([['cm', { k: 'from-cm', other: 'o' }]]),
  secrets: new Map([['sec', { token: 's3cret' }]]),
};

test('expandVars follows the Kubernetes rules', () => {
  const vars = { A: 'x', B: 'y' };
  assert.equal(expandVars('$(A)-$(B)', vars), 'x-y');
  assert.equal(expandVars('$$(A)', vars), '$(A)');
  assert.equal(expandVars('$(UNSET) $A $(A', vars), '$(UNSET) $A $(A');
});

test('buildEnv resolves every valueFrom kind, envFrom with prefix, and earlier vars', () => {
  const c: Container = {
    ...pod.spec.containers[1]!,
    envFrom: [{ configMapRef: { name: 'cm' }, prefix: 'CM_' }],
    env: [
      { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'CLUSTER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['ray.io/cluster']" } } },
      { name: 'ANN', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['a']" } } },
      { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      {
        name: 'NODECPU',
        valueFrom: { resourceFieldRef: { containerName: 'other', resource: 'limits.cpu' } },
      },
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
      { name: 'K', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } },
      { name: 'S', valueFrom: { secretKeyRef: { name: 'sec', key: 'token' } } },
      { name: 'OPT', valueFrom: { secretKeyRef: { name: 'missing', key: 'x', optional: true } } },
      { name: 'JOINED', value: '$(NAME).$(NS):$(UNSET)' },
    ],
  };
  const env = buildEnv(pod, c, sources, { cpu: '8' }, { PATH: '/bin' });
  assert.deepEqual(env, {
    PATH: '/bin',
    CM_k: 'from-cm',
    CM_other: 'o',
    IP: '10.213.0.5',
    NAME: 'p',
    NS: 'ns',
    CLUSTER: 'c',
    ANN: 'b',
    CPU: '2',
    NODECPU: '8',
    MEM: '1024',
    REQ: '250',
    K: 'from-cm',
    S: 's3cret',
    JOINED: 'p.ns:$(UNSET)',
  });
  assert.deepEqual(envReferences(c), { configMaps: ['cm'], secrets: ['sec', 'missing'] });
});

test('buildEnv: a missing key or object is a config error naming it', () => {
  const missingKey: Container = {
    name: 'main',
    env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'nope' } } }],
  };
  assert.throws(
    () => buildEnv(pod, missingKey, sources, {}),
    (e: Error) => e instanceof ContainerConfigError && /nope in ConfigMap ns\/cm/.test(e.message),
  );
  const missingObj: Container = { name: 'main', envFrom: [{ secretRef: { name: 'gone' } }] };
  assert.throws(() => buildEnv(pod, missingObj, sources, {}), /secret "gone" not found/);
  const badPath: Container = {
    name: 'main',
    env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }],
  };
  assert.throws(() => buildEnv(pod, badPath, sources, {}), /unsupported fieldPath "spec.bogus"/);
});

test('buildArgv: command replaces the entrypoint, args replace cmd', () => {
  const image = { entrypoint: ['/entry'], cmd: ['serve'] };
  assert.deepEqual(buildArgv({ name: 'c' }, {}, image), ['/entry', 'serve']);
  assert.deepEqual(buildArgv({ name: 'c', args: ['$(A)'] }, { A: 'a' }, image), ['/entry', 'a']);
  assert.deepEqual(buildArgv({ name: 'c', command: ['sh', '-c'], args: ['echo $(A)'] }, { A: 'a' }, image), [
    'sh',
    '-c',
    'echo a',
  ]);
});

test('parseQuantity handles decimal, binary and exponent forms', () => {
  assert.equal(parseQuantity('500m'), 0.5);
  assert.equal(parseQuantity('2Gi'), 2 * 2 ** 30);
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('3'), 3);
  assert.equal(parseQuantity(4), 4);
  assert.equal(parseQuantity('abc'), undefined);
});
