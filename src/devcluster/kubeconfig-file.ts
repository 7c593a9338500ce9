import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** Renders an admin kubeconfig that embeds the CA and client certificate (portable: no file paths). */
export function renderKubeconfig(
  server: string,
  caCert: string,
  cert: string,
  key: string,
  name = 'kuberay-ts-local',
): string {
  const b64 = (p: string) => readFileSync(p).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': b64(caCert) } }],
    users: [
      { name: `${name}-admin`, user: { 'client-certificate-data': b64(cert), 'client-key-data': b64(key) } },
    ],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
  });
}
