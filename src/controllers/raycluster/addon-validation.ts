import type { RayClusterSpec } from '../../api/raycluster.ts';
import { DEFAULT_FEATURE_GATES } from '../../api/validation/common.ts';
import { validateRayClusterAddOns } from '../../api/validation/raycluster-addons.ts';
import { gateEnabled, type RayCluster, tlsEnabled } from '../../builders/raycluster/index.ts';
import type { RayClusterDeps } from './deps.ts';

/**
 * The detail rules of §3.3 for the alpha add-ons whose gate is on, reusing the API validation (the gate rules
 * themselves are in validation.ts):
 * - networkPolicy: no ingress rules under DenyAllEgress, no egress rules under DenyAllIngress, every
 *   `workerGroups[]` entry names an existing group with a DNS-1123 label name;
 * - tlsOptions (enabled): no user-set RAY_USE_TLS/RAY_TLS_* env, no `ray-tls` volume or /etc/ray/tls mount in the
 *   head, worker or autoscaler containers;
 * - historyServerOptions: the collector image, the reserved env names, STORAGE_BACKEND and what each backend
 *   needs, no user container named `ray-history-collector`.
 * Returns `spec.<field>: <message>`, or undefined.
 */
export function addOnSpecProblem(rc: RayCluster, config: RayClusterDeps['config']): string | undefined {
  const np = rc.spec.networkPolicy !== undefined && gateEnabled(config, 'RayClusterNetworkPolicy');
  const tls = tlsEnabled(rc, config);
  const history =
    rc.spec.historyServerOptions !== undefined && gateEnabled(config, 'RayClusterHistoryServer');
  if (!np && !tls && !history) return undefined;
  const spec = {
    ...rc.spec,
    historyServerOptions: history ? rc.spec.historyServerOptions : undefined,
    authOptions: undefined,
    networkPolicy: np ? rc.spec.networkPolicy : undefined,
    tlsOptions: tls ? rc.spec.tlsOptions : undefined,
  } as unknown as RayClusterSpec;
  const problem = validateRayClusterAddOns(spec, {
    ...DEFAULT_FEATURE_GATES,
    RayClusterNetworkPolicy: np,
    RayClusterMTLS: tls,
    RayClusterHistoryServer: history,
  });
  return problem ? `spec.${problem.field}: ${problem.message}` : undefined;
}
