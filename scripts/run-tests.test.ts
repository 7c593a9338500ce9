import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AUDIT_DIR_ENV } from '../test/support/audit.ts';

/**
 * Starts run-tests.ts on the fuzz layer (one file; a kubeconfig that does not exist, so nothing reaches a
 * cluster and no control plane starts), sends it `signal` once its first batch runs, and returns its exit code
 * with what its temp directory held then and after.
 */
async function interrupted(signal: 'SIGINT' | 'SIGTERM') {
  const tmp = mkdtempSync(join(tmpdir(), 'run-tests-signal-'));
  try {
    // Audit logs on, in a directory of its own (as when run alone), whatever the outer run set.
    const { [AUDIT_DIR_ENV]: _dir, KUBERAY_TS_AUDIT: _on, ...outer } = process.env;
    const child = spawn(process.execPath, [join(import.meta.dirname, 'run-tests.ts'), 'fuzz'], {
      env: {
        ...outer,
        TMPDIR: tmp,
        KUBERAY_TS_TEST_KUBECONFIG: join(tmp, 'no-such-kubeconfig'),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stderr = '';
    let during: string[] | undefined;
    await new Promise<void>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        // The line is printed as the batch's child is spawned, after the TAP directory was made.
        if (!during && /\[run-tests\] \d+ test files/.test(stderr)) {
          during = readdirSync(tmp);
          child.kill(signal);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`run-tests exited before its first batch: ${stderr}`)));
    });
    return { code: await exited, during: during ?? [], after: readdirSync(tmp) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`an interrupted run (${signal}) removes its TAP and audit-log directories and exits ${code}`, async () => {
    const r = await interrupted(signal);
    assert.equal(r.during.filter((e) => e.startsWith('kuberay-ts-tap-')).length, 1, `held ${r.during}`);
    assert.equal(r.during.filter((e) => e.startsWith('kuberay-ts-audit-')).length, 1, `held ${r.during}`);
    assert.deepEqual(r.after, []);
    assert.equal(r.code, code);
  });
}
