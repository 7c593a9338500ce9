/**
 * `kubectl ray log --link gke`: a Google Cloud Logging link to a Ray cluster's container logs, as KubeRay's
 * plugin prints it. GKE exports pod labels as `k8s-pod/<label>` with `.` replaced by `_`; the project comes
 * from a GKE context name (`gke_<project>_<location>_<cluster>`).
 */
interface GkeLinkInput {
  readonly namespace: string;
  readonly cluster: string;
  readonly nodeType: 'all' | 'head' | 'worker';
  /** The kubectl context in use; its project goes into the link when it is a GKE context. */
  readonly context: string | undefined;
}

interface GkeLink {
  readonly url: string;
  /** What may make the link not work (printed on stderr). */
  readonly warnings: readonly string[];
}

export function gkeLogLink(i: GkeLinkInput): GkeLink {
  const query = [
    'resource.type="k8s_container"',
    `resource.labels.namespace_name="${i.namespace}"`,
    `labels."k8s-pod/ray_io/cluster"="${i.cluster}"`,
    i.nodeType === 'all'
      ? 'labels."k8s-pod/ray_io/is-ray-node"="yes"'
      : `labels."k8s-pod/ray_io/node-type"="${i.nodeType}"`,
  ].join('\n');
  // Go's url.QueryEscape: spaces as '+', everything but [A-Za-z0-9-_.~] percent-encoded.
  const queryEscape = (s: string) =>
    encodeURIComponent(s)
      .replace(/%20/g, '+')
      .replace(/[!'()*]/g, hex);
  let url = `https://console.cloud.google.com/logs/query;query=${queryEscape(query)}`;
  const warnings: string[] = [];
  const project = i.context?.startsWith('gke_') ? i.context.split('_')[1] : undefined;
  if (project) url += `?project=${queryEscape(project)}`;
  else
    warnings.push(
      'Warning: The current kubectl context does not appear to be a GKE cluster. The generated link may not work.',
    );
  return { url, warnings };
}

function hex(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
}
