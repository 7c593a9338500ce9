import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { gcsWaitFaqUrl, waitGcsReadyScript } from './wait-gcs-script.ts';

/**
 * Runs the script in bash with `ray` answering only after `failures` failed checks, and a `sleep` that
 * advances bash's SECONDS instead of waiting, so two simulated minutes take milliseconds.
 */
function run(failures: number): string[] {
  const fakes = [
    'calls=0',
    `ray() { calls=$((calls + 1)); if [ "$calls" -gt ${failures} ]; then return 0; fi; echo "ray: unreachable $*"; return 1; }`,
    'sleep() { SECONDS=$((SECONDS + $1)); }',
  ].join('\n');
  const r = spawnSync(
    'bash',
    ['-c', `${fakes}\n${waitGcsReadyScript('head-svc.ns.svc.cluster.local:6379')}`],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trimEnd().split('\n');
}

test('a GCS that answers at once: one line', () => {
  assert.deepEqual(run(0), ['GCS is ready.']);
});

test('a progress line every 5 s, health-check output hidden for the first 120 s', () => {
  assert.deepEqual(run(3), [
    '0 seconds elapsed: Waiting for GCS to be ready.',
    '5 seconds elapsed: Waiting for GCS to be ready.',
    '10 seconds elapsed: Waiting for GCS to be ready.',
    'GCS is ready.',
  ]);
});

test('after 120 s the health-check errors are shown with the FAQ link', () => {
  const lines = run(26);
  assert.equal(lines[24], '120 seconds elapsed: Waiting for GCS to be ready.');
  assert.deepEqual(lines.slice(25), [
    'ray: unreachable health-check --address head-svc.ns.svc.cluster.local:6379',
    `125 seconds elapsed: Still waiting for GCS to be ready. For troubleshooting, refer to the FAQ at ${gcsWaitFaqUrl}.`,
    'GCS is ready. Any error messages above can be safely ignored.',
  ]);
});
