/**
 * The shape of a `kubectl ray` command: data (names, help, flags) plus a `run` that imports its
 * implementation only when called, so parsing and printing help load nothing heavy.
 */
import type { FlagSpec, ParsedArgs } from './flags.ts';

interface Writer {
  write(s: string): unknown;
  readonly isTTY?: boolean;
}

/** Everything a command may touch of the outside world (main/ provides the real one, tests their own). */
export interface CliIo {
  readonly out: Writer;
  readonly err: Writer;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: long-running commands (session, job submit, --wait) stop on it. */
  readonly signal: AbortSignal;
}

export interface Invocation {
  readonly io: CliIo;
  readonly args: ParsedArgs;
  /** `kubectl ray get cluster`, for messages. */
  readonly commandPath: string;
}

/** A command's exit code; undefined means 0. */
export type RunResult = number | undefined;

export interface CommandDef {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** The usage line after the parent path, e.g. `cluster [NAME]`. */
  readonly use: string;
  readonly short: string;
  readonly long?: string;
  readonly example?: string;
  readonly flags?: readonly FlagSpec[];
  /** Allowed number of positional arguments (before `--`). */
  readonly args?: { readonly min?: number; readonly max?: number };
  /** What the first positional argument names, for shell completion. */
  readonly completeArgs?: 'raycluster' | 'resource';
  /** Completion of flag values that name a RayCluster. */
  readonly completeFlags?: Readonly<Record<string, 'raycluster'>>;
  readonly run?: (inv: Invocation) => Promise<RunResult>;
  readonly children?: readonly CommandDef[];
}

/** kubectl's connection flags, accepted by every command (KubeRay's plugin inherits them from kubectl). */
export const globalFlags: readonly FlagSpec[] = [
  { name: 'kubeconfig', type: 'string', usage: 'Path to the kubeconfig file to use for CLI requests.' },
  { name: 'context', type: 'string', usage: 'The name of the kubeconfig context to use' },
  {
    name: 'namespace',
    short: 'n',
    type: 'string',
    usage: 'If present, the namespace scope for this CLI request',
  },
  {
    name: 'server',
    short: 's',
    type: 'string',
    usage: 'The address and port of the Kubernetes API server',
  },
  { name: 'token', type: 'string', usage: 'Bearer token for authentication to the API server' },
  {
    name: 'certificate-authority',
    type: 'string',
    usage: 'Path to a cert file for the certificate authority',
  },
  {
    name: 'insecure-skip-tls-verify',
    type: 'bool',
    usage:
      "If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure",
  },
  {
    name: 'as',
    type: 'string',
    usage:
      'Username to impersonate for the operation. User could be a regular user or a service account in a namespace.',
  },
  {
    name: 'as-group',
    type: 'list',
    usage: 'Group to impersonate for the operation, this flag can be repeated to specify multiple groups.',
  },
  { name: 'as-uid', type: 'string', usage: 'UID to impersonate for the operation.' },
  {
    name: 'request-timeout',
    type: 'string',
    default: '0',
    usage:
      "The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests.",
  },
  { name: 'help', short: 'h', type: 'bool', usage: 'help for this command' },
];

/** Finds the deepest command named by the leading words of argv (flags are skipped, as cobra does). */
export function findCommand(
  root: CommandDef,
  argv: readonly string[],
): { path: CommandDef[]; rest: string[] } {
  const path = [root];
  const rest: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('-')) {
      rest.push(a);
      // A value-taking global flag written as `--flag value` must not be mistaken for a subcommand.
      const name = a.startsWith('--') ? a.slice(2) : a.slice(1);
      const spec = globalFlags.find((f) => (a.startsWith('--') ? f.name === name : f.short === name));
      if (spec && spec.type !== 'bool' && !a.includes('=') && i + 1 < argv.length) rest.push(argv[++i]!);
      continue;
    }
    const current = path[path.length - 1]!;
    const child = current.children?.find((c) => c.name === a || c.aliases?.includes(a));
    if (!child) break;
    path.push(child);
  }
  return { path, rest: [...rest, ...argv.slice(i)] };
}
