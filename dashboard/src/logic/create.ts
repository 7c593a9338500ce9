import { parse } from 'yaml';
import { KIND_NAMES, type Plural } from './kinds.ts';

/** Where a pasted manifest goes: its plural and namespace (the manifest's, else the chosen one). */
export function createTarget(
  text: string,
  fallbackNamespace: string,
): { plural: Plural; namespace: string; name: string } | { error: string } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return { error: `not valid YAML: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { error: 'the YAML must be one object' };
  const o = doc as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown; namespace?: unknown };
  };
  if (o.apiVersion !== 'ray.io/v1') return { error: 'apiVersion must be ray.io/v1' };
  const plural = (Object.keys(KIND_NAMES) as Plural[]).find((p) => KIND_NAMES[p] === o.kind);
  if (!plural) return { error: `kind must be one of ${Object.values(KIND_NAMES).join(', ')}` };
  const namespace = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : fallbackNamespace;
  if (!namespace) return { error: 'choose a namespace (or set metadata.namespace)' };
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
  return { plural, namespace, name };
}
