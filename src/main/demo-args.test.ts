import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartFeatureGates, parseDemoArgs } from './demo-args.ts';

const ok = (argv: string[]) => {
  const r = parseDemoArgs(argv);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.args;
};
const err = (argv: string[]) => {
  const r = parseDemoArgs(argv);
  assert.ok(!r.ok, 'expected an error');
  return r.error;
};

test('defaults: up, wait, 900 s, no operator flags', () => {
  assert.deepEqual(ok([]), {
    command: 'up',
    help: false,
    sample: undefined,
    timeout: 900,
    wait: true,
    operatorArgs: [],
    inCluster: false,
  });
});

test('--in-cluster: the chart runs the operator; flags after -- are refused, --feature-gates becomes chart values', () => {
  assert.equal(ok(['up', '--in-cluster']).inCluster, true);
  assert.deepEqual(ok(['--in-cluster', '--feature-gates=RayCronJob=true']).operatorArgs, [
    '--feature-gates=RayCronJob=true',
  ]);
  assert.match(
    err(['--in-cluster', '--', '--reconcile-concurrency=4']),
    /with --in-cluster the chart sets the flags/,
  );
  assert.deepEqual(
    chartFeatureGates(
      [
        { name: 'RayJobDeletionPolicy', enabled: true },
        { name: 'RayCronJob', enabled: false },
      ],
      'RayCronJob=true,RayJobDeletionPolicy=false,GCSFaultToleranceEmbeddedStorage=true',
    ),
    [
      { name: 'RayJobDeletionPolicy', enabled: false },
      { name: 'RayCronJob', enabled: true },
      { name: 'GCSFaultToleranceEmbeddedStorage', enabled: true },
    ],
  );
});

test('--feature-gates reaches the operator, and so does every flag after --', () => {
  const a = ok([
    'up',
    '--feature-gates=RayCronJob=true',
    '--no-wait',
    '--',
    '--reconcile-concurrency',
    '4',
    '--log-file-path=/tmp/x',
  ]);
  assert.equal(a.wait, false);
  assert.deepEqual(a.operatorArgs, [
    '--feature-gates=RayCronJob=true',
    '--reconcile-concurrency',
    '4',
    '--log-file-path=/tmp/x',
  ]);
  assert.deepEqual(ok(['--feature-gates', 'GCSFaultToleranceEmbeddedStorage=true']).operatorArgs, [
    '--feature-gates=GCSFaultToleranceEmbeddedStorage=true',
  ]);
  assert.deepEqual(ok(['--', '--enable-batch-scheduler']).operatorArgs, ['--enable-batch-scheduler']);
});

test('bad operator input is refused before anything starts, with the operator message', () => {
  assert.match(err(['--feature-gates=NoSuchGate=true']), /^operator flags: .*NoSuchGate/);
  assert.match(err(['--feature-gates=RayCronJob=maybe']), /^operator flags: .*RayCronJob/);
  assert.match(err(['--', '--no-such-flag']), /flag provided but not defined: -no-such-flag/);
  assert.match(err(['--', '--reconcile-concurrency']), /flag needs an argument/);
  assert.match(err(['--', '--kubeconfig=/x']), /-kubeconfig is set by scripts\/demo itself/);
  assert.match(err(['--', '--enable-batch-scheduler', 'stray']), /unexpected argument 'stray'/);
});

test('own options are checked too', () => {
  assert.match(err(['--timeout=0']), /--timeout: expected a positive number/);
  assert.match(err(['--bogus']), /bogus/);
  assert.equal(ok(['status']).command, 'status');
  assert.equal(ok(['-h']).help, true);
});
