import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { importsOf } from '../architecture.test.ts';
import { type CliIo, type CommandDef, findCommand } from './command.ts';
import { root } from './commands.ts';
import { formatHelp } from './help.ts';
import { parseResourceArg } from './resource-arg.ts';
import { runCli } from './run.ts';

function leaves(c: CommandDef, path: CommandDef[] = []): CommandDef[][] {
  const here = [...path, c];
  return c.children ? c.children.flatMap((k) => leaves(k, here)) : [here];
}

test("KubeRay v1.5's commands, aliases and flags are all there", () => {
  const names = leaves(root).map((p) => p.map((c) => c.name).join(' '));
  for (const n of [
    'ray create cluster',
    'ray create workergroup',
    'ray get cluster',
    'ray get node',
    'ray get workergroup',
    'ray get token',
    'ray scale cluster',
    'ray delete',
    'ray log',
    'ray session',
    'ray job submit',
    'ray version',
    'ray completion',
  ])
    assert.ok(names.includes(n), n);
  assert.deepEqual(
    findCommand(root, ['list', 'clusters']).path.map((c) => c.name),
    ['ray', 'get', 'cluster'],
  );
  assert.deepEqual(
    findCommand(root, ['-n', 'x', 'logs', 'c']).path.map((c) => c.name),
    ['ray', 'log'],
  );
  const flags = (p: string[]) =>
    (findCommand(root, p).path.at(-1)!.flags ?? []).map((f) => (f.short ? `${f.short}|${f.name}` : f.name));
  assert.ok(flags(['scale', 'cluster']).includes('w|worker-group'));
  assert.ok(flags(['scale', 'cluster']).includes('r|replicas'));
  assert.ok(flags(['create', 'workergroup']).includes('c|ray-cluster'));
  for (const f of [
    'filename',
    'working-dir',
    'runtime-env',
    'runtime-env-json',
    'no-wait',
    'submission-id',
    'entrypoint-num-cpus',
    'ttl-seconds-after-finished',
  ])
    assert.ok(
      flags(['job', 'submit']).some((x) => x.endsWith(f)),
      f,
    );
});

test('every runnable command has help with examples and the kubectl flags', () => {
  for (const path of leaves(root)) {
    const help = formatHelp(path);
    assert.match(help, /Usage:\n {2}kubectl ray /, path.map((c) => c.name).join(' '));
    assert.match(help, /Examples:\n {2}# /, path.map((c) => c.name).join(' '));
    assert.match(help, /--kubeconfig string/);
    assert.match(help, /-n, --namespace string/);
  }
});

test('printing help imports nothing heavy: no yaml, no Kubernetes client, no command implementation', () => {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8').replace(/await import\([^)]*\)/g, '');
    for (const spec of importsOf(src)) {
      assert.ok(spec.startsWith('.') || spec.startsWith('node:'), `${file} imports ${spec} eagerly`);
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
    }
  };
  visit(join(import.meta.dirname, 'run.ts'));
  const rel = [...seen].map((f) => f.slice(import.meta.dirname.length + 1));
  assert.ok(!rel.some((f) => f.includes('k8s/client.ts') || f.startsWith('cmd/')), rel.join(', '));
});

function fakeIo(): CliIo & { outText: () => string; errText: () => string } {
  let out = '';
  let err = '';
  return {
    out: { write: (s: string) => (out += s) },
    err: { write: (s: string) => (err += s) },
    stdin: process.stdin,
    env: { HOME: '/nonexistent-home' },
    cwd: '/',
    signal: new AbortController().signal,
    outText: () => out,
    errText: () => err,
  };
}

test('usage errors: one line on stderr and exit code 1; help exits 0', async () => {
  const cases: [string[], RegExp][] = [
    [['frob'], /^Error: unknown command "frob" for "kubectl ray"/],
    [['get', 'cluster', 'a', 'b'], /^Error: accepts at most 1 arg\(s\), received 2/],
    [['scale', 'cluster'], /^Error: accepts 1 arg\(s\), received 0/],
    [
      ['scale', 'cluster', 'c', '-w', 'g', '--replicas', '-1'],
      /^Error: -r\/--replicas must be a non-negative integer, got -1\n$/,
    ],
    [
      ['scale', 'cluster', 'c', '-w', 'g'],
      /^Error: must specify -r\/--replicas, --min-replicas or --max-replicas/,
    ],
    [
      ['get', 'cluster', '-o', 'xml'],
      /^Error: unable to match a printer suitable for the output format "xml"/,
    ],
    [['get', 'cluster'], /^Error: no Kubernetes cluster configured/],
    [['delete', 'rayfoo/x'], /^Error: unsupported resource type: rayfoo/],
    [
      ['create', 'cluster', 'c', '--head-cpu', 'lots', '--dry-run'],
      /^Error: head-cpu is not a valid resource quantity: "lots"\n$/,
    ],
    [['completion', 'fish'], /^Error: unsupported shell type "fish"/],
  ];
  for (const [argv, re] of cases) {
    const io = fakeIo();
    assert.equal(await runCli(argv, io), 1, argv.join(' '));
    assert.match(io.errText(), re, argv.join(' '));
    assert.equal(io.errText().trim().split('\n').length, 1, argv.join(' '));
  }
  const io = fakeIo();
  assert.equal(await runCli(['get', 'node', '--help'], io), 0);
  assert.match(io.outText(), /Aliases:\n {2}node, nodes/);
});

test('create cluster --dry-run prints the YAML with sorted keys and unindented sequences (Go yaml.v2)', async () => {
  const io = fakeIo();
  assert.equal(
    await runCli(
      [
        'create',
        'cluster',
        'demo',
        '-n',
        'team',
        '--worker-replicas',
        '3',
        '--ray-version',
        '2.50.0',
        '--dry-run',
      ],
      io,
    ),
    0,
  );
  const y = io.outText();
  assert.match(
    y,
    /^apiVersion: ray.io\/v1\nkind: RayCluster\nmetadata:\n {2}name: demo\n {2}namespace: team\nspec:\n/,
  );
  assert.match(y, /image: rayproject\/ray:2.50.0/);
  assert.match(y, /\n {2}- groupName: default-group\n {4}numOfHosts: 1\n {4}replicas: 3\n/);
});

test('completion: subcommands and flags', async () => {
  const io = fakeIo();
  await runCli(['__complete', 'get', 'c'], io);
  assert.equal(io.outText(), 'cluster\n:4\n');
  const io2 = fakeIo();
  await runCli(['__complete', 'scale', 'cluster', 'x', '--wor'], io2);
  assert.equal(io2.outText(), '--worker-group\n:4\n');
  const io3 = fakeIo();
  await runCli(['completion', 'bash'], io3);
  assert.match(io3.outText(), /complete -o default -F _kubectl_ray kubectl-ray/);
});

test('resource arguments: NAME or TYPE/NAME', () => {
  assert.deepEqual(parseResourceArg('c'), { type: 'raycluster', name: 'c' });
  assert.deepEqual(parseResourceArg('RayJob/j'), { type: 'rayjob', name: 'j' });
  assert.throws(() => parseResourceArg('rayjob/'), /invalid resource type\/name/);
  assert.throws(() => parseResourceArg('pod/x'), /unsupported resource type: pod/);
});
