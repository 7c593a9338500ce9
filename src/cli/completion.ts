/**
 * Shell completion. `kubectl ray completion bash|zsh` prints a script; the script (and kubectl itself, through
 * the `kubectl_complete-ray` executable) calls `kubectl-ray __complete WORDS... CURRENT`, which answers in
 * cobra's format: one candidate per line, then `:<directive>` (4 = no file completion).
 */
import type { CliIo, CommandDef, Invocation, RunResult } from './command.ts';
import { findCommand, globalFlags } from './command.ts';
import { root } from './commands.ts';
import { UsageError } from './flags.ts';

const NO_FILE = 4;

export function bashScript(): string {
  return `# bash completion for kubectl-ray (kubectl ray)
_kubectl_ray() {
  local IFS=$'\\n' cur="\${COMP_WORDS[COMP_CWORD]}"
  local out
  out=$(kubectl-ray __complete "\${COMP_WORDS[@]:1:$((COMP_CWORD-1))}" "$cur" 2>/dev/null | grep -v '^:' | cut -f1)
  COMPREPLY=( $(compgen -W "$out" -- "$cur") )
}
complete -o default -F _kubectl_ray kubectl-ray
`;
}

export function zshScript(): string {
  return `#compdef kubectl-ray
# zsh completion for kubectl-ray (kubectl ray)
_kubectl_ray() {
  local -a candidates
  candidates=(\${(f)"$(kubectl-ray __complete \${words[2,CURRENT-1]} "\${words[CURRENT]}" 2>/dev/null | grep -v '^:' | cut -f1)"})
  compadd -a candidates
}
if [ "$funcstack[1]" = "_kubectl_ray" ]; then _kubectl_ray "$@"; else compdef _kubectl_ray kubectl-ray; fi
`;
}

export async function completionScript(inv: Invocation): Promise<RunResult> {
  const shell = inv.args.positional[0];
  if (shell === 'bash') inv.io.out.write(bashScript());
  else if (shell === 'zsh') inv.io.out.write(zshScript());
  else throw new UsageError(`unsupported shell type "${shell}": use bash or zsh`);
  return 0;
}

/** The static candidates for the word being typed (subcommands or flags); names come from the API server. */
export function staticCandidates(
  words: readonly string[],
  current: string,
): { cmd: CommandDef; candidates: string[]; wantsNames: 'raycluster' | 'resource' | undefined } {
  const { path } = findCommand(root, words);
  const cmd = path[path.length - 1]!;
  const prev = words[words.length - 1] ?? '';
  if (current.startsWith('-')) {
    const flags = [...(cmd.flags ?? []), ...globalFlags].map((f) => `--${f.name}`).sort();
    return { cmd, candidates: flags.filter((f) => f.startsWith(current)), wantsNames: undefined };
  }
  const flagName = prev.replace(/^--?/, '');
  const flagSpec = prev.startsWith('-')
    ? [...(cmd.flags ?? []), ...globalFlags].find((f) => f.name === flagName || f.short === flagName)
    : undefined;
  if (flagSpec && flagSpec.type !== 'bool') {
    if (cmd.completeFlags?.[flagSpec.name]) return { cmd, candidates: [], wantsNames: 'raycluster' };
    if (flagSpec.name === 'node-type')
      return { cmd, candidates: ['all', 'head', 'worker'], wantsNames: undefined };
    if (flagSpec.name === 'output') return { cmd, candidates: ['json', 'yaml'], wantsNames: undefined };
    return { cmd, candidates: [], wantsNames: undefined };
  }
  if (cmd.children?.length) {
    const names = cmd.children.map((c) => c.name);
    return { cmd, candidates: names.filter((n) => n.startsWith(current)), wantsNames: undefined };
  }
  const positional = words.slice(path.length - 1).filter((w) => !w.startsWith('-'));
  const wants =
    cmd.completeArgs && (positional.length === 0 || cmd.name === 'delete') ? cmd.completeArgs : undefined;
  return { cmd, candidates: [], wantsNames: wants };
}

export async function complete(argv: readonly string[], io: CliIo): Promise<number> {
  const words = argv.slice(0, -1);
  const current = argv[argv.length - 1] ?? '';
  const { candidates, wantsNames } = staticCandidates(words, current);
  const out = [...candidates];
  if (wantsNames) {
    try {
      const { resourceNames } = await import('./complete-names.ts');
      out.push(...(await resourceNames(words, current, io, wantsNames)));
    } catch {
      // No cluster reachable: complete nothing rather than print an error into the shell.
    }
  }
  io.out.write(`${out.join('\n')}${out.length ? '\n' : ''}:${NO_FILE}\n`);
  return 0;
}
