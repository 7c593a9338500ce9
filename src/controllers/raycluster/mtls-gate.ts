import type { RayClusterSpec } from '../../api/raycluster.ts';
import { DEFAULT_FEATURE_GATES } from '../../api/validation/common.ts';
import { validateRayClusterAddOns } from '../../api/validation/raycluster-addons.ts';
import { type RayCluster, tlsEnabled } from '../../builders/raycluster/index.ts';
import { Resources } from '../../k8s/resources.ts';
import { KuberayError } from '../../lib/errors.ts';
import { type CertificateLike, mtlsNotReadyReason, type SecretLike } from '../mtls/build.ts';
import { CertManager, mtlsNames, mtlsNotReadyMessage } from '../mtls/names.ts';
import type { RayClusterDeps } from './deps.ts';
import type { PodPhase } from './plan.ts';

/** The condition set while pod creation waits for the mTLS secrets (ours; KubeRay only returns the error). */
export const mtlsConditionType = 'MTLSSecretsReady';
export const mtlsNotReadyReasonName = 'MTLSSecretsNotReady';

/** Pod creation must wait for cert-manager; `detail` says what is missing. Retried on a short timer. */
export class MtlsNotReadyError extends KuberayError {
  readonly detail: string;
  constructor(detail: string) {
    super(mtlsNotReadyMessage);
    this.detail = detail;
  }
}

export const tlsRequiresCertManager = 'tlsOptions requires cert-manager, but cert-manager is not installed';

/** True when TLS applies to the cluster and cert-manager's API is not served (a spec the cluster cannot run). */
export async function tlsWithoutCertManager(deps: RayClusterDeps, rc: RayCluster): Promise<boolean> {
  if (!tlsEnabled(rc, deps.config)) return false;
  return !(await deps.client.hasResource('cert-manager.io', 'v1', 'certificates'));
}

/**
 * The TLS rules of §3.3 (no user-set RAY_USE_TLS/RAY_TLS_* env, no `ray-tls` volume or /etc/ray/tls mount in the
 * Ray, head, worker or autoscaler containers), via the API validation; the message, or undefined.
 */
export function tlsSpecProblem(rc: RayCluster, config: RayClusterDeps['config']): string | undefined {
  if (!tlsEnabled(rc, config)) return undefined;
  const spec = {
    ...rc.spec,
    historyServerOptions: undefined,
    authOptions: undefined,
    networkPolicy: undefined,
  } as unknown as RayClusterSpec;
  const problem = validateRayClusterAddOns(spec, { ...DEFAULT_FEATURE_GATES, RayClusterMTLS: true });
  return problem ? `spec.${problem.field}: ${problem.message}` : undefined;
}

const createsPods = (phases: readonly PodPhase[]) =>
  phases.some((p) => p.actions.some((a) => a.type === 'createHead' || a.type === 'createWorker'));

/**
 * KubeRay's gate (raycluster.md §2.12): with mTLS on, no pod is created until both leaf Certificates are Ready at
 * their current generation and both Secrets hold tls.crt, tls.key and ca.crt. Reads them from the API server,
 * and only when the plan creates pods (steady state costs nothing). Throws MtlsNotReadyError otherwise.
 */
export async function checkMtlsBeforeCreate(
  deps: RayClusterDeps,
  rc: RayCluster,
  phases: readonly PodPhase[],
): Promise<void> {
  if (!tlsEnabled(rc, deps.config) || !createsPods(phases)) return;
  const ns = rc.metadata.namespace ?? '';
  const c = rc.metadata.name ?? '';
  const [head, worker, headSecret, workerSecret] = await Promise.all([
    deps.client.getOrUndefined(CertManager.certificates, ns, mtlsNames.headCertificate(c)),
    deps.client.getOrUndefined(CertManager.certificates, ns, mtlsNames.workerCertificate(c)),
    deps.client.getOrUndefined(Resources.secrets, ns, mtlsNames.headSecret(c)),
    deps.client.getOrUndefined(Resources.secrets, ns, mtlsNames.workerSecret(c)),
  ]);
  const reason = mtlsNotReadyReason(
    c,
    { head: head as CertificateLike | undefined, worker: worker as CertificateLike | undefined },
    { head: headSecret as SecretLike | undefined, worker: workerSecret as SecretLike | undefined },
  );
  if (reason) throw new MtlsNotReadyError(reason);
}
