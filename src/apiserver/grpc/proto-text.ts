import type { EnumDef, FieldDef, FieldType, MessageDef, Scalar } from '../v1/proto-json.ts';
import { Empty, RPCS } from './services.ts';

/**
 * The .proto text of the V1 API, generated from the descriptors the server uses (so the file cannot drift
 * from the code; `kuberay_api.proto` next to this file is its committed output, checked by a test). Package
 * `proto`, KubeRay's message, enum, field and service names and numbers.
 */
const scalarName: Record<Scalar, string> = {
  string: 'string',
  bool: 'bool',
  int32: 'int32',
  uint32: 'uint32',
  int64: 'int64',
  uint64: 'uint64',
  float: 'float',
  double: 'double',
  timestamp: 'google.protobuf.Timestamp',
};

function typeName(t: FieldType): string {
  if (typeof t === 'string') return scalarName[t];
  if ('enum' in t) return t.enum.name;
  if ('message' in t) return t.message().name;
  const v = typeof t.map === 'string' ? scalarName[t.map] : t.map.message().name;
  return `map<string, ${v}>`;
}

function fieldLine(f: FieldDef): string {
  const t = typeName(f.type);
  const label = f.repeated ? 'repeated ' : f.optional ? 'optional ' : '';
  return `  ${label}${t} ${f.name} = ${f.number};`;
}

function collect(): { messages: MessageDef[]; enums: EnumDef[] } {
  const messages = new Map<string, MessageDef>();
  const enums = new Map<string, EnumDef>();
  const visit = (def: MessageDef) => {
    if (def === Empty || messages.has(def.name)) return;
    messages.set(def.name, def);
    for (const f of def.fields) {
      const t = f.type;
      if (typeof t === 'string') continue;
      if ('enum' in t) enums.set(t.enum.name, t.enum);
      else if ('message' in t) visit(t.message());
      else if (typeof t.map !== 'string') visit(t.map.message());
    }
  };
  for (const r of RPCS) {
    visit(r.request);
    visit(r.response);
  }
  return { messages: [...messages.values()], enums: [...enums.values()] };
}

export function protoText(): string {
  const { messages, enums } = collect();
  const out = [
    '// Generated from src/apiserver/v1/messages.ts and src/apiserver/grpc/services.ts (kuberay-ts): do not edit.',
    'syntax = "proto3";',
    '',
    'package proto;',
    '',
    'import "google/protobuf/empty.proto";',
    'import "google/protobuf/timestamp.proto";',
    '',
  ];
  const services = [...new Set(RPCS.map((r) => r.service))];
  for (const s of services) {
    out.push(`service ${s} {`);
    for (const r of RPCS.filter((x) => x.service === s))
      out.push(
        `  rpc ${r.method}(${r.request.name}) returns (${r.response === Empty ? 'google.protobuf.Empty' : r.response.name});`,
      );
    out.push('}', '');
  }
  for (const m of messages) {
    out.push(`message ${m.name} {`);
    for (const e of enums.filter((x) => x.name.startsWith(`${m.name}.`))) {
      out.push(`  enum ${e.name.slice(m.name.length + 1)} {`);
      for (const [k, v] of Object.entries(e.values)) out.push(`    ${k} = ${v};`);
      out.push('  }');
    }
    for (const f of m.fields) out.push(fieldLine(f));
    out.push('}', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
