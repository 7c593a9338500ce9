import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { RestClient } from '../../../src/k8s/rest.ts';
import { eventually } from '../../support/cluster.ts';
import { apply, type K8sObject, repoRoot } from './helm.ts';

export const crdSourceDir = join(repoRoot, 'config', 'crd', 'bases');

/** The generated ray.io CRDs (config/crd/bases), or [] when none are generated yet. */
export function generatedCrds(): K8sObject[] {
  if (!existsSync(crdSourceDir)) return [];
  return readdirSync(crdSourceDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(crdSourceDir, f), 'utf8')).map((d) => d.toJS()))
    .filter((o): o is K8sObject => o?.kind === 'CustomResourceDefinition');
}

let installed: Promise<boolean> | undefined;

/**
 * Installs the generated CRDs into the test cluster (server-side apply, so it is idempotent and shares
 * the CRDs with other suites) and waits until they are Established. False when there are none yet.
 */
export function installRayCrds(client: RestClient): Promise<boolean> {
  installed ??= (async () => {
    const crds = generatedCrds();
    for (const crd of crds) await apply(client, crd, '');
    for (const crd of crds) {
      await eventually(
        async () => {
          const live = await client.request<K8sObject>(
            'GET',
            `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
          );
          const established = (live.status?.conditions ?? []).some(
            (c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True',
          );
          if (!established) throw new Error(`${crd.metadata.name} not Established yet`);
        },
        { timeoutMs: 30_000 },
      );
    }
    return crds.length > 0;
  })();
  return installed;
}
