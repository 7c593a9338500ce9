/**
 * The audit policy of a development control plane with the audit log on (ControlPlaneOptions.auditLog): every
 * resource request at level Metadata (who, verb, group, resource, subresource, namespace, user agent, response
 * code; no bodies), but not the two kinds of traffic that dominate an idle cluster and never come from the
 * operator: node heartbeats (Leases in kube-node-lease, Node status) and non-resource URLs (health checks,
 * discovery, /version). Selecting the operator's requests by user agent is not possible in a policy (rules
 * select users and groups, and the tests' in-process operators share the admin user), so readers filter.
 */
export const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
omitManagedFields: true
rules:
- level: None
  namespaces: [kube-node-lease]
  resources: [{ group: coordination.k8s.io, resources: [leases] }]
- level: None
  resources: [{ group: "", resources: [nodes/status] }]
- level: None
  nonResourceURLs: ["*"]
- level: Metadata
`;

/** kube-apiserver flags that write the audit log to `logFile` with the policy in `policyFile`. */
export function auditArgs(policyFile: string, logFile: string): string[] {
  return [
    `--audit-policy-file=${policyFile}`,
    `--audit-log-path=${logFile}`,
    // One file for the whole run, never rotated (readers stream it line by line). 0 is not "no limit": the
    // API server's log writer then rotates at its default of 100 MiB (a CI run's shared log passes that, and
    // the check missed the rotated part), so the limit is set far above any run's log (1 TiB).
    '--audit-log-maxsize=1048576',
    '--audit-log-maxbackup=0',
  ];
}
