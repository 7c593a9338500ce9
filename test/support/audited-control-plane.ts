import { join } from 'node:path';
import { ControlPlane } from '../../src/devcluster/controlplane.ts';

/**
 * A private control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, 2 KWOK nodes) whose API
 * server writes an audit log at level Metadata (ControlPlaneOptions.auditLog) into `dir`/audit.log (one JSON
 * event a line).
 */
export async function startAuditedControlPlane(dir: string): Promise<{ cp: ControlPlane; auditLog: string }> {
  const auditLog = join(dir, 'audit.log');
  const cp = await ControlPlane.start({ controllerManager: true, scheduler: true, kwokNodes: 2, auditLog });
  return { cp, auditLog };
}
