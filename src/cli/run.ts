/**
 * The `kubectl ray` entry: finds the command, parses its flags, prints help or runs it, and turns any error
 * into one `Error: ...` line on stderr with exit code 1 (cobra's behaviour in KubeRay's plugin).
 */
import { type CliIo, type CommandDef, findCommand, globalFlags, type RunResult } from './command.ts';
import { root } from './commands.ts';
import { errorLine } from './errors.ts';
import { parseArgs, UsageError } from './flags.ts';
import { commandPath, formatHelp } from './help.ts';

function checkArgs(cmd: CommandDef, count: number): void {
  const { min, max } = cmd.args ?? {};
  if (min !== undefined && max !== undefined && min === max && count !== min)
    throw new UsageError(`accepts ${min} arg(s), received ${count}`);
  if (min !== undefined && count < min)
    throw new UsageError(`requires at least ${min} arg(s), only received ${count}`);
  if (max !== undefined && count > max) {
    if (max === 0) throw new UsageError(`unknown command "${''}" for "${cmd.name}"`);
    throw new UsageError(`accepts at most ${max} arg(s), received ${count}`);
  }
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === '__complete') {
    const { complete } = await import('./completion.ts');
    return complete(argv.slice(1), io);
  }
  const { path, rest } = findCommand(root, argv);
  const cmd = path[path.length - 1]!;
  const full = commandPath(path);
  try {
    const args = parseArgs(rest, [...(cmd.flags ?? []), ...globalFlags]);
    if (args.flags.help === true) {
      io.out.write(formatHelp(path));
      return 0;
    }
    if (!cmd.run) {
      const words = args.positional;
      if (words.length > 0) {
        if (path.length === 1) throw new UsageError(`unknown command "${words[0]}" for "kubectl ray"`);
        io.err.write(`Error: unknown command(s) "${words.join(' ')}"\n`);
      }
      io.out.write(formatHelp(path));
      return words.length > 0 ? 1 : 0;
    }
    const before = args.dashAt < 0 ? args.positional.length : args.dashAt;
    if (cmd.args?.max === 0 && before > 0)
      throw new UsageError(`unknown command "${args.positional[0]}" for "${full}"`);
    checkArgs(cmd, before);
    const result: RunResult = await cmd.run({ io, args, commandPath: full });
    return result ?? 0;
  } catch (e) {
    const line = errorLine(e);
    const hint = e instanceof UsageError ? ` (see '${full} --help' for usage and examples)` : '';
    io.err.write(`Error: ${line}${hint}\n`);
    return 1;
  }
}
