import type { Pod, RayCluster } from '../../api/index.ts';
import type { BuilderConfig } from '../../builders/raycluster/config.ts';
import { tlsEnabled } from '../../builders/raycluster/index.ts';
import { ApiError } from '../../k8s/api-error.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources } from '../../k8s/resources.ts';
import { KuberayError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ReconcileResult } from '../../runtime/controller.ts';
import type { CacheReader } from '../../runtime/store.ts';
import { isConditionTrue } from '../common/conditions.ts';
import { errorText } from '../common/error-text.ts';
import {
  type AddOnCluster,
  applyEach,
  type ClusterAddOnDeps,
  rayClusterSubject,
} from '../common/managed-by.ts';
import { clusterSelector } from '../common/selectors.ts';
import { buildMtlsObjects, type CertManagerObject, containsDesired } from './build.ts';
import { CertManager } from './names.ts';

class MtlsReconcileError extends KuberayError {}

interface MtlsDeps extends ClusterAddOnDeps {
  /** Ray pods (the RayCluster controller's narrowed pod cache). */
  readonly pods: CacheReader<Pod>;
  readonly issuers: CacheReader<KubeObject>;
  readonly certificates: CacheReader<KubeObject>;
  readonly config: Pick<BuilderConfig, 'featureGates' | 'clusterDomain'>;
  /** Requeue period once everything is in place (certificates are re-checked, e.g. after a renewal). */
  readonly resyncMs: number;
  /** Requeue period while a certificate is not Ready or a Secret is not owned yet. */
  readonly waitMs: number;
  /** `{certificate uid}/{secret}` pairs already owned: pod events then cost no Secret GET. */
  readonly ownedSecrets: Set<string>;
}

function certReady(cert: KubeObject | undefined): boolean {
  const status = cert?.status as { conditions?: { type: string; status: string }[] } | undefined;
  return isConditionTrue(status?.conditions, 'Ready');
}

/**
 * Reconciles the mTLS objects of one RayCluster (gate RayClusterMTLS, cert-manager installed): creates the
 * Issuers and Certificates, keeps the leaf SANs equal to the live pod IPs, and puts an ownerReference to each
 * Certificate on the Secret cert-manager writes for it (so the Secret goes when the Certificate goes). A cluster
 * whose `tlsOptions.enabled` is not true is left alone; its objects go with it (owner references).
 */
export async function reconcileMtls(
  deps: MtlsDeps,
  { ns, name, rc }: AddOnCluster,
  logger: Logger,
): Promise<ReconcileResult> {
  if (!tlsEnabled(rc, deps.config)) return {};
  const pods = deps.pods.list({ namespace: ns, labelSelector: clusterSelector(name) });
  const desired = buildMtlsObjects(rc, pods, deps.config.clusterDomain);
  await applyEach(
    desired,
    (d) =>
      ensure(
        deps,
        rc,
        d,
        (d.kind === 'Issuer' ? deps.issuers : deps.certificates).get(ns, d.metadata.name),
        logger,
      ),
    MtlsReconcileError,
  );

  let waiting = false;
  for (const d of desired.filter((x) => x.kind === 'Certificate')) {
    const cert = deps.certificates.get(ns, d.metadata.name);
    if (!cert || !certReady(cert)) {
      waiting = true;
      continue;
    }
    if (!(await ownSecret(deps, ns, cert, String(d.spec.secretName), logger))) waiting = true;
  }
  return { requeueAfter: waiting ? deps.waitMs : deps.resyncMs };
}

async function ensure(
  deps: MtlsDeps,
  rc: RayCluster,
  desired: CertManagerObject,
  observed: KubeObject | undefined,
  logger: Logger,
): Promise<string | undefined> {
  const type = desired.kind === 'Issuer' ? CertManager.issuers : CertManager.certificates;
  const what = `${desired.kind} ${desired.metadata.namespace}/${desired.metadata.name}`;
  const verb = observed ? 'Update' : 'Create';
  try {
    if (!observed) await deps.client.create(type, desired);
    else {
      const sameSpec = containsDesired(observed.spec, desired.spec);
      const sameLabels = containsDesired(observed.metadata.labels ?? {}, desired.metadata.labels);
      if (sameSpec && sameLabels) return undefined;
      // A full update (the chart grants update, not patch, on cert-manager kinds); fields we do not set are kept.
      await deps.client.update(type, {
        ...observed,
        metadata: {
          ...observed.metadata,
          labels: { ...observed.metadata.labels, ...desired.metadata.labels },
        },
        spec: { ...(observed.spec as Record<string, unknown> | undefined), ...desired.spec },
      });
    }
  } catch (e) {
    const msg = `Failed to ${verb.toLowerCase()} ${what}: ${errorText(e)}`;
    if (e instanceof ApiError && e.isConflict()) return msg; // a stale cache: retried, not worth an event
    deps.events.record(rayClusterSubject(rc), {
      type: 'Warning',
      reason: `FailedTo${verb}${desired.kind}`,
      action: verb,
      message: msg,
    });
    return msg;
  }
  deps.events.record(rayClusterSubject(rc), {
    type: 'Normal',
    reason: `${verb}d${desired.kind}`,
    action: verb,
    message: `${verb}d ${what}`,
  });
  logger.info(`${verb.toLowerCase()}d cert-manager object`, {
    kind: desired.kind,
    object: desired.metadata.name,
  });
  return undefined;
}

/** A bounded memo (entries of deleted clusters are never looked up again; the cap keeps them from piling up). */
function remember(set: Set<string>, key: string): void {
  if (set.size >= 4096) set.clear();
  set.add(key);
}

/** Adds an ownerReference to the Certificate on its Secret; false while the Secret does not exist yet. */
async function ownSecret(
  deps: MtlsDeps,
  ns: string,
  cert: KubeObject,
  secretName: string,
  logger: Logger,
): Promise<boolean> {
  const memo = `${cert.metadata.uid}/${secretName}`;
  if (deps.ownedSecrets.has(memo)) return true;
  const secret = await deps.client.getOrUndefined(Resources.secrets, ns, secretName);
  if (!secret) return false;
  const refs = secret.metadata.ownerReferences ?? [];
  if (refs.some((r) => r.uid === cert.metadata.uid)) {
    remember(deps.ownedSecrets, memo);
    return true;
  }
  const ref = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    name: cert.metadata.name ?? '',
    uid: cert.metadata.uid ?? '',
    blockOwnerDeletion: true,
  };
  await deps.client.patch(Resources.secrets, ns, secretName, {
    metadata: { ownerReferences: [...refs, ref], resourceVersion: secret.metadata.resourceVersion },
  });
  remember(deps.ownedSecrets, memo);
  logger.info('set Secret owner to its Certificate', { secret: secretName, certificate: cert.metadata.name });
  return true;
}
