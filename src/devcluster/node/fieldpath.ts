import type { Pod } from '../../api/k8s-types.ts';

/** Renders a label/annotation map the way the downward API does: sorted `key="value"` lines. */
function renderMap(m: Readonly<Record<string, string>> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/**
 * Resolves a downward-API fieldPath against a pod. Returns undefined for a path the API does not support;
 * a supported path whose value is unset gives ''.
 */
export function resolveFieldPath(pod: Pod, path: string): string | undefined {
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) {
    const m = sub[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return m?.[sub[2]!] ?? '';
  }
  const s = pod.status ?? {};
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? 'default';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return renderMap(pod.metadata.labels);
    case 'metadata.annotations':
      return renderMap(pod.metadata.annotations);
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? 'default';
    case 'status.hostIP':
      return s.hostIP ?? '';
    case 'status.hostIPs':
      return (s.hostIPs ?? []).map((x) => x.ip).join(',');
    case 'status.podIP':
      return s.podIP ?? '';
    case 'status.podIPs':
      return (s.podIPs ?? []).map((x) => x.ip).join(',');
    default:
      return undefined;
  }
}
