import type { RayCluster } from '../../api/index.ts';

const maxNameLength = 50;
const maxLabelLength = 63;
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
/** Go's unicode.IsPunct over ASCII: the printable non-alphanumeric characters except symbols $+<=>^`|~. */
const isPunct = (c: string | undefined) => c !== undefined && /^[!"#%&'()*,\-./:;?@[\\\]_{}]$/.test(c);

/** KubeRay's CheckName: keep the last 50 characters, then a leading digit or punctuation becomes 'r'. */
export function checkName(s: string): string {
  let out = s.length > maxNameLength ? s.slice(s.length - maxNameLength) : s;
  if (isDigit(out[0])) out = `r${out.slice(1)}`;
  if (isPunct(out[0])) out = `r${out.slice(1)}`;
  return out;
}

/** KubeRay's CheckLabel: keep the last 63 characters, then a leading punctuation character becomes 'r'. */
export function checkLabel(s: string): string {
  let out = s.length > maxLabelLength ? s.slice(s.length - maxLabelLength) : s;
  if (isPunct(out[0])) out = `r${out.slice(1)}`;
  return out;
}

/** KubeRay's PodName: prefix cut to 50 characters, lowercased, plus `-head`/`-worker`, plus `-` for generateName. */
export function podName(prefix: string, nodeType: 'head' | 'worker', generate: boolean): string {
  const base = `${prefix.slice(0, maxNameLength).toLowerCase()}-${nodeType}`;
  return generate ? `${base}-` : base;
}

export function headPodGenerateName(cluster: string): string {
  return podName(cluster, 'head', true);
}

export function workerPodGenerateName(cluster: string, group: string): string {
  return podName(`${cluster}-${group}`, 'worker', true);
}

export function defaultHeadServiceName(cluster: string): string {
  return `${cluster}-head-svc`;
}

export function headServiceName(rc: RayCluster): string {
  return rc.spec.headGroupSpec.headService?.metadata?.name || defaultHeadServiceName(rc.metadata.name ?? '');
}

export function serveServiceName(cluster: string): string {
  return `${cluster}-serve-svc`;
}

export function headlessServiceName(cluster: string): string {
  return `${cluster}-headless`;
}

export function headFqdn(rc: RayCluster, clusterDomain: string): string {
  return `${headServiceName(rc)}.${rc.metadata.namespace}.svc.${clusterDomain || 'cluster.local'}`;
}

/** The deprecated RAY_IP: the first DNS label of the head FQDN. */
export function rayIp(fqdn: string): string {
  return fqdn.split('.')[0] ?? fqdn;
}

export function headPort(rc: RayCluster): string {
  return rc.spec.headGroupSpec.rayStartParams?.port || '6379';
}

export function ingressName(cluster: string): string {
  return checkName(`${cluster}-head-ingress`);
}

/** KubeRay's CheckRouteName: cut to 51 - len(namespace) characters, then CheckName. */
export function routeName(cluster: string, namespace: string): string {
  const name = `${cluster}-head-route`;
  const max = Math.max(0, 51 - namespace.length);
  return checkName(name.length > max ? name.slice(0, max) : name);
}

export function redisCleanupJobName(cluster: string): string {
  return checkLabel(`${cluster}-redis-cleanup`);
}

export function gcsPvcName(cluster: string): string {
  return `${cluster}-gcs-pvc`;
}

export function identifier(cluster: string, nodeType: 'head' | 'worker'): string {
  return checkLabel(`${cluster}-${nodeType}`);
}
