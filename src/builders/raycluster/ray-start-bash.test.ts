/**
 * The generated container command run through a real bash, with `ray` replaced by a function that prints its
 * arguments: hostile rayStartParams keys and values must arrive as literal arguments and run nothing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { containerCommand, rayStartCommand } from './ray-start.ts';

function runThroughBash(params: Record<string, string>, dir: string): string[] {
  const { command, args } = containerCommand(
    { name: 'ray-head' },
    rayStartCommand('head', params),
    false,
    false,
  );
  assert.deepEqual(command, ['/bin/bash', '-c', '--']);
  // A stub `ray` that prints each argument NUL-terminated, defined before the generated script.
  const stub = 'ray() { for a in "$@"; do printf "%s\\0" "$a"; done; }; ';
  const out = execFileSync('/bin/bash', ['-c', '--', stub + args![0]!], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RAY_START_ULIMIT_OPEN_FILES: '256' },
    encoding: 'utf8',
  });
  return out.split('\0').slice(0, -1);
}

const hostile = [
  '$(touch marker)',
  '`touch marker`',
  'x; touch marker; echo ',
  'a\'b"c',
  'line1\ntouch marker\nline3',
  `\${X:-$(touch marker)}`,
  '\\"; touch marker; \\"',
  '&& touch marker ||',
];

test('hostile rayStartParams values reach ray as literal arguments and execute nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ray-start-bash-'));
  try {
    const params: Record<string, string> = {};
    hostile.forEach((v, i) => {
      params[`p${i}`] = v;
    });
    const got = runThroughBash(params, dir);
    assert.equal(existsSync(join(dir, 'marker')), false, 'a value ran a command');
    const expected = ['start', '--head', ...hostile.map((v, i) => `--p${i}=${v}`)];
    assert.deepEqual(got, expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hostile rayStartParams keys reach ray as literal arguments and execute nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ray-start-bash-'));
  try {
    const params: Record<string, string> = {};
    const keys = hostile.map((k, i) => `${k}${i}`);
    for (const k of keys) params[k] = 'v';
    params['num-cpus=1; touch marker; echo '] = 'true';
    const got = runThroughBash(params, dir);
    assert.equal(existsSync(join(dir, 'marker')), false, 'a key ran a command');
    const expected = Object.keys(params)
      .sort()
      .map((k) => (params[k] === 'true' ? `--${k}` : `--${k}=v`));
    assert.deepEqual(got, ['start', '--head', ...expected]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
