import type { Pod, RayCluster } from '../../api/index.ts';
import { clusterChildLabels, headFqdn, label, ownerReference } from '../../builders/raycluster/index.ts';
import type { KubeObject, OwnerReference } from '../../k8s/objects.ts';
import { mtlsNames } from './names.ts';

/**
 * The cert-manager objects of an mTLS RayCluster, pure:
 *
 *   Issuer ray-selfsigned-issuer-{c} (selfSigned)
 *     └─ Certificate ray-ca-certificate-{c}  (isCA, ~10 years, renewed 30 days before expiry) → Secret {c}-ca-secret-{uid[:8]}
 *          └─ Issuer ray-ca-issuer-{c} (ca: that Secret)
 *               ├─ Certificate ray-head-cert-{c}   (90 days, renewed 15 days before) → Secret ray-head-secret-{c}
 *               └─ Certificate ray-worker-cert-{c} (90 days, renewed 15 days before) → Secret ray-worker-secret-{c}
 *
 * Leaf SANs: the IPs of the live pods of that node type (sorted, de-duplicated) plus 127.0.0.1; DNS `localhost`,
 * and on the head certificate the head Service FQDN. All carry the cluster's child labels plus
 * `app.kubernetes.io/component` and a controller reference to the cluster.
 */

const mtlsComponent = 'kuberay-mtls';
const caDuration = '87600h';
const caRenewBefore = '720h';
const leafDuration = '2160h';
const leafRenewBefore = '360h';

export interface CertManagerObject extends KubeObject {
  apiVersion: 'cert-manager.io/v1';
  kind: 'Issuer' | 'Certificate';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    ownerReferences: OwnerReference[];
  };
  spec: Record<string, unknown>;
}

/** IPs of the cluster's live (not terminating) pods of one node type, sorted and de-duplicated. */
export function livePodIPs(pods: readonly Pod[], nodeType: 'head' | 'worker'): string[] {
  const ips = new Set<string>();
  for (const p of pods) {
    if (p.metadata.deletionTimestamp || p.metadata.labels?.[label.nodeType] !== nodeType) continue;
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const all = (p.status?.podIPs as { ip?: string }[] | undefined) ?? [];
    for (const ip of [p.status?.podIP, ...all.map((x) => x.ip)]) if (ip) ips.add(ip);
  }
  return [...ips].sort();
}

/** The leaf IP SANs: the pod IPs, then 127.0.0.1 (once). */
function leafIPs(podIPs: readonly string[]): string[] {
  return [...podIPs.filter((ip) => ip !== '127.0.0.1'), '127.0.0.1'];
}

export function buildMtlsObjects(
  rc: RayCluster,
  pods: readonly Pod[],
  clusterDomain: string,
): CertManagerObject[] {
  const c = rc.metadata.name ?? '';
  const meta = (name: string) => ({
    name,
    namespace: rc.metadata.namespace ?? '',
    labels: { ...clusterChildLabels(c), 'app.kubernetes.io/component': mtlsComponent },
    ownerReferences: [ownerReference(rc)],
  });
  const issuerRef = (name: string) => ({ name, kind: 'Issuer', group: 'cert-manager.io' });
  const obj = (kind: 'Issuer' | 'Certificate', name: string, spec: Record<string, unknown>) =>
    ({ apiVersion: 'cert-manager.io/v1', kind, metadata: meta(name), spec }) as CertManagerObject;
  const leaf = (nodeType: 'head' | 'worker', secretName: string, dnsNames: string[]) => ({
    secretName,
    commonName: `ray-${nodeType}-${c}`.slice(0, 64),
    duration: leafDuration,
    renewBefore: leafRenewBefore,
    dnsNames,
    ipAddresses: leafIPs(livePodIPs(pods, nodeType)),
    usages: ['server auth', 'client auth', 'digital signature', 'key encipherment'],
    privateKey: { algorithm: 'RSA', size: 2048, rotationPolicy: 'Always' },
    issuerRef: issuerRef(mtlsNames.caIssuer(c)),
  });
  return [
    obj('Issuer', mtlsNames.selfSignedIssuer(c), { selfSigned: {} }),
    obj('Certificate', mtlsNames.caCertificate(c), {
      isCA: true,
      commonName: `ray-ca-${c}`.slice(0, 64),
      secretName: mtlsNames.caSecret(c, rc.metadata.uid ?? ''),
      duration: caDuration,
      renewBefore: caRenewBefore,
      privateKey: { algorithm: 'RSA', size: 2048 },
      issuerRef: issuerRef(mtlsNames.selfSignedIssuer(c)),
    }),
    obj('Issuer', mtlsNames.caIssuer(c), {
      ca: { secretName: mtlsNames.caSecret(c, rc.metadata.uid ?? '') },
    }),
    obj(
      'Certificate',
      mtlsNames.headCertificate(c),
      leaf('head', mtlsNames.headSecret(c), ['localhost', headFqdn(rc, clusterDomain)]),
    ),
    obj(
      'Certificate',
      mtlsNames.workerCertificate(c),
      leaf('worker', mtlsNames.workerSecret(c), ['localhost']),
    ),
  ];
}

/** Whether `observed` already holds every field we set (a subset test, so fields cert-manager adds are kept). */
export function containsDesired(observed: unknown, desired: unknown): boolean {
  if (Array.isArray(desired))
    return (
      Array.isArray(observed) &&
      observed.length === desired.length &&
      desired.every((d, i) => containsDesired(observed[i], d))
    );
  if (desired && typeof desired === 'object') {
    if (!observed || typeof observed !== 'object') return false;
    return Object.entries(desired).every(([k, v]) =>
      containsDesired((observed as Record<string, unknown>)[k], v),
    );
  }
  return observed === desired;
}

export interface CertificateLike {
  metadata: { name?: string; generation?: number; uid?: string };
  status?: { conditions?: { type: string; status: string; observedGeneration?: number }[] };
}

export interface SecretLike {
  metadata: { name?: string };
  data?: Record<string, string>;
}

/**
 * Why the leaf certificates are not usable yet, or undefined when they are: both leaf Certificates exist and are
 * Ready at their current generation, and both Secrets hold non-empty tls.crt, tls.key and ca.crt. Pure.
 */
export function mtlsNotReadyReason(
  cluster: string,
  certs: { head?: CertificateLike | undefined; worker?: CertificateLike | undefined },
  secrets: { head?: SecretLike | undefined; worker?: SecretLike | undefined },
): string | undefined {
  for (const nodeType of ['head', 'worker'] as const) {
    const certName =
      nodeType === 'head' ? mtlsNames.headCertificate(cluster) : mtlsNames.workerCertificate(cluster);
    const cert = certs[nodeType];
    if (!cert) return `Certificate ${certName} does not exist yet`;
    const ready = cert.status?.conditions?.find((x) => x.type === 'Ready');
    if (ready?.status !== 'True') return `Certificate ${certName} is not Ready`;
    if (ready.observedGeneration !== cert.metadata.generation)
      return `Certificate ${certName} is not Ready at generation ${cert.metadata.generation}`;
    const secretName = nodeType === 'head' ? mtlsNames.headSecret(cluster) : mtlsNames.workerSecret(cluster);
    const secret = secrets[nodeType];
    if (!secret) return `Secret ${secretName} does not exist yet`;
    const missing = ['tls.crt', 'tls.key', 'ca.crt'].filter((k) => !secret.data?.[k]);
    if (missing.length) return `Secret ${secretName} lacks ${missing.join(', ')}`;
  }
  return undefined;
}
