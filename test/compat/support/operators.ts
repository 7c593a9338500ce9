import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operatorProcessEnv } from '../../support/audit.ts';
import { kuberayOperatorPath } from '../../support/samples.ts';

const root = join(import.meta.dirname, '..', '..', '..');

/** One operator process (KubeRay's or ours) restricted to a fixed list of namespaces. */
export interface OperatorProcess {
  readonly which: 'kuberay' | 'ours';
  readonly logFile: string;
  readonly child: ChildProcess;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone. */
  stop(): Promise<void>;
}

export interface OperatorOptions {
  readonly kubeconfig: string;
  readonly namespaces: readonly string[];
  /** Extra flags (for example `--feature-gates=...`). */
  readonly flags?: readonly string[];
}

/**
 * Both operators get the same flags: `--watch-namespace` (the list is fixed at start, so the namespaces must
 * exist first), leader election off, metrics and probes on free loopback ports, webhooks off (KubeRay's
 * default: ENABLE_WEBHOOKS unset). Output goes to a log file named in failures.
 */
export function startOperator(which: 'kuberay' | 'ours', options: OperatorOptions): OperatorProcess {
  if (which === 'kuberay' && !existsSync(kuberayOperatorPath))
    throw new Error(
      `${kuberayOperatorPath} is missing: run scripts/build-kuberay.sh (part of scripts/install-deps.sh)`,
    );
  const flags = [
    `--kubeconfig=${options.kubeconfig}`,
    `--watch-namespace=${options.namespaces.join(',')}`,
    '--enable-leader-election=false',
    '--metrics-addr=127.0.0.1:0',
    '--health-probe-bind-address=127.0.0.1:0',
    '--reconcile-concurrency=4',
    ...(options.flags ?? []),
  ];
  const dir = mkdtempSync(join(tmpdir(), `compat-${which}-`));
  const logFile = join(dir, 'operator.log');
  const out = openSync(logFile, 'a');
  const [cmd, args] =
    which === 'kuberay'
      ? [kuberayOperatorPath, flags]
      : [join(root, 'node_modules', '.bin', 'node'), [join(root, 'src', 'main', 'operator.ts'), ...flags]];
  const { ENABLE_WEBHOOKS: _w, KUBECONFIG: _k, ...env } = process.env;
  if (which === 'ours') Object.assign(env, operatorProcessEnv());
  const child = spawn(cmd, args, { env, stdio: ['ignore', out, out], cwd: dir });
  const gone = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return {
    which,
    logFile,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
