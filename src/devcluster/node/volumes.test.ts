import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../api/k8s-types.ts';
import { containerScript } from './container-process.ts';
import { ContainerConfigError } from './env.ts';
import { containerMounts, podReferences, SA_MOUNT_PATH, wantsAutoToken } from './volumes.ts';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns' },
  spec: {
    volumes: [
      { name: 'cfg', configMap: { name: 'cm1' } },
      { name: 'sec', secret: { secretName: 's1' } },
      { name: 'proj', projected: { sources: [{ configMap: { name: 'cm2' } }, { secret: { name: 's2' } }] } },
      { name: 'scratch', emptyDir: {} },
    ],
    initContainers: [{ name: 'init', envFrom: [{ configMapRef: { name: 'cm3' } }] }],
    containers: [
      {
        name: 'main',
        env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's1', key: 'k' } } }],
        volumeMounts: [
          { name: 'cfg', mountPath: '/etc/app/' },
          { name: 'scratch', mountPath: '/data', subPath: 'logs' },
          { name: 'scratch', mountPath: '/ro', readOnly: true },
        ],
      },
    ],
  },
};

test('podReferences collects ConfigMaps and Secrets from volumes, env and envFrom', () => {
  const refs = podReferences(pod);
  assert.deepEqual(refs.configMaps.sort(), ['cm1', 'cm2', 'cm3']);
  assert.deepEqual(refs.secrets.sort(), ['s1', 's2']);
});

test('containerMounts: configMaps are read-only, subPath joins, readOnly is kept, the token is added', () => {
  const paths = new Map([
    ['cfg', '/pod/volumes/cfg'],
    ['scratch', '/pod/volumes/scratch'],
  ]);
  assert.deepEqual(containerMounts(pod, pod.spec.containers[0]!, paths, '/pod/volumes/token'), [
    { source: '/pod/volumes/cfg', target: '/etc/app/', readOnly: true },
    { source: '/pod/volumes/scratch/logs', target: '/data', readOnly: false },
    { source: '/pod/volumes/scratch', target: '/ro', readOnly: true },
    { source: '/pod/volumes/token', target: SA_MOUNT_PATH, readOnly: true },
  ]);
});

test('containerMounts: an unknown volume or an escaping subPath is a config error', () => {
  const c = { name: 'c', volumeMounts: [{ name: 'nope', mountPath: '/x' }] };
  assert.throws(
    () => containerMounts(pod, c, new Map()),
    (e: Error) => e instanceof ContainerConfigError && /"nope"/.test(e.message),
  );
  const escaping = { name: 'c', volumeMounts: [{ name: 'scratch', mountPath: '/x', subPath: '../../etc' }] };
  assert.throws(
    () => containerMounts(pod, escaping, new Map([['scratch', '/v']])),
    /must be relative and stay inside/,
  );
});

test('wantsAutoToken: off with automountServiceAccountToken=false or an explicit mount', () => {
  assert.equal(wantsAutoToken(pod), true);
  assert.equal(wantsAutoToken({ ...pod, spec: { ...pod.spec, automountServiceAccountToken: false } }), false);
  const own = { name: 'c', volumeMounts: [{ name: 'sec', mountPath: `${SA_MOUNT_PATH}/` }] };
  assert.equal(wantsAutoToken({ ...pod, spec: { ...pod.spec, containers: [own] } }), false);
});

test('containerScript joins the cgroup, mounts (read-only remount when asked), cds, then execs', () => {
  const script = containerScript({
    cgroup: '/sys/fs/cgroup/pids/kuberay-ts/x',
    workingDir: "/home/it's",
    mounts: [{ source: '/v/a', target: '/mnt/a', readOnly: true }],
  });
  const lines = script.split('\n');
  assert.equal(lines[0], 'set -e');
  assert.equal(lines[1], "echo $$ > '/sys/fs/cgroup/pids/kuberay-ts/x/cgroup.procs'");
  assert.ok(lines.includes("mount --bind '/v/a' '/mnt/a'"));
  assert.ok(lines.includes("mount -o remount,bind,ro '/mnt/a'"));
  assert.ok(lines.includes(`cd '/home/it'\\''s'`));
  assert.equal(lines.at(-1), 'exec "$@"');
});
