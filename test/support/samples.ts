import { join } from 'node:path';

/**
 * KubeRay's sample manifests: the `shared/kuberay-samples` folder beside the repository (as laid out for
 * developers and CI), or KUBERAY_SAMPLES_DIR.
 */
export const samplesDir: string =
  process.env.KUBERAY_SAMPLES_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'kuberay-samples');
