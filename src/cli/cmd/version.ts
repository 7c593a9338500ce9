/** `kubectl ray version`: the plugin's version and the KubeRay operator's (image tag of its Deployment). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../k8s/objects.ts';
import type { Invocation, RunResult } from '../command.ts';
import { errorLine } from '../errors.ts';
import { connect } from '../kube.ts';

const deployments = {
  group: 'apps',
  version: 'v1',
  plural: 'deployments',
  kind: 'Deployment',
  namespaced: true,
};

export function pluginVersion(): string {
  const pkg = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8'),
  ) as { version: string };
  return `v${pkg.version} (kuberay-ts)`;
}

/** The tag of an image reference (`repo:tag`, `repo@sha256:...`, `repo:tag@sha256:...`); `latest` when none. */
export function imageTag(image: string): string {
  if (image.includes('@sha256:') && image.split(':').length === 3) return image.slice(image.indexOf(':') + 1);
  const noDigest = image.split('@')[0]!;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(colon + 1) : 'latest';
}

export async function version(inv: Invocation): Promise<RunResult> {
  inv.io.out.write(`kubectl ray plugin version: ${pluginVersion()}\n`);
  let operator: string;
  try {
    const kube = connect(inv);
    try {
      const list = await kube.client.list<
        KubeObject & { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }
      >(deployments, {
        labelSelector: 'app.kubernetes.io/name in (kuberay-operator,kuberay)',
      });
      const d = list.items[0];
      if (!d) throw new Error('no KubeRay operator deployments found in any namespace');
      const image = d.spec?.template?.spec?.containers?.[0]?.image;
      if (!image) throw new Error('no containers found in KubeRay operator deployment');
      operator = imageTag(image);
    } finally {
      kube.close();
    }
  } catch (e) {
    inv.io.out.write(
      `warning: KubeRay operator installation cannot be found: ${errorLine(e)}. Did you install it with the name "kuberay-operator"?\n`,
    );
    return 0;
  }
  inv.io.out.write(`KubeRay operator version: ${operator}\n`);
  return 0;
}
