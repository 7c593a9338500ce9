import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CONTAINER_DEFAULT_PATH,
  findOnPath,
  imageRepository,
  redisServerMissing,
  repoRoot,
  resolveImage,
} from './images.ts';

test('imageRepository drops tags, digests and the docker.io prefixes', () => {
  for (const [image, repository] of [
    ['rayproject/ray:2.52.0', 'rayproject/ray'],
    ['docker.io/rayproject/ray-ml:2.9.0-gpu', 'rayproject/ray-ml'],
    ['redis:7.2@sha256:abc', 'redis'],
    ['docker.io/library/redis', 'redis'],
    ['localhost:5000/my/img:1', 'localhost:5000/my/img'],
    ['quay.io/kuberay/operator:v1.5.0', 'quay.io/kuberay/operator'],
  ])
    assert.equal(imageRepository(image!), repository, image);
});

test('resolveImage: unknown images give ErrImagePull naming the image', () => {
  const r = resolveImage('example.com/nope:1');
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.reason === 'ErrImagePull' && r.message.includes('"example.com/nope:1"'));
  const empty = resolveImage('');
  assert.ok(!empty.ok && empty.reason === 'InvalidImageName');
});

test('resolveImage: the Ray image maps to the venv, or says how to install it', () => {
  const r = resolveImage('rayproject/ray:2.46.0', { KUBERAY_TS_CACHE: '/nonexistent-cache' });
  assert.ok(!r.ok && r.message.includes('scripts/install-ray.sh'));
});

test('resolveImage: the operator image rewrites /manager to the TypeScript operator', () => {
  const r = resolveImage('quay.io/kuberay/operator:v1.5.0');
  assert.ok(r.ok);
  const argv = r.runtime.rewrite!(['/manager', '--metrics-addr=:8080']);
  // Through the image's launcher, which adds the operator's Node flags and runs the Node 24 on the image's PATH.
  assert.equal(argv[0], '/bin/sh');
  assert.ok(argv[1]!.endsWith('scripts/operator-node.sh'));
  assert.ok(argv[2]!.endsWith('src/main/operator.ts'));
  assert.equal(argv[3], '--metrics-addr=:8080');
  assert.ok(r.runtime.path[0]!.endsWith('node_modules/.bin'));
  assert.deepEqual(r.runtime.rewrite!(['sh', '-c', 'x']), ['sh', '-c', 'x']);
});

test('resolveImage: the submitter image rewrites /submitter to the TypeScript light-weight submitter', () => {
  const r = resolveImage('quay.io/kuberay/submitter:v1.5.1');
  assert.ok(r.ok);
  const argv = r.runtime.rewrite!(['/submitter', '--runtime-env-json', '{}', '--', 'python', 'x.py']);
  assert.ok(argv[0]!.endsWith('node_modules/.bin/node'));
  assert.ok(argv[1]!.endsWith('src/main/submitter.ts'));
  assert.deepEqual(argv.slice(2), ['--runtime-env-json', '{}', '--', 'python', 'x.py']);
  assert.deepEqual(r.runtime.entrypoint, argv.slice(0, 2));
});

test('resolveImage: busybox runs host tools', () => {
  const r = resolveImage('busybox:1.36');
  assert.ok(r.ok && r.runtime.runtime === 'host');
});

test('resolveImage: rancher/curl and curlimages/curl run the host curl as their ENTRYPOINT', () => {
  for (const image of ['rancher/curl', 'docker.io/curlimages/curl:8.11.1', 'rancher/curl:latest']) {
    const r = resolveImage(image);
    assert.ok(r.ok, image);
    assert.equal(r.runtime.runtime, 'host curl');
    assert.deepEqual(r.runtime.entrypoint, ['curl']);
    assert.equal(r.runtime.cmd, undefined);
  }
});

test('findOnPath looks through the directories in order, as a shell does', () => {
  const at =
    (...files: string[]) =>
    (p: string) =>
      files.includes(p);
  assert.equal(findOnPath('x', '/a:/b', at('/b/x', '/a/y')), '/b/x');
  assert.equal(findOnPath('x', '/a::/b', at('/a/x', '/b/x')), '/a/x');
  assert.equal(findOnPath('x', '/a:/b', at('/c/x')), undefined);
});

test('redis-server is usable wherever the pods PATH finds it, and only there', () => {
  for (const dir of CONTAINER_DEFAULT_PATH.split(':'))
    assert.equal(
      redisServerMissing((p) => p === `${dir}/redis-server`),
      undefined,
      dir,
    );
  const missing = redisServerMissing((p) => p === '/opt/redis/bin/redis-server');
  assert.match(
    missing ?? '',
    /^redis-server is not on the pods' PATH \(\/usr\/local\/sbin:.*\/bin\): run scripts\/install-deps.sh/,
  );
});

test('scripts/install-deps.sh looks for redis-server on the same PATH as the local node', () => {
  const script = readFileSync(join(repoRoot, 'scripts', 'install-deps.sh'), 'utf8');
  const check = script.split('\n').find((l) => /command -v redis-server/.test(l));
  assert.equal(
    check,
    `PATH="${CONTAINER_DEFAULT_PATH}" command -v redis-server >/dev/null || need_apt+=(redis-server)`,
  );
});
