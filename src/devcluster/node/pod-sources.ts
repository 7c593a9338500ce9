import type { Pod } from '../../api/k8s-types.ts';
import { isNotFound } from '../../k8s/api-error.ts';
import type { RestClient } from '../../k8s/rest.ts';
import type { PodSources } from './env.ts';
import { podReferences } from './volumes.ts';

/** Issues a token for the pod's service account through the TokenRequest API. */
export async function requestToken(
  client: RestClient,
  pod: Pod,
  audience: string | undefined,
  expirationSeconds: number,
): Promise<string> {
  const { namespace, name, uid } = pod.metadata;
  const sa = pod.spec.serviceAccountName ?? 'default';
  const res = await client.request<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/${sa}/token`,
    {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: {
          audiences: audience ? [audience] : [],
          expirationSeconds,
          // A token can be bound to the pod only when the pod names its service account (admission defaults it).
          ...(pod.spec.serviceAccountName
            ? { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name, uid } }
            : {}),
        },
      },
    },
  );
  return res.status.token;
}

/** Reads every ConfigMap and Secret the pod refers to (decoded); a missing one is simply absent. */
export async function fetchSources(client: RestClient, pod: Pod): Promise<PodSources> {
  const ns = pod.metadata.namespace ?? 'default';
  const refs = podReferences(pod);
  const get = async (kind: 'configmaps' | 'secrets', name: string) => {
    try {
      const obj = await client.request<{
        data?: Record<string, string>;
        binaryData?: Record<string, string>;
      }>('GET', `/api/v1/namespaces/${ns}/${kind}/${name}`);
      const data: Record<string, string> = {};
      for (const [k, v] of Object.entries(obj.data ?? {}))
        data[k] = kind === 'secrets' ? Buffer.from(v, 'base64').toString('utf8') : v;
      for (const [k, v] of Object.entries(obj.binaryData ?? {}))
        data[k] = Buffer.from(v, 'base64').toString('utf8');
      return [name, data] as const;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const cms = await Promise.all(refs.configMaps.map((n) => get('configmaps', n)));
  const secrets = await Promise.all(refs.secrets.map((n) => get('secrets', n)));
  return {
    configMaps: new Map(cms.filter((x) => x !== undefined)),
    secrets: new Map(secrets.filter((x) => x !== undefined)),
  };
}
