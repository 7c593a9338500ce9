import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { RayCluster } from '../../../src/api/index.ts';
import {
  headlessServiceName,
  headServiceName,
  serveServiceName,
} from '../../../src/builders/raycluster/index.ts';
import { cacheTransformFor } from '../../../src/controllers/common/pod-cache.ts';
import { createRayClusterController } from '../../../src/controllers/raycluster/controller.ts';
import { desiredWorkerPods } from '../../../src/controllers/raycluster/plan.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { InformerFactory } from '../../../src/runtime/informer-factory.ts';
import { inProcessOperatorUserAgent } from '../../support/audit.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';
import { samplesDir } from '../../support/samples.ts';

/** Samples the controller rejects by design, with the reason (KubeRay rejects them the same way). */
const rejected: Readonly<Record<string, RegExp>> = {
  // tlsOptions needs cert-manager, which the test control plane does not run.
  'ray-cluster.mtls.yaml': /tlsOptions|cert-manager/,
};

function loadSamples(): { file: string; rc: RayCluster }[] {
  const files = readdirSync(samplesDir).filter((f) => f.startsWith('ray-cluster') && f.endsWith('.yaml'));
  return files.sort().flatMap((file) => {
    const docs = parseAllDocuments(readFileSync(join(samplesDir, file), 'utf8'), { version: '1.1' }).map(
      (d) => d.toJS(),
    );
    return docs.filter((d) => d?.kind === 'RayCluster').map((rc) => ({ file, rc: rc as RayCluster }));
  });
}

const samples = loadSamples();

test('every KubeRay RayCluster sample reconciles to the predicted head, workers and services', {
  timeout: 240_000,
}, async (t) => {
  assert.ok(
    samples.length >= 30,
    `expected KubeRay's RayCluster samples in ${samplesDir}, found ${samples.length}`,
  );
  const cluster = await testCluster();
  await installCrds(cluster.client);
  const namespaces = await Promise.all(samples.map(() => testNamespace(t, 'sample')));
  const client = KubeClient.fromAccess(loadKubeconfig(cluster.kubeconfig), {
    qps: 0,
    userAgent: inProcessOperatorUserAgent(),
  });
  const informers = new InformerFactory({ client, namespaces, transformFor: cacheTransformFor });
  const { controller } = createRayClusterController({
    client,
    informers,
    concurrency: 4,
    config: {
      requeueSeconds: 10,
      featureGates: {
        GCSFaultToleranceEmbeddedStorage: true,
        RayClusterHistoryServer: true,
        RayClusterNetworkPolicy: true,
      },
    },
  });
  informers.start();
  controller.start();
  t.after(async () => {
    await controller.stop();
    await Promise.all(informers.informers().map((i) => i.stop()));
    client.rest.close();
  });

  await Promise.all(
    samples.map(async ({ rc }, i) => {
      rc.metadata.namespace = namespaces[i];
      // Only existence is checked here: keep the pods off the scheduler and KWOK to spare the shared cluster.
      for (const tpl of [
        rc.spec.headGroupSpec.template,
        ...(rc.spec.workerGroupSpecs ?? []).map((g) => g.template),
      ])
        tpl.spec.schedulerName = 'kuberay-ts-test-unscheduled';
      await client.create(Resources.rayClusters, rc as unknown as KubeObject);
    }),
  );

  const failures: string[] = [];
  await Promise.all(
    samples.map(async ({ file, rc }, i) => {
      const ns = namespaces[i]!;
      const name = rc.metadata.name!;
      try {
        if (rejected[file]) {
          await eventually(
            async () => {
              const got = (await client.get(Resources.rayClusters, ns, name)) as unknown as RayCluster;
              const c = got.status?.conditions?.find((x) => x.type === 'InvalidSpec');
              assert.match(c?.message ?? '', rejected[file]!);
            },
            { timeoutMs: 60_000 },
          );
          return;
        }
        const workers = (rc.spec.workerGroupSpecs ?? []).reduce((n, g) => n + desiredWorkerPods(g), 0);
        const services = [headServiceName({ ...rc, metadata: { ...rc.metadata, namespace: ns } })];
        if (rc.metadata.annotations?.['ray.io/enable-serve-service'] === 'true')
          services.push(serveServiceName(name));
        if ((rc.spec.workerGroupSpecs ?? []).some((g) => (g.numOfHosts ?? 1) > 1))
          services.push(headlessServiceName(name));
        await eventually(
          async () => {
            const pods = await client.list(Resources.pods, {
              namespace: ns,
              labelSelector: { 'ray.io/cluster': name },
            });
            const heads = pods.items.filter((p) => p.metadata.labels?.['ray.io/node-type'] === 'head');
            assert.equal(heads.length, 1, 'head pods');
            assert.equal(pods.items.length - heads.length, workers, 'worker pods');
            const svcs = (await client.list(Resources.services, { namespace: ns })).items.map(
              (s) => s.metadata.name,
            );
            for (const s of services) assert.ok(svcs.includes(s), `service ${s}`);
          },
          { timeoutMs: 90_000, intervalMs: 500 },
        );
      } catch (e) {
        const got = (await client.get(Resources.rayClusters, ns, name)) as unknown as RayCluster;
        const conds = (got.status?.conditions ?? []).map(
          (c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`,
        );
        failures.push(`${file}: ${(e as Error).message.split('\n')[0]} [${conds.join('; ')}]`);
      }
    }),
  );
  assert.deepEqual(failures, []);
});
