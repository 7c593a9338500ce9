/**
 * Go's `time.Now().String()`, which KubeRay's server writes into the `ray.io/creation-timestamp` and
 * `ray.io/update-timestamp` annotations: `2006-01-02 15:04:05.999999999 +0000 UTC m=+12.345678901`, the wall
 * clock (here always UTC, fraction without trailing zeros) and the monotonic reading (seconds since the process
 * started, nine decimals). Pure: both readings are passed in.
 */
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function goNowString(wall: Date, monotonicMs: number): string {
  const d = wall;
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  const fraction = ms ? `.${pad(ms, 3).replace(/0+$/, '')}` : '';
  const nanos = BigInt(Math.max(0, Math.round(monotonicMs * 1e6)));
  const mono = `${nanos / 1_000_000_000n}.${String(nanos % 1_000_000_000n).padStart(9, '0')}`;
  return `${date} ${time}${fraction} +0000 UTC m=+${mono}`;
}

/** The stamp of this moment in this process. */
export function goNow(now: Date = new Date()): string {
  return goNowString(now, performance.now());
}
