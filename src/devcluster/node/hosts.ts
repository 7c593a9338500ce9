import type { EndpointSlice } from '../../api/k8s-types.ts';

/** Service name -> ready endpoint addresses (and per-endpoint hostnames), merged over a service's slices. */
interface ServiceRecord {
  readonly namespace: string;
  readonly service: string;
  readonly addresses: string[];
  readonly hostnames: { hostname: string; address: string }[];
}

const SERVICE_LABEL = 'kubernetes.io/service-name';

/** Groups slices by service, keeping ready IPv4 endpoints only (an unset `ready` counts as ready). */
export function serviceRecords(slices: Iterable<EndpointSlice>): ServiceRecord[] {
  const bySvc = new Map<string, ServiceRecord>();
  for (const s of slices) {
    const svc = s.metadata.labels?.[SERVICE_LABEL];
    if (!svc || (s.addressType && s.addressType !== 'IPv4')) continue;
    const ns = s.metadata.namespace ?? 'default';
    const key = `${ns}/${svc}`;
    let rec = bySvc.get(key);
    if (!rec) {
      rec = { namespace: ns, service: svc, addresses: [], hostnames: [] };
      bySvc.set(key, rec);
    }
    for (const ep of s.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      for (const a of ep.addresses ?? []) {
        if (!rec.addresses.includes(a)) rec.addresses.push(a);
        if (ep.hostname) rec.hostnames.push({ hostname: ep.hostname, address: a });
      }
    }
  }
  for (const r of bySvc.values()) r.addresses.sort();
  return [...bySvc.values()].sort((a, b) =>
    `${a.namespace}/${a.service}`.localeCompare(`${b.namespace}/${b.service}`),
  );
}

/** What a pod's /etc/hosts says about the pod itself and the API server. */
export interface PodHostsIdentity {
  readonly namespace: string;
  readonly hostname: string;
  readonly subdomain?: string;
  readonly podIP: string;
  /** The node's bridge address, where the API server forwarder listens. */
  readonly apiServerIP: string;
}

/**
 * Renders a pod's /etc/hosts: loopback, the pod's own name, `kubernetes.default.svc` -> the node's API server
 * forwarder, and every Service with ready endpoints as `<svc>.<ns>.svc.cluster.local`, `<svc>.<ns>.svc`,
 * `<svc>.<ns>` (and `<svc>` for the pod's own namespace). No kube-proxy exists, so a Service name resolves to
 * its ready endpoint pods' IPs; the port must be the pod's (targetPort == port).
 */
export function renderHosts(id: PodHostsIdentity, services: readonly ServiceRecord[]): string {
  const lines = [
    '# Written by the kuberay-ts local node; rewritten when Services change.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
  ];
  const own = id.subdomain
    ? `${id.hostname}.${id.subdomain}.${id.namespace}.svc.cluster.local ${id.hostname}`
    : id.hostname;
  lines.push(`${id.podIP}\t${own}`);
  const api = [
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
  ];
  lines.push(`${id.apiServerIP}\t${api.join(' ')}`);
  for (const r of services) {
    if (r.namespace === 'default' && r.service === 'kubernetes') continue;
    const names = [
      `${r.service}.${r.namespace}.svc.cluster.local`,
      `${r.service}.${r.namespace}.svc`,
      `${r.service}.${r.namespace}`,
    ];
    if (r.namespace === id.namespace) names.push(r.service);
    for (const a of r.addresses) lines.push(`${a}\t${names.join(' ')}`);
    for (const h of r.hostnames)
      lines.push(`${h.address}\t${h.hostname}.${r.service}.${r.namespace}.svc.cluster.local`);
  }
  return `${lines.join('\n')}\n`;
}
