import { tlsSecretName } from '../../builders/raycluster/tls.ts';
import { registerResource } from '../../k8s/resources.ts';

/** cert-manager's kinds (cert-manager.io/v1); optional, so not in the base registry. */
export const CertManager = {
  issuers: registerResource({
    group: 'cert-manager.io',
    version: 'v1',
    plural: 'issuers',
    kind: 'Issuer',
    namespaced: true,
  }),
  certificates: registerResource({
    group: 'cert-manager.io',
    version: 'v1',
    plural: 'certificates',
    kind: 'Certificate',
    namespaced: true,
  }),
} as const;

/** Names of the mTLS objects of cluster `c`. */
export const mtlsNames = {
  selfSignedIssuer: (c: string) => `ray-selfsigned-issuer-${c}`,
  caIssuer: (c: string) => `ray-ca-issuer-${c}`,
  caCertificate: (c: string) => `ray-ca-certificate-${c}`,
  headCertificate: (c: string) => `ray-head-cert-${c}`,
  workerCertificate: (c: string) => `ray-worker-cert-${c}`,
  headSecret: (c: string) => tlsSecretName(c, 'head'),
  workerSecret: (c: string) => tlsSecretName(c, 'worker'),
  /** The CA key pair; the uid prefix keeps a recreated cluster of the same name from reusing an old CA. */
  caSecret: (c: string, uid: string) => `${c}-ca-secret-${uid.slice(0, 8)}`,
} as const;

/** The error the RayCluster controller returns while the leaf certificates are not usable yet. */
export const mtlsNotReadyMessage = 'mTLS secrets not ready';
