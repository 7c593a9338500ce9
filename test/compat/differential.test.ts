import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { testCluster } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { kuberayVersion } from '../support/samples.ts';
import { compareDumps, type Difference } from './support/compare.ts';
import { dumpNamespaces } from './support/dump.ts';
import { formatCurrent, judge, loadExpected } from './support/expected.ts';
import { fingerprint, type Normalised, normaliseDump } from './support/normalise.ts';
import { startOperator } from './support/operators.ts';
import { applyDocs, companions, loadSamples } from './support/samples.ts';
import { bigKwokNode, dropFinalizers, namespaces } from './support/world.ts';

/**
 * The differential suite: every KubeRay v1.5.0 sample with a ray.io object is applied twice on one control
 * plane with KWOK nodes, once in a `kr-*` namespace watched by KubeRay's operator (built from the Go module
 * proxy by scripts/build-kuberay.sh) and once in a `ts-*` namespace watched by ours, both running at once.
 * When both sides have settled, every object in each namespace (the CR with its status, what the operator
 * created for it, the events) is normalised and compared field by field. Every difference must be listed in
 * expected-differences.yaml with its reason, and every entry there must still occur.
 *
 * COMPAT_SAMPLES=glob,glob runs a subset. COMPAT_PRINT=- (stderr) or COMPAT_PRINT=<file> prints the full
 * current difference list in the file's format for a reviewer; the test never writes the reviewed file.
 */

const EXPECTED = join(import.meta.dirname, 'expected-differences.yaml');
const POLL_MS = 3000;
/**
 * Polls in a row with nothing changed on either side that count as settled: 36 s, longer than the longest
 * timer that runs while nothing changes (KubeRay's 30 s grace period between a RayJob's submitter finishing
 * and the RayJob giving up on the Ray job's status).
 */
const STABLE_POLLS = 12;
/**
 * While the two sides are in different phases (a RayJob's jobDeploymentStatus, a RayCluster's state, or which
 * RayClusters exist), a sample must stay unchanged for 90 s before it counts as settled: one side may still be
 * waiting for a timer (the submitter pod KWOK completes, the grace period, a TTL). Samples whose phases
 * differ for good (one operator rejects what the other runs) pay this once.
 */
const LONG_STABLE_POLLS = 30;
const SETTLE_DEADLINE_MS = 360_000;

/** The phase of each ray.io object of one side: RayJob jobDeploymentStatus, RayCluster state. */
function phases(n: Normalised): string {
  const out: string[] = [];
  for (const [key, v] of n) {
    const status = (v as { status?: { jobDeploymentStatus?: string; state?: string } }).status;
    if (key.startsWith('RayJob/')) out.push(`${key}=${status?.jobDeploymentStatus}`);
    if (key.startsWith('RayCluster/')) out.push(`${key}=${status?.state}`);
  }
  return out.join(',');
}

test(`our operator and KubeRay v${kuberayVersion} produce the same objects for every sample, but for the reviewed differences`, {
  timeout: 540_000,
}, async (t) => {
  const expected = loadExpected(EXPECTED);
  const samples = loadSamples(process.env.COMPAT_SAMPLES);
  assert.ok(samples.length > 0, `no sample matches COMPAT_SAMPLES=${process.env.COMPAT_SAMPLES}`);
  const { client, kubeconfig } = await testCluster();
  await installCrds(client);
  await bigKwokNode(client);

  const kr = await namespaces(
    t,
    samples.map((_, i) => `kr-${i}`),
  );
  const ts = await namespaces(
    t,
    samples.map((_, i) => `ts-${i}`),
  );
  const kuberay = startOperator('kuberay', { kubeconfig, namespaces: kr });
  const ours = startOperator('ours', { kubeconfig, namespaces: ts });
  t.after(async () => {
    await dropFinalizers(client, [...kr, ...ts]);
    await Promise.all([kuberay.stop(), ours.stop()]);
  });

  const all = loadSamples();
  await Promise.all(
    samples.map(async (s, i) => {
      const docs = [...companions(s, all), ...s.docs];
      await Promise.all([applyDocs(client, kr[i]!, docs), applyDocs(client, ts[i]!, docs)]);
    }),
  );

  // Settle: poll every namespace with one list per kind until no sample's normalised dump changes on either side.
  const last = samples.map(() => ({ print: '', stable: 0 }));
  let latest: { ours: Normalised; kuberay: Normalised }[] = [];
  const start = Date.now();
  for (;;) {
    const dumps = await dumpNamespaces(client, [...kr, ...ts]);
    latest = samples.map((_, i) => ({
      ours: normaliseDump(dumps.get(ts[i]!)!, ts[i]!),
      kuberay: normaliseDump(dumps.get(kr[i]!)!, kr[i]!),
    }));
    latest.forEach((d, i) => {
      const print = fingerprint(d.ours) + fingerprint(d.kuberay);
      last[i]!.stable = print === last[i]!.print ? last[i]!.stable + 1 : 0;
      last[i]!.print = print;
    });
    const settled = (i: number) =>
      last[i]!.stable >=
      (phases(latest[i]!.ours) === phases(latest[i]!.kuberay) ? STABLE_POLLS : LONG_STABLE_POLLS);
    if (samples.every((_, i) => settled(i))) break;
    if (Date.now() - start > SETTLE_DEADLINE_MS) {
      const moving = samples.filter((_, i) => !settled(i)).map((s) => s.name);
      assert.fail(`still changing after ${SETTLE_DEADLINE_MS / 1000}s: ${moving.join(', ')}`);
    }
    for (const op of [kuberay, ours])
      assert.equal(op.child.exitCode, null, `the ${op.which} operator exited; log: ${op.logFile}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  t.diagnostic(`settled after ${((Date.now() - start) / 1000).toFixed(0)}s`);

  const diffs: Difference[] = samples.flatMap((s, i) =>
    compareDumps(s.name, latest[i]!.ours, latest[i]!.kuberay),
  );
  const verdict = judge(
    expected,
    diffs,
    samples.map((s) => s.name),
  );
  const out = process.env.COMPAT_PRINT;
  if (out === '-') process.stderr.write(formatCurrent(expected, verdict));
  else if (out) {
    assert.notEqual(resolve(out), EXPECTED, 'COMPAT_PRINT must not name the reviewed file');
    writeFileSync(out, formatCurrent(expected, verdict));
  }
  t.diagnostic(
    `${diffs.length} differences, ${verdict.used.size} reviewed entries in use; logs: ${kuberay.logFile} ${ours.logFile}`,
  );
  const hint = 'run with COMPAT_PRINT=- to print the current list in the format of expected-differences.yaml';
  const show = (x: unknown) => {
    const text = stringify(x, { lineWidth: 0 });
    return text.length > 600 ? `${text.slice(0, 600)}...\n` : text;
  };
  assert.equal(
    verdict.unexpected.length,
    0,
    `${verdict.unexpected.length} differences are not in expected-differences.yaml (${hint}); the first ones:\n` +
      verdict.unexpected.slice(0, 15).map(show).join('---\n'),
  );
  assert.equal(
    verdict.stale.length,
    0,
    `entries of expected-differences.yaml that no longer occur, remove them (${hint}):\n${verdict.stale.map(show).join('---\n')}`,
  );
});
