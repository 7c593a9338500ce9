import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { operatorUserAgent } from '../../src/k8s/user-agent.ts';

/**
 * The RBAC audit of a test run (docs/reliability.md): when KUBERAY_TS_AUDIT_DIR names a directory, every control
 * plane the runner and the test harnesses start writes its API server's audit log there, and every operator the
 * tests start names itself in its user agent; `scripts/check-rbac-audit.ts` reads them all at the end.
 */
export const AUDIT_DIR_ENV = 'KUBERAY_TS_AUDIT_DIR';
/** Read by src/main/operator.ts: the instance name in the operator's user agent. */
export const OPERATOR_INSTANCE_ENV = 'KUBERAY_TS_OPERATOR_INSTANCE';

/** The test file this process runs (node --test runs each file in a process of its own), e.g. `basic.test.ts`. */
export function testFileName(): string {
  return basename(process.argv[1] ?? 'unknown');
}

/** A fresh audit log file in `dir`, named after `label` (the directory is created if needed). */
export function auditLogFile(dir: string, label: string): string {
  mkdirSync(dir, { recursive: true });
  const safe = label.replace(/[^A-Za-z0-9._-]/g, '_');
  return join(dir, `${safe}-${process.pid}-${randomBytes(3).toString('hex')}.audit.log`);
}

/** `{ auditLog }` for ControlPlane.start when the run audits (KUBERAY_TS_AUDIT_DIR set), else `{}`. */
export function auditOption(kind: string, env = process.env): { auditLog?: string } {
  const dir = env[AUDIT_DIR_ENV];
  return dir ? { auditLog: auditLogFile(dir, `${kind}-${testFileName()}`) } : {};
}

let started = 0;
/**
 * A name for the next operator this test file starts: `<file>#<n>` (n counts the operators of this process),
 * then `label` if given (e.g. `leader-failover.test.ts#2-replica-b`). The audit check groups by file.
 */
export function operatorInstance(label?: string): string {
  started++;
  return `${testFileName()}#${started}${label ? `-${label}` : ''}`;
}

/** The user agent of an operator run in-process by a test harness (its own client, apart from the test's). */
export function inProcessOperatorUserAgent(label?: string): string {
  return operatorUserAgent('test', operatorInstance(label));
}

/** Env for an operator process the tests start (`src/main/operator.ts` puts it in its user agent). */
export function operatorProcessEnv(label?: string): Record<string, string> {
  return { [OPERATOR_INSTANCE_ENV]: operatorInstance(label) };
}
