/**
 * Parses `ray.io/initializing-timeout`: a positive Go duration (`30m`, `1h30m`, `90s`) or a positive integer
 * number of seconds. Returns milliseconds, or an Error naming the annotation and the reason.
 */
export function parseInitializingTimeout(value: string): number | Error {
  const bad = () =>
    new Error(
      `annotation ray.io/initializing-timeout must be a positive duration (e.g. 30m, 1h) or a positive integer number of seconds, got "${value}"`,
    );
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const s = Number.parseInt(v, 10);
    return s > 0 ? s * 1000 : bad();
  }
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  if (!v) return bad();
  let total = 0;
  let pos = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number.parseFloat(m[1]!) * units[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== v.length || total <= 0) return bad();
  return total;
}
