import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import type { RayCluster } from '../../api/index.ts';
import { readGolden } from '../../lib/golden.ts';
import { buildRedisCleanupJob } from './cleanup-job.ts';
import { defaultBuilderConfig } from './config.ts';
import { gcsFtEnabled } from './gcs-ft.ts';
import {
  buildAuthSecret,
  buildGcsPvc,
  buildIngress,
  buildRole,
  buildRoleBinding,
  buildServiceAccount,
} from './objects.ts';
import { buildHeadPod, buildWorkerPod } from './pod.ts';
import {
  buildHeadlessService,
  buildHeadService,
  buildServeService,
  needsHeadlessService,
} from './services.ts';

/**
 * Golden files: every KubeRay sample under testdata/input builds to the objects recorded in testdata/<name>.
 * Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff; a new input needs the same
 * (a missing golden file fails).
 */
const dir = join(import.meta.dirname, 'testdata');
const update = process.env.UPDATE_GOLDEN === '1';

function load(file: string): RayCluster {
  const docs = parseAllDocuments(readFileSync(join(dir, 'input', file), 'utf8'), { version: '1.1' }).map(
    (d) => d.toJS(),
  );
  const rc = docs.find((d) => d?.kind === 'RayCluster') as RayCluster;
  rc.metadata.namespace = 'default';
  rc.metadata.uid = '00000000-0000-0000-0000-000000000001';
  return rc;
}

function desiredObjects(rc: RayCluster): unknown[] {
  // The alpha add-on gates are on: they change only clusters that use historyServerOptions or tlsOptions.
  const config = {
    ...defaultBuilderConfig,
    headSidecarContainers: [],
    featureGates: { RayClusterHistoryServer: true, RayClusterMTLS: true },
  };
  const head = buildHeadPod(rc, config);
  const out: unknown[] = [head, buildHeadService(rc, config)];
  (rc.spec.workerGroupSpecs ?? []).forEach((g, i) => {
    const multi = (g.numOfHosts ?? 1) > 1;
    out.push(
      buildWorkerPod(
        rc,
        config,
        i,
        multi ? { replicaIndex: 0, replicaName: `${g.groupName}-abcde`, hostIndex: 0 } : { replicaIndex: 0 },
      ),
    );
  });
  if (rc.spec.enableInTreeAutoscaling) out.push(buildServiceAccount(rc), buildRole(rc), buildRoleBinding(rc));
  if (needsHeadlessService(rc)) out.push(buildHeadlessService(rc));
  if (rc.metadata.annotations?.['ray.io/enable-serve-service'] === 'true') out.push(buildServeService(rc));
  if (rc.spec.headGroupSpec.enableIngress) out.push(buildIngress(rc));
  if (rc.spec.authOptions?.mode === 'token' && !rc.spec.authOptions.secretName)
    out.push(buildAuthSecret(rc, new Uint8Array(32)));
  if (rc.spec.gcsFaultToleranceOptions?.backend === 'rocksdb') out.push(buildGcsPvc(rc));
  else if (gcsFtEnabled(rc)) out.push(buildRedisCleanupJob(rc, head, false));
  return out;
}

for (const file of readdirSync(join(dir, 'input')).sort()) {
  test(`golden: ${file}`, () => {
    const actual = stringify(desiredObjects(load(file)), {
      sortMapEntries: true,
      lineWidth: 0,
      aliasDuplicateObjects: false,
    });
    const goldenPath = join(dir, file.replace('.yaml', '.golden.yaml'));
    assert.equal(actual, readGolden(goldenPath, actual, update));
  });
}
