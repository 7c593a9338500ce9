/**
 * Summarises a V8 heap snapshot: the live heap by kind of node (self sizes), the strings held more than once
 * (what interning would save), and optionally the chain of retainers of the first string starting with a
 * given text. How the operator's cache was measured (docs/performance.md): start the operator with
 * `--heapsnapshot-signal=SIGUSR2`, let it settle, `kill -USR2 <pid>`, then run this on the `.heapsnapshot` file.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '20' },
    retainers: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help || positionals.length !== 1) {
  console.log(`Usage: node_modules/.bin/node bench/heap-summary.ts [options] FILE.heapsnapshot

Prints the live heap by node kind (objects by constructor), the strings held in more than one copy and the
MiB those copies cost, and with --retainers the path from the first string starting with TEXT to a root.

  --top N            rows in each table (default 20)
  --retainers TEXT   print the retainer chain of the first string that starts with TEXT
  -h, --help         this help`);
  process.exit(values.help ? 0 : 2);
}

interface Snapshot {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const snap = JSON.parse(readFileSync(positionals[0] as string, 'utf8')) as Snapshot;
const meta = snap.snapshot.meta;
const NF = meta.node_fields.length;
const EF = meta.edge_fields.length;
const field = (name: string) => meta.node_fields.indexOf(name);
const [fType, fName, fSize, fEdges] = [field('type'), field('name'), field('self_size'), field('edge_count')];
const nodeTypes = meta.node_types[0];
const { nodes, edges, strings } = snap;
const count = nodes.length / NF;
const typeOf = (n: number) => nodeTypes[nodes[n * NF + fType] as number] as string;
const nameOf = (n: number) => strings[nodes[n * NF + fName] as number] as string;
const mib = (bytes: number) => (bytes / 1048576).toFixed(2).padStart(7);
const top = Number(values.top);

const byKind = new Map<string, { bytes: number; count: number }>();
const byString = new Map<string, { bytes: number; count: number }>();
let total = 0;
for (let n = 0; n < count; n++) {
  const type = typeOf(n);
  const size = nodes[n * NF + fSize] as number;
  total += size;
  const isString = type === 'string' || type === 'concatenated string' || type === 'sliced string';
  const kind = type === 'object' || type === 'native' ? `${type}:${nameOf(n)}` : isString ? 'string' : type;
  const k = byKind.get(kind) ?? { bytes: 0, count: 0 };
  k.bytes += size;
  k.count++;
  byKind.set(kind, k);
  if (type === 'string') {
    const s = byString.get(nameOf(n)) ?? { bytes: 0, count: 0 };
    s.bytes += size;
    s.count++;
    byString.set(nameOf(n), s);
  }
}

console.log(`live heap: ${mib(total).trim()} MiB in ${count} nodes\n\n    MiB    count  kind`);
for (const [kind, k] of [...byKind].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top))
  console.log(`${mib(k.bytes)} ${String(k.count).padStart(8)}  ${kind.slice(0, 80)}`);

const repeated = [...byString].filter(([, s]) => s.count > 1);
const saved = repeated.reduce((sum, [, s]) => sum + s.bytes - s.bytes / s.count, 0);
console.log(
  `\nstrings held more than once: ${repeated.length}; one copy each would save ${mib(saved).trim()} MiB`,
);
console.log('    MiB   copies  string');
for (const [text, s] of repeated.sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top))
  console.log(`${mib(s.bytes)} ${String(s.count).padStart(8)}  ${JSON.stringify(text.slice(0, 70))}`);

if (values.retainers !== undefined) {
  const edgeType = meta.edge_fields.indexOf('type');
  const edgeName = meta.edge_fields.indexOf('name_or_index');
  const edgeTo = meta.edge_fields.indexOf('to_node');
  const edgeTypes = meta.edge_types[0];
  const retainers = new Map<number, { from: number; name: string }[]>();
  for (let n = 0, e = 0; n < count; n++) {
    for (let i = 0; i < (nodes[n * NF + fEdges] as number); i++, e += EF) {
      const type = edgeTypes[edges[e + edgeType] as number];
      if (type === 'weak') continue;
      const raw = edges[e + edgeName] as number;
      const name = type === 'element' || type === 'hidden' ? `[${raw}]` : (strings[raw] as string);
      const to = (edges[e + edgeTo] as number) / NF;
      const list = retainers.get(to) ?? [];
      list.push({ from: n, name });
      retainers.set(to, list);
    }
  }
  let at = -1;
  for (let n = 0; n < count && at < 0; n++)
    if (typeOf(n) === 'string' && nameOf(n).startsWith(values.retainers)) at = n;
  if (at < 0) console.log(`\nno string starts with ${JSON.stringify(values.retainers)}`);
  else console.log('\nretainers (each line is held by the next):');
  const seen = new Set<number>();
  for (let depth = 0; at >= 0 && depth < 30; depth++) {
    seen.add(at);
    const next = (retainers.get(at) ?? []).find((r) => !seen.has(r.from));
    console.log(`  ${typeOf(at)}:${nameOf(at).slice(0, 40)}${next ? `  <- .${next.name}` : ''}`);
    at = next ? next.from : -1;
  }
}
