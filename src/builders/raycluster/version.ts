/**
 * A generic version parse (like Go's k8s.io/apimachinery/pkg/util/version ParseGeneric): up to three numeric
 * components, optional leading "v", anything after a '-' or '+' ignored. Returns undefined when unparsable.
 */
export function parseVersion(text: string | undefined): [number, number, number] | undefined {
  if (!text) return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(text.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** True when `text` parses and is at least `min` ("x.y.z"). */
export function versionAtLeast(text: string | undefined, min: string): boolean {
  const v = parseVersion(text);
  const w = parseVersion(min);
  if (!v || !w) return false;
  for (let i = 0; i < 3; i++) if (v[i] !== w[i]) return v[i]! > w[i]!;
  return true;
}
