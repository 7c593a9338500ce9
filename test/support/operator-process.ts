import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { operatorProcessEnv } from './audit.ts';

const root = join(import.meta.dirname, '..', '..');

/** The operator (`src/main/operator.ts`) run as a child process, its JSON log lines collected. */
export interface OperatorProcess {
  readonly child: ChildProcess;
  readonly logs: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
  identity(): string | undefined;
  ports(): { metrics: number; probe: number } | undefined;
}

/**
 * Starts the operator against `kubeconfig`, watching `watchNamespace` and electing its leader in
 * `leaseNamespace`, with ephemeral metrics and probe ports. Killed when the test ends.
 */
export function startOperatorProcess(
  t: TestContext,
  o: {
    kubeconfig: string;
    watchNamespace: string;
    leaseNamespace?: string;
    env?: Record<string, string>;
    args?: readonly string[];
  },
): OperatorProcess {
  const child = spawn(
    join(root, 'node_modules/.bin/node'),
    [
      join(root, 'src/main/operator.ts'),
      `--kubeconfig=${o.kubeconfig}`,
      `--leader-election-namespace=${o.leaseNamespace ?? o.watchNamespace}`,
      `--watch-namespace=${o.watchNamespace}`,
      '--metrics-addr=127.0.0.1:0',
      '--health-probe-bind-address=127.0.0.1:0',
      ...(o.args ?? []),
    ],
    {
      env: { ...process.env, KUBECONFIG: '', ...operatorProcessEnv(), ...o.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const logs: Record<string, unknown>[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) if (l.trim()) logs.push(JSON.parse(l) as Record<string, unknown>);
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const find = (msg: string) => logs.find((l) => l.msg === msg);
  return {
    child,
    logs,
    exited,
    identity: () => find('attempting to acquire leader lease')?.identity as string | undefined,
    ports: () => {
      const l = find('serving endpoints');
      return l ? { metrics: l.metricsPort as number, probe: l.probePort as number } : undefined;
    },
  };
}
