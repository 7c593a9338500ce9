import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ControlPlane } from '../../src/devcluster/controlplane.ts';

/**
 * A private control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, 2 KWOK nodes) whose API
 * server writes an audit log of every request at level Metadata into `dir`/audit.log (one JSON event a line).
 */
export async function startAuditedControlPlane(
  dir: string,
  /** Only the API server and etcd (no controller manager, scheduler or nodes): enough to audit API calls. */
  options: { apiOnly?: boolean } = {},
): Promise<{ cp: ControlPlane; auditLog: string }> {
  const policy = join(dir, 'audit-policy.yaml');
  const auditLog = join(dir, 'audit.log');
  writeFileSync(
    policy,
    'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n',
  );
  const cp = await ControlPlane.start({
    controllerManager: !options.apiOnly,
    scheduler: !options.apiOnly,
    kwokNodes: options.apiOnly ? 0 : 2,
    apiserverArgs: [`--audit-policy-file=${policy}`, `--audit-log-path=${auditLog}`, '--audit-log-maxsize=0'],
  });
  return { cp, auditLog };
}
