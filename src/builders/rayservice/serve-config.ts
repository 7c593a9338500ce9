import { parseYaml } from '../../api/yaml.ts';

/**
 * The body of the Serve deploy PUT: `serveConfigV2` (YAML) as a JSON object, plus `target_capacity` in
 * incremental mode. Throws an Error naming the field when the YAML is not a mapping.
 */
export function serveConfigBody(
  serveConfigV2: string | undefined,
  targetCapacity?: number,
): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(serveConfigV2 ?? '') ?? {};
  } catch (cause) {
    throw new Error(`spec.serveConfigV2 is not valid YAML: ${(cause as Error).message}`, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('spec.serveConfigV2 must be a YAML mapping (with an `applications` list)');
  const body = { ...(parsed as Record<string, unknown>) };
  if (targetCapacity !== undefined) body.target_capacity = targetCapacity;
  return body;
}
