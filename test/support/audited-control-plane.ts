import { join } from 'node:path';
import { ControlPlane } from '../../src/devcluster/controlplane.ts';
import { auditOption } from './audit.ts';

/**
 * A private control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, 2 KWOK nodes) whose API
 * server writes an audit log at level Metadata (ControlPlaneOptions.auditLog), one JSON event a line: into the
 * run's audit directory when KUBERAY_TS_AUDIT_DIR is set (so the run-wide RBAC check reads it too), else into
 * `dir`/audit.log.
 */
export async function startAuditedControlPlane(dir: string): Promise<{ cp: ControlPlane; auditLog: string }> {
  const auditLog = auditOption('audited').auditLog ?? join(dir, 'audit.log');
  const cp = await ControlPlane.start({ controllerManager: true, scheduler: true, kwokNodes: 2, auditLog });
  return { cp, auditLog };
}
