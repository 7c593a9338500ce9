import type { Container, EnvVar, RayCluster, Volume } from '../../api/index.ts';
import { copyJson } from '../../lib/copy.ts';
import type { BuilderConfig } from './config.ts';
import { gateEnabled } from './config.ts';
import type { NodeType } from './labels.ts';

/** mTLS pod wiring: the cert-manager Secret of the node type, mounted read-only in Ray containers. */
export const tlsVolumeName = 'ray-tls';
export const tlsMountPath = '/etc/ray/tls';
export const waitForTlsIpSanName = 'wait-for-tls-ip-san';

/** mTLS applies when the RayClusterMTLS gate is on and `tlsOptions.enabled` is true. */
export function tlsEnabled(rc: RayCluster, config: Pick<BuilderConfig, 'featureGates'>): boolean {
  return gateEnabled(config, 'RayClusterMTLS') && rc.spec.tlsOptions?.enabled === true;
}

/** The Secret cert-manager writes for the head or worker Certificate: `ray-head-secret-{c}` / `ray-worker-secret-{c}`. */
export function tlsSecretName(cluster: string, nodeType: NodeType): string {
  return `ray-${nodeType}-secret-${cluster}`;
}

/** The four TLS env vars, in the order they are appended. */
export function tlsEnv(): EnvVar[] {
  return [
    { name: 'RAY_USE_TLS', value: '1' },
    { name: 'RAY_TLS_SERVER_CERT', value: `${tlsMountPath}/tls.crt` },
    { name: 'RAY_TLS_SERVER_KEY', value: `${tlsMountPath}/tls.key` },
    { name: 'RAY_TLS_CA_CERT', value: `${tlsMountPath}/ca.crt` },
  ];
}

/**
 * Adds the TLS env vars that are not yet set and the `ray-tls` mount (unless something is already mounted under
 * that name or at /etc/ray/tls). Used for the Ray container, wait-gcs-ready and the autoscaler.
 */
export function applyTls(container: Container): Container {
  const env = [...(container.env ?? [])];
  for (const v of tlsEnv()) if (!env.some((e) => e.name === v.name)) env.push(v);
  const mounts = [...(container.volumeMounts ?? [])];
  if (!mounts.some((m) => m.name === tlsVolumeName || m.mountPath === tlsMountPath))
    mounts.push({ name: tlsVolumeName, mountPath: tlsMountPath, readOnly: true });
  return { ...container, env, volumeMounts: mounts };
}

export function tlsVolume(cluster: string, nodeType: NodeType): Volume {
  return { name: tlsVolumeName, secret: { secretName: tlsSecretName(cluster, nodeType) } };
}

/**
 * The shell loop of `wait-for-tls-ip-san`: cert-manager reissues the leaf certificate once the pod has an IP, so
 * Ray must not start before the mounted certificate names that IP (peers would reject the handshake otherwise).
 */
export const waitForTlsIpSanScript = [
  `cert=${tlsMountPath}/tls.crt`,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  'ip="${POD_IP:-$(hostname -i 2>/dev/null | cut -d" " -f1)}"',
  'command -v openssl >/dev/null 2>&1 || { echo "openssl is required to check the certificate IP SANs" >&2; exit 1; }',
  'echo "waiting until $cert lists IP Address:$ip"',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  'until openssl x509 -in "$cert" -noout -text 2>/dev/null | grep -Eq "IP Address:${ip}([^0-9.]|\\$)"; do',
  '  echo "IP SAN $ip not in the certificate yet; checking again in 5s"',
  '  sleep 5',
  'done',
  'echo "certificate lists IP Address:$ip"',
].join('\n');

/** The first init container under mTLS: the Ray image, 50m/64Mi, waits for the pod IP in the certificate. */
export function waitForTlsIpSanContainer(rayContainer: Container): Container {
  const c: Container = {
    name: waitForTlsIpSanName,
    image: rayContainer.image,
    imagePullPolicy: rayContainer.imagePullPolicy,
    command: ['sh', '-c'],
    args: [waitForTlsIpSanScript],
    env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
    volumeMounts: [{ name: tlsVolumeName, mountPath: tlsMountPath, readOnly: true }],
    resources: { limits: { cpu: '50m', memory: '64Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
  };
  if (rayContainer.securityContext) c.securityContext = copyJson(rayContainer.securityContext);
  return c;
}
