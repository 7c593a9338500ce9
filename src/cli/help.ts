/** Cobra-style help text for a command (pure). */
import { type CommandDef, globalFlags } from './command.ts';
import { type FlagSpec, formatDuration } from './flags.ts';

function flagDefault(f: FlagSpec): string {
  if (f.default === undefined || f.default === '' || f.default === false) return '';
  if (f.type === 'duration') return ` (default ${formatDuration(Number(f.default))})`;
  if (f.type === 'string') return ` (default "${f.default}")`;
  return ` (default ${f.default})`;
}

function flagType(f: FlagSpec): string {
  if (f.type === 'bool') return '';
  if (f.valueName) return ` ${f.valueName}`;
  const names = {
    string: 'string',
    int: 'int32',
    float: 'float32',
    duration: 'duration',
    map: 'stringToString',
    list: 'stringArray',
  };
  return ` ${names[f.type]}`;
}

/** The flags block: `  -n, --namespace string   usage (default ...)`, aligned. */
function formatFlags(flags: readonly FlagSpec[]): string {
  const sorted = [...flags].sort((a, b) => a.name.localeCompare(b.name));
  const lefts = sorted.map((f) => `${f.short ? `  -${f.short}, ` : '      '}--${f.name}${flagType(f)}`);
  const width = Math.max(0, ...lefts.map((l) => l.length));
  return sorted.map((f, i) => `${lefts[i]!.padEnd(width)}   ${f.usage}${flagDefault(f)}`).join('\n');
}

export function commandPath(path: readonly CommandDef[]): string {
  return ['kubectl', ...path.map((c) => c.name)].join(' ');
}

export function formatHelp(path: readonly CommandDef[]): string {
  const cmd = path[path.length - 1]!;
  const full = commandPath(path);
  const parent = commandPath(path.slice(0, -1));
  const out: string[] = [];
  out.push((cmd.long ?? cmd.short).trim(), '');
  out.push('Usage:');
  if (cmd.run) out.push(`  ${path.length > 1 ? `${parent} ${cmd.use}` : full} [flags]`);
  if (cmd.children?.length) out.push(`  ${full} [command]`);
  out.push('');
  if (cmd.aliases?.length) out.push('Aliases:', `  ${[cmd.name, ...cmd.aliases].join(', ')}`, '');
  if (cmd.example) out.push('Examples:', cmd.example.replace(/^\n+|\s+$/g, ''), '');
  if (cmd.children?.length) {
    const w = Math.max(...cmd.children.map((c) => c.name.length)) + 3;
    out.push('Available Commands:');
    for (const c of cmd.children) out.push(`  ${c.name.padEnd(w)}${c.short}`);
    out.push('');
  }
  const own = cmd.flags ?? [];
  const help = globalFlags.find((f) => f.name === 'help')!;
  out.push('Flags:', formatFlags([...own, { ...help, usage: `help for ${cmd.name}` }]), '');
  out.push('Global Flags:', formatFlags(globalFlags.filter((f) => f.name !== 'help')), '');
  if (cmd.children?.length) out.push(`Use "${full} [command] --help" for more information about a command.`);
  return `${out.join('\n').trimEnd()}\n`;
}

/** Indents an example block by two spaces per line (cobra's templates.Examples). */
export function examples(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((l) => (l.trim() ? `  ${l.trim()}` : ''))
    .join('\n');
}
