import type { RayCluster, WorkerGroupSpec } from '../../api/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { goSpecHash } from '../common/hashing.ts';

export { base32HexEncode, stableJson } from '../common/hashing.ts';

/**
 * The spec hash of the Recreate upgrade strategy: SHA-1 of Go's JSON of the spec (as for the RayService
 * hash, src/api/go-json.ts) with replica counts, workersToDelete, tolerations, schedulingGates and
 * upgradeStrategy removed, base32hex encoded.
 */
export function clusterSpecHash(rc: RayCluster): string {
  const spec = copyJson(rc.spec);
  delete spec.upgradeStrategy;
  delete spec.headGroupSpec.template.spec.tolerations;
  delete spec.headGroupSpec.template.spec.schedulingGates;
  for (const g of spec.workerGroupSpecs ?? []) {
    // The counts are required in the type (the API server defaults them): delete through a wider view.
    const counts: Partial<Pick<WorkerGroupSpec, 'replicas' | 'minReplicas' | 'maxReplicas'>> = g;
    delete counts.replicas;
    delete counts.minReplicas;
    delete counts.maxReplicas;
    if (g.scaleStrategy) delete g.scaleStrategy.workersToDelete;
    delete g.template.spec.tolerations;
    delete g.template.spec.schedulingGates;
  }
  return goSpecHash(spec);
}
