/**
 * The K8sJobMode submitter command run through a real bash, with `python` and `ray` replaced by functions:
 * hostile runtime env, metadata and entrypoint resources must reach `ray job submit` intact and run nothing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RayJob } from '../../api/index.ts';
import { buildSubmitterJob, runtimeEnvJson } from './submitter.ts';

const hostile = [
  '$(touch marker)',
  '`touch marker`',
  'a; touch marker; echo ',
  `it's "quoted"`,
  'line1\ntouch marker',
  'back\\slash \\$(touch marker)',
];

/** `ray job status` fails (so the job is submitted); `ray job submit` prints its arguments NUL-terminated. */
const stubs = [
  'python() { return 0; }',
  'ray() { if [ "$2" = status ]; then return 1; fi; if [ "$2" = submit ]; then printf "%s\\0" "$@"; fi; }',
  '',
].join('; ');

function submitArgs(rayJob: RayJob, dir: string): string[] {
  const job = buildSubmitterJob(rayJob, { jobId: 'rj-1', dashboardURL: 'h:8265', loginShell: false });
  const c = job.spec!.template.spec!.containers[0]!;
  assert.deepEqual(c.command, ['/bin/bash', '-ce', '--']);
  const out = execFileSync('/bin/bash', ['-ce', '--', stubs + c.args![0]!], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    encoding: 'utf8',
  });
  return out.split('\0').slice(0, -1);
}

test('hostile runtimeEnvYAML, metadata and entrypointResources reach ray job submit literally', () => {
  const dir = mkdtempSync(join(tmpdir(), 'submitter-bash-'));
  try {
    const envVars = Object.fromEntries(hostile.map((v, i) => [`V${i}`, v]));
    const runtimeEnvYAML = JSON.stringify({ env_vars: envVars, working_dir: '`touch marker`' });
    const metadata = Object.fromEntries(hostile.map((v, i) => [`k${i}`, v]));
    const entrypointResources = '{"$(touch marker)": 1, "`touch marker`": 2, "a\'b": 3}';
    const rayJob: RayJob = {
      metadata: { name: 'rj', namespace: 'ns', uid: 'u' },
      spec: {
        entrypoint: 'python script.py',
        runtimeEnvYAML,
        metadata,
        entrypointResources,
        submitterPodTemplate: { spec: { containers: [{ name: 'submit', image: 'ray' }] } },
      },
    };
    const args = submitArgs(rayJob, dir);
    assert.equal(existsSync(join(dir, 'marker')), false, 'the command ran something it should not');
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    assert.equal(value('--runtime-env-json'), runtimeEnvJson(runtimeEnvYAML));
    assert.deepEqual(JSON.parse(value('--runtime-env-json')!).env_vars, envVars);
    assert.deepEqual(JSON.parse(value('--metadata-json')!), metadata);
    assert.equal(value('--entrypoint-resources'), entrypointResources);
    assert.deepEqual(args.slice(args.indexOf('--')), ['--', 'python', 'script.py']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
