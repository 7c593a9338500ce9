/**
 * Fuzzing the ray.io objects (issue 19): seeded generated RayClusters, RayJobs and RayServices with hostile
 * values, against the real API server and our operator. The seed is printed; KUBERAY_TS_CHAOS_SEED replays a
 * run, KUBERAY_TS_CHAOS=long runs the long profile.
 *
 * 1. Every object is sent as a server-side dry run: the API server either refuses it with a message naming a
 *    field, or accepts it; an accepted object (as the API server returns it, defaults applied) goes through
 *    the operator's validation and, when valid, its builders (the cluster of a RayJob or RayService, the head
 *    and worker pods, the head Service, the submitter Job): nothing may throw anything but the operator's own
 *    reported errors.
 * 2. A sample of them is created for real while the operator runs as its own process: each accepted object
 *    gets a status that says where it stands (a state, a deployment status or a condition with a reason);
 *    the operator does not exit, logs no unhandled error, and its memory stays bounded.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  type Pod,
  type RayCluster,
  type RayJob,
  type RayService,
  validateRayCluster,
  validateRayJob,
  validateRayService,
} from '../../src/api/index.ts';
import { defaultBuilderConfig } from '../../src/builders/raycluster/config.ts';
import { buildHeadPod, buildWorkerPod } from '../../src/builders/raycluster/pod.ts';
import { buildHeadService } from '../../src/builders/raycluster/services.ts';
import { unwrapQuotes } from '../../src/builders/raycluster/shell.ts';
import { buildRayJobCluster } from '../../src/builders/rayjob/cluster.ts';
import { buildSubmitterJob } from '../../src/builders/rayjob/submitter.ts';
import { buildRayServiceCluster } from '../../src/builders/rayservice/cluster.ts';
import { ApiError } from '../../src/k8s/api-error.ts';
import { KubeClient } from '../../src/k8s/client.ts';
import { loadKubeconfig } from '../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../src/k8s/objects.ts';
import { Resources, type ResourceType } from '../../src/k8s/resources.ts';
import { KuberayError } from '../../src/lib/errors.ts';
import { profile, seededRandom } from '../chaos/profile.ts';
import { eventually, testCluster, testNamespace } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { startOperatorProcess } from '../support/operator-process.ts';
import { baseObject, type Generated, generate } from './generate.ts';

const p = profile({ short: { dryRuns: 3000, real: 40 }, long: { dryRuns: 20000, real: 400 } });

const resourceOf: Record<Generated['kind'], ResourceType> = {
  RayCluster: Resources.rayClusters,
  RayJob: Resources.rayJobs,
  RayService: Resources.rayServices,
};

/** A message a person can act on: names a field of the object (a path, or the Go field a type error hit). */
const namesAField = (m: string) => /\b(spec|metadata)(\.|\[|\b)|Go struct field \S+/.test(m);

/** The operator's own errors are reported in a status or an event; anything else thrown is a crash. */
function runOperatorCode(what: string, g: Generated, fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof KuberayError) return;
    throw new Error(
      `${what} threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} for a ${g.kind} after ${g.mutations.join('; ')}`,
      { cause: err },
    );
  }
}

/** What the operator does with an accepted object, in process: validation, then the builders. */
function exerciseOperator(
  g: Generated,
  obj: KubeObject,
): { valid: boolean; messages: string[]; head?: { rc: RayCluster; pod: Pod } } {
  const config = { ...defaultBuilderConfig, headSidecarContainers: [] };
  let messages: string[] = [];
  runOperatorCode('validation', g, () => {
    const errors =
      g.kind === 'RayCluster'
        ? validateRayCluster(obj as unknown as RayCluster)
        : g.kind === 'RayJob'
          ? validateRayJob(obj as unknown as RayJob)
          : validateRayService(obj as unknown as RayService);
    messages = errors.map((e) => e.message);
  });
  for (const m of messages)
    assert.ok(
      typeof m === 'string' && m.trim() !== '' && !/undefined|\[object Object\]|NaN/.test(m),
      `a validation message that says nothing (${JSON.stringify(m)}) for ${g.mutations.join('; ')}`,
    );
  if (messages.length > 0) return { valid: false, messages };
  let head: { rc: RayCluster; pod: Pod } | undefined;
  runOperatorCode('the builders', g, () => {
    let rc: RayCluster;
    if (g.kind === 'RayCluster') rc = obj as unknown as RayCluster;
    else if (g.kind === 'RayJob') {
      const job = obj as unknown as RayJob;
      if (!job.spec.rayClusterSpec) return;
      rc = buildRayJobCluster(job, {
        name: 'fuzz-cluster',
        jobId: 'fuzz-job',
        dashboardURL: 'fuzz-cluster-head-svc:8265',
        loginShell: false,
        sidecarSubmitterRestart: false,
      });
      buildSubmitterJob(job, {
        jobId: 'fuzz-job',
        dashboardURL: 'fuzz-cluster-head-svc:8265',
        loginShell: false,
        cluster: rc,
      });
    } else
      rc = buildRayServiceCluster(obj as unknown as RayService, 'fuzz-cluster', {
        kuberayVersion: 'v1.5.0',
        clearWorkerReplicas: false,
      } as never);
    rc.metadata.uid ??= '00000000-0000-0000-0000-000000000001';
    rc.metadata.namespace ??= obj.metadata.namespace;
    if (validateRayCluster(rc).length > 0) return;
    head = { rc, pod: buildHeadPod(rc, config) };
    buildHeadService(rc, config);
    (rc.spec.workerGroupSpecs ?? []).forEach(
      (_, i) => void buildWorkerPod(rc, config, i, { replicaIndex: 0 }),
    );
  });
  return { valid: true, messages, ...(head ? { head } : {}) };
}

const marker = '/tmp/kuberay-ts-fuzz-pwned';
const baseStartParams = new Set(
  Object.keys(
    (baseObject('RayCluster', 'x').spec as { headGroupSpec: { rayStartParams: Record<string, string> } })
      .headGroupSpec.rayStartParams,
  ),
);

/**
 * The head's `ray start` line run by a real bash with `ray` replaced by a function that records its
 * arguments: no hostile value may run a command (the marker file stays absent), and every start parameter
 * the fuzzer added reaches `ray start` as `--key=value`, byte for byte (values with `$`, expanded by design,
 * and values already in quotes, unwrapped as KubeRay does, aside).
 */
function shellCheck(g: Generated, rc: RayCluster, pod: Pod, dir: string): boolean {
  const c = pod.spec.containers[0];
  const line = c?.args?.[0];
  if (c?.command?.join(' ') !== '/bin/bash -c --' || !line?.includes('ray start')) return false;
  const out = join(dir, 'ray-args');
  rmSync(out, { force: true });
  const run = spawnSync(
    '/bin/bash',
    ['-c', `ray() { printf '%s\\0' "$@" > "$OUT"; }; ulimit() { :; }; ${line}`],
    {
      cwd: dir,
      env: { PATH: '/usr/bin:/bin', OUT: out, HOME: dir },
      timeout: 10_000,
      encoding: 'utf8',
    },
  );
  const what = `${g.kind} after ${g.mutations.join('; ')}: ${line}`;
  assert.equal(existsSync(marker), false, `a start parameter ran a command: ${what}`);
  assert.equal(run.status, 0, `bash failed (${run.stderr}): ${what}`);
  const args = readFileSync(out, 'utf8').split('\0');
  for (const [k, v] of Object.entries(rc.spec.headGroupSpec.rayStartParams ?? {})) {
    if (baseStartParams.has(k) || v.includes('$') || unwrapQuotes(v) !== v) continue;
    // Booleans are switches (KubeRay's rendering): true as a bare --key (or --key=true for the three flags that
    // always take a value), false left out.
    if (/^(true|false)$/i.test(v)) {
      const on = args.includes(`--${k}`) || args.includes(`--${k}=${v}`);
      assert.equal(on, v.toLowerCase() === 'true', `--${k} for ${v}: ${what}\n${JSON.stringify(args)}`);
      continue;
    }
    assert.ok(
      args.includes(`--${k}=${v}`),
      `--${k}=${JSON.stringify(v)} not passed as is to ray start: ${what}\n${JSON.stringify(args)}`,
    );
  }
  return true;
}

test(`fuzz: ${p.dryRuns} generated ray.io objects (dry run), ${p.real} created with the operator (seed ${p.seed})`, {
  timeout: p.long ? 7_200_000 : 900_000,
}, async (t) => {
  t.diagnostic(`seed ${p.seed} (replay: KUBERAY_TS_CHAOS_SEED=${p.seed})`);
  const cluster = await testCluster();
  await installCrds(cluster.client);
  const ns = await testNamespace(t, 'fuzz');
  const kube = KubeClient.fromAccess(loadKubeconfig(cluster.kubeconfig), { qps: 0 });
  t.after(() => kube.rest.close());
  const rand = seededRandom(p.seed);

  // 1. Dry runs.
  rmSync(marker, { force: true });
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-shell-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tally = { refused: 0, accepted: 0, invalid: 0, valid: 0, shell: 0 };
  const refusedReasons = new Map<string, number>();
  for (let i = 0; i < p.dryRuns; i++) {
    const g = generate(rand, `fuzz-${i}`, i % 2 === 0 ? 'typed' : 'any');
    (g.object.metadata as { namespace?: string }).namespace = ns;
    let accepted: KubeObject;
    try {
      accepted = await kube.create(resourceOf[g.kind], g.object as unknown as KubeObject, { dryRun: true });
    } catch (err) {
      assert.ok(err instanceof ApiError, `not an API answer: ${String(err)}`);
      assert.ok(
        err.status === 422 || err.status === 400,
        `the API server answered ${err.status} (${err.message}) for a ${g.kind} after ${g.mutations.join('; ')}`,
      );
      const message = err.body?.message ?? '';
      assert.ok(namesAField(message), `a refusal that names no field: ${message}`);
      tally.refused++;
      const reason =
        /: (Invalid value|Required value|Unsupported value|Too long|Forbidden|Duplicate value)/.exec(
          message,
        )?.[1] ?? 'other';
      refusedReasons.set(reason, (refusedReasons.get(reason) ?? 0) + 1);
      continue;
    }
    tally.accepted++;
    const r = exerciseOperator(g, accepted);
    if (r.valid) tally.valid++;
    else tally.invalid++;
    if (r.head && shellCheck(g, r.head.rc, r.head.pod, dir)) tally.shell++;
  }
  t.diagnostic(
    `dry runs: ${tally.refused} refused by the API server (${[...refusedReasons].map(([k, v]) => `${k} ${v}`).join(', ')}), ${tally.accepted} accepted: ${tally.invalid} refused by the operator's validation, ${tally.valid} valid and built; ${tally.shell} head start lines run by bash`,
  );
  assert.ok(tally.accepted > 0 && tally.refused > 0, 'the generator reaches both outcomes');

  // 2. Real objects with the operator running.
  const op = startOperatorProcess(t, { kubeconfig: cluster.kubeconfig, watchNamespace: ns });
  const created: Generated[] = [];
  for (let i = 0; created.length < p.real && i < p.real * 20; i++) {
    const g = generate(rand, `real-${i}`, 'typed');
    (g.object.metadata as { namespace?: string }).namespace = ns;
    try {
      await kube.create(resourceOf[g.kind], g.object as unknown as KubeObject);
      created.push(g);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500) throw err;
    }
  }
  const standing = (
    g: Generated,
    o: KubeObject & { status?: Record<string, unknown> },
  ): string | undefined => {
    const s = o.status ?? {};
    const conditions = (s.conditions as { reason?: string }[] | undefined) ?? [];
    const reason = conditions.find((c) => c.reason)?.reason;
    if (g.kind === 'RayCluster') return (s.state as string) || (s.reason as string) || reason;
    if (g.kind === 'RayJob') return (s.jobDeploymentStatus as string) || reason;
    return reason || (s.serviceStatus as string);
  };
  await eventually(
    async () => {
      const waiting: string[] = [];
      for (const g of created) {
        const name = (g.object.metadata as { name: string }).name;
        const o = (await kube.get(resourceOf[g.kind], ns, name)) as KubeObject & {
          status?: Record<string, unknown>;
        };
        if (!standing(g, o)) waiting.push(`${g.kind} ${name} (${g.mutations.join('; ')})`);
      }
      assert.deepEqual(waiting, [], 'objects with no status that says where they stand');
    },
    { timeoutMs: 180_000, intervalMs: 2000 },
  );
  assert.equal(op.child.exitCode, null, 'the operator is running');
  const unhandled = op.logs.filter(
    (l) =>
      /unhandled|uncaught/i.test(String(l.msg)) ||
      /TypeError|RangeError|ReferenceError/.test(JSON.stringify(l)),
  );
  assert.deepEqual(unhandled, [], 'no unhandled error in the operator log');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${op.child.pid}/status`, 'utf8'))?.[1]);
  t.diagnostic(
    `created ${created.length} objects (${created.filter((g) => g.kind === 'RayCluster').length} RayClusters, ${created.filter((g) => g.kind === 'RayJob').length} RayJobs, ${created.filter((g) => g.kind === 'RayService').length} RayServices): every one has a status that says where it stands; operator RSS ${Math.round(rssKiB / 1024)} MiB`,
  );
  assert.ok(rssKiB < 512 * 1024, `operator RSS ${rssKiB} KiB`);
});
