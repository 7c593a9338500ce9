import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { RestClient } from '../../../src/k8s/rest.ts';
import { samplesDir } from '../../support/samples.ts';
import type { Obj } from './dump.ts';

/** One KubeRay sample file: its ray.io objects and the namespaced objects that come with them. */
export interface Sample {
  /** Path relative to the samples folder, e.g. `ray-job.sample.yaml`. */
  readonly name: string;
  readonly docs: Obj[];
}

/** Namespaced kinds a sample may bring along, and where they are created. */
const paths: Record<string, string> = {
  'ray.io/v1/RayCluster': '/apis/ray.io/v1/namespaces/NS/rayclusters',
  'ray.io/v1/RayJob': '/apis/ray.io/v1/namespaces/NS/rayjobs',
  'ray.io/v1/RayService': '/apis/ray.io/v1/namespaces/NS/rayservices',
  'v1/ConfigMap': '/api/v1/namespaces/NS/configmaps',
  'v1/Secret': '/api/v1/namespaces/NS/secrets',
  'v1/Service': '/api/v1/namespaces/NS/services',
  'v1/ServiceAccount': '/api/v1/namespaces/NS/serviceaccounts',
  'v1/PersistentVolumeClaim': '/api/v1/namespaces/NS/persistentvolumeclaims',
  'v1/Pod': '/api/v1/namespaces/NS/pods',
  'apps/v1/Deployment': '/apis/apps/v1/namespaces/NS/deployments',
  'apps/v1/StatefulSet': '/apis/apps/v1/namespaces/NS/statefulsets',
  'networking.k8s.io/v1/Ingress': '/apis/networking.k8s.io/v1/namespaces/NS/ingresses',
};

/**
 * Every sample file of KubeRay's `config/samples` with a ray.io object, sorted. Objects of other kinds
 * that need a CRD the test control plane does not have (Volcano/YuniKorn queues, Gateway API) or are
 * cluster-scoped are left out: both operators see the same namespace either way.
 */
export function loadSamples(filter?: string): Sample[] {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((e) => {
      const p = join(dir, e);
      return statSync(p).isDirectory() ? files(p) : /\.ya?ml$/.test(e) ? [p] : [];
    });
  const wanted = filter
    ? filter.split(',').map((f) => new RegExp(`^${f.replaceAll('.', '\\.').replaceAll('*', '.*')}$`))
    : undefined;
  return files(samplesDir)
    .sort()
    .map((file) => ({
      name: relative(samplesDir, file),
      docs: parseAllDocuments(readFileSync(file, 'utf8'), { version: '1.1' })
        .map((d) => d.toJS() as Obj | null)
        .filter((d): d is Obj => !!d && typeof d === 'object' && `${d.apiVersion}/${d.kind}` in paths),
    }))
    .filter((s) => s.docs.some((d) => d.apiVersion === 'ray.io/v1'))
    .filter((s) => !wanted || wanted.some((w) => w.test(s.name)));
}

/**
 * KubeRay's `ray-job.use-existing-raycluster.yaml` selects a RayCluster named `ray-cluster-kuberay` that no
 * sample creates: give it one (the RayCluster of `ray-cluster.sample.yaml` under that name), so the job can
 * start on both sides.
 */
export function companions(sample: Sample, all: readonly Sample[]): Obj[] {
  if (sample.name !== 'ray-job.use-existing-raycluster.yaml') return [];
  const base = all
    .find((s) => s.name === 'ray-cluster.sample.yaml')
    ?.docs.find((d) => d.kind === 'RayCluster');
  if (!base)
    throw new Error(
      'ray-cluster.sample.yaml has no RayCluster: cannot give use-existing-raycluster its cluster',
    );
  return [{ ...structuredClone(base), metadata: { name: 'ray-cluster-kuberay' } }];
}

export async function applyDocs(client: RestClient, namespace: string, docs: readonly Obj[]): Promise<void> {
  for (const d of docs) {
    const path = paths[`${d.apiVersion}/${d.kind}`]!.replace('NS', namespace);
    await client.request('POST', path, { body: { ...d, metadata: { ...d.metadata, namespace } } });
  }
}
