import { KuberayError } from '../lib/errors.ts';
import type { ExecConfig } from './kubeconfig.ts';

class ExecCredentialError extends KuberayError {}

/** The parts of a client.authentication.k8s.io ExecCredential that we use. */
interface ExecCredentialStatus {
  readonly token?: string;
  readonly expirationTimestamp?: string;
}

type RunCommand = (command: string, args: readonly string[], env: NodeJS.ProcessEnv) => Promise<string>;

// node:child_process on first use: only kubeconfigs with an `exec` user need it (docs/performance.md).
const runCommand: RunCommand = (command, args, env) =>
  new Promise((resolve, reject) => {
    process
      .getBuiltinModule('node:child_process')
      .execFile(command, [...args], { env, timeout: 60_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new ExecCredentialError(`exec plugin '${command}' failed: ${stderr || err.message}`));
        else resolve(stdout);
      });
  });

/** Parses the JSON an exec plugin prints. Throws a clear error on anything else. */
export function parseExecCredential(text: string, command: string): ExecCredentialStatus {
  let doc: { kind?: string; status?: ExecCredentialStatus };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (cause) {
    throw new ExecCredentialError(`exec plugin '${command}' printed invalid JSON`, { cause });
  }
  if (doc.kind !== 'ExecCredential' || !doc.status?.token)
    throw new ExecCredentialError(`exec plugin '${command}' returned no status.token in an ExecCredential`);
  return doc.status;
}

/**
 * Runs a kubeconfig `exec` credential plugin on demand and caches its token until shortly before it expires
 * (or forever when it gives no expiration). `invalidate()` forces a fresh run (after a 401).
 */
export class ExecTokenSource {
  readonly #config: ExecConfig;
  readonly #run: RunCommand;
  readonly #now: () => number;
  readonly #baseEnv: NodeJS.ProcessEnv;
  #cached: { token: string; expiresAt: number } | undefined;
  #pending: Promise<string> | undefined;
  constructor(
    config: ExecConfig,
    options: { run?: RunCommand; now?: () => number; env?: NodeJS.ProcessEnv } = {},
  ) {
    this.#config = config;
    this.#run = options.run ?? runCommand;
    this.#now = options.now ?? Date.now;
    this.#baseEnv = options.env ?? process.env;
  }

  async token(): Promise<string> {
    if (this.#cached && this.#now() < this.#cached.expiresAt) return this.#cached.token;
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  invalidate(): void {
    this.#cached = undefined;
  }

  async #fetch(): Promise<string> {
    const env: NodeJS.ProcessEnv = { ...this.#baseEnv };
    for (const e of this.#config.env ?? []) env[e.name] = e.value;
    env.KUBERNETES_EXEC_INFO = JSON.stringify({
      apiVersion: this.#config.apiVersion ?? 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
    const out = await this.#run(this.#config.command, this.#config.args ?? [], env);
    const status = parseExecCredential(out, this.#config.command);
    const exp = status.expirationTimestamp
      ? Date.parse(status.expirationTimestamp)
      : Number.POSITIVE_INFINITY;
    // Refresh ten seconds early so a request never carries a token that expires in flight.
    this.#cached = { token: status.token!, expiresAt: exp - 10_000 };
    return status.token!;
  }
}
