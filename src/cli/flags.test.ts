import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FlagSpec, formatDuration, parseArgs, parseDuration, UsageError } from './flags.ts';

const specs: FlagSpec[] = [
  { name: 'replicas', short: 'r', type: 'int', default: -1, usage: '' },
  { name: 'worker-group', short: 'w', type: 'string', usage: '' },
  { name: 'yes', short: 'y', type: 'bool', usage: '' },
  { name: 'all-namespaces', short: 'A', type: 'bool', usage: '' },
  { name: 'labels', type: 'map', usage: '' },
  { name: 'timeout', type: 'duration', default: 300_000, usage: '' },
  { name: 'cpus', type: 'float', usage: '' },
];

test('long, short, = and attached forms; flags among positionals; defaults', () => {
  const p = parseArgs(['cluster', '--worker-group=g', 'c1', '-r', '3', '-yA'], specs);
  assert.deepEqual(p.positional, ['cluster', 'c1']);
  assert.equal(p.flags['worker-group'], 'g');
  assert.equal(p.flags.replicas, 3);
  assert.equal(p.flags.yes, true);
  assert.equal(p.flags['all-namespaces'], true);
  assert.equal(p.flags.timeout, 300_000);
  assert.deepEqual([...p.set].sort(), ['all-namespaces', 'replicas', 'worker-group', 'yes']);
  assert.equal(parseArgs(['-wgrp', '-r=5'], specs).flags['worker-group'], 'grp');
  assert.equal(parseArgs(['-r=5'], specs).flags.replicas, 5);
});

test('a value-taking flag takes the next argument even when it starts with - (pflag)', () => {
  assert.equal(parseArgs(['--replicas', '-1'], specs).flags.replicas, -1);
  assert.equal(parseArgs(['--worker-group', '-x'], specs).flags['worker-group'], '-x');
});

test('-- ends the flags and records where the entrypoint starts', () => {
  const p = parseArgs(['a', '--', 'python', '-c', 'print(1)', '--yes'], specs);
  assert.equal(p.dashAt, 1);
  assert.deepEqual(p.positional, ['a', 'python', '-c', 'print(1)', '--yes']);
  assert.equal(p.flags.yes, false);
});

test('maps merge across repeats; durations and floats convert', () => {
  const p = parseArgs(['--labels', 'a=1,b=2', '--labels=c=3', '--timeout', '1m30s', '--cpus', '0.5'], specs);
  assert.deepEqual(p.flags.labels, { a: '1', b: '2', c: '3' });
  assert.equal(p.flags.timeout, 90_000);
  assert.equal(p.flags.cpus, 0.5);
});

test('bad input: unknown flags, missing values, malformed numbers, maps and durations', () => {
  const cases: [string[], RegExp][] = [
    [['--nope'], /unknown flag: --nope/],
    [['-z'], /unknown shorthand flag: 'z' in -z/],
    [['--replicas'], /flag needs an argument: --replicas/],
    [['--replicas', 'abc'], /invalid argument "abc" for "-r, --replicas" flag: not an integer/],
    [['--replicas', '9999999999'], /out of range/],
    [['--labels', 'novalue'], /must be formatted as key=value/],
    [['--timeout', '5 minutes'], /not a duration/],
    [['--yes=maybe'], /not a boolean/],
  ];
  for (const [argv, re] of cases)
    assert.throws(
      () => parseArgs(argv, specs),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      argv.join(' '),
    );
});

test('Go durations parse and format', () => {
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('10'), undefined);
  assert.equal(parseDuration('m'), undefined);
  assert.equal(formatDuration(300_000), '5m0s');
  assert.equal(formatDuration(3_600_000), '1h0m0s');
  assert.equal(formatDuration(30_000), '30s');
});
