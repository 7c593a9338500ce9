import type { RestClient } from '../k8s/rest.ts';
import { KuberayError } from '../lib/errors.ts';
import { HttpDashboardClient, type RayDashboardClient } from './dashboard-client.ts';
import { HttpProxyClient, type RayHttpProxyClient } from './proxy-client.ts';
import {
  directTransport,
  podProxyPath,
  proxyTransport,
  serviceProxyPath,
  type Transport,
} from './transport.ts';

/** Which dashboard to talk to; computed by the controller from the RayCluster and the CR status. */
export interface DashboardTarget {
  readonly namespace: string;
  readonly clusterName: string;
  /** `host:port` (no scheme), e.g. RayJob `status.dashboardURL` or `<head-svc>.<ns>.svc.<domain>:8265`. */
  readonly dashboardUrl: string;
  /** The head Service name (`status.head.serviceName` or `<cluster>-head-svc`), used through the API-server proxy. */
  readonly headServiceName: string;
  /** Set when the cluster uses Ray token auth: the Secret holding key `auth_token`. */
  readonly authSecretName?: string;
}

/** Builds a dashboard client for one cluster. Controllers receive one of these so tests can inject a fake. */
export type DashboardClientFactory = (target: DashboardTarget) => Promise<RayDashboardClient>;

/** A serve proxy on one pod, for the RayService health check. */
export interface ProxyTarget {
  readonly namespace: string;
  readonly podName: string;
  readonly podIp: string;
  readonly port: number;
}
export type HttpProxyClientFactory = (target: ProxyTarget) => RayHttpProxyClient;

export class DashboardClientError extends KuberayError {}

export interface HttpFactoryOptions {
  /** The operator's API-server client: used for the proxy and to read auth Secrets. */
  readonly rest: RestClient;
  /** Reach the dashboard through `/api/v1/namespaces/{ns}/services/{svc}:dashboard/proxy` (10 s timeout). */
  readonly useKubernetesProxy?: boolean;
}

export function httpDashboardClientFactory(options: HttpFactoryOptions): DashboardClientFactory {
  return async (target) => {
    const transport: Transport = options.useKubernetesProxy
      ? proxyTransport(options.rest, serviceProxyPath(target.namespace, target.headServiceName))
      : directTransport(target.dashboardUrl);
    const authToken = target.authSecretName
      ? await readAuthToken(options.rest, target.namespace, target.authSecretName)
      : undefined;
    return new HttpDashboardClient({ transport, ...(authToken ? { authToken } : {}) });
  };
}

export function httpProxyClientFactory(options: HttpFactoryOptions): HttpProxyClientFactory {
  return (target) =>
    new HttpProxyClient(
      options.useKubernetesProxy
        ? proxyTransport(options.rest, podProxyPath(target.namespace, target.podName, target.port))
        : directTransport(`${target.podIp}:${target.port}`),
    );
}

/** Reads key `auth_token` of a Secret; a missing Secret or key is an error. */
export async function readAuthToken(
  rest: RestClient,
  namespace: string,
  secretName: string,
): Promise<string> {
  let secret: { data?: Record<string, string> } | undefined;
  try {
    secret = await rest.request('GET', `/api/v1/namespaces/${namespace}/secrets/${secretName}`);
  } catch (cause) {
    throw new DashboardClientError(`cannot read auth Secret ${namespace}/${secretName}`, { cause });
  }
  const encoded = secret?.data?.auth_token;
  if (!encoded)
    throw new DashboardClientError(`auth Secret ${namespace}/${secretName} has no key auth_token`);
  return Buffer.from(encoded, 'base64').toString('utf8');
}
