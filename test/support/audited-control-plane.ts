import { join } from 'node:path';
import { ControlPlane } from '../../src/devcluster/controlplane.ts';
import { auditOption } from './audit.ts';

/**
 * A private control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, 2 KWOK nodes) whose API
 * server writes an audit log at level Metadata (ControlPlaneOptions.auditLog), one JSON event a line: into the
 * run's audit directory when KUBERAY_TS_AUDIT_DIR is set (so the run-wide RBAC check reads it too), else into
 * `dir`/audit.log.
 */
export async function startAuditedControlPlane(
  dir: string,
  options: {
    /** Only the API server and etcd (no controller manager, scheduler or nodes): enough to audit API calls. */
    apiOnly?: boolean;
    /** More kube-apiserver flags (e.g. an admission plugin to enable). */
    apiserverArgs?: readonly string[];
  } = {},
): Promise<{ cp: ControlPlane; auditLog: string }> {
  const auditLog = auditOption('audited').auditLog ?? join(dir, 'audit.log');
  const cp = await ControlPlane.start({
    controllerManager: !options.apiOnly,
    scheduler: !options.apiOnly,
    kwokNodes: options.apiOnly ? 0 : 2,
    auditLog,
    ...(options.apiserverArgs ? { apiserverArgs: options.apiserverArgs } : {}),
  });
  return { cp, auditLog };
}
