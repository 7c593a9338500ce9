import type { RayCluster } from '../../api/index.ts';
import { tlsEnabled } from '../../builders/raycluster/index.ts';
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

const createsPods = (phases: readonly PodPhase[]) =>
  phases.some((p) => p.actions.some((a) => a.type === 'createHead' || a.type === 'createWorker'));

/**
 * KubeRay's gate: with mTLS on, no pod is created until both leaf Certificates are Ready at
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
