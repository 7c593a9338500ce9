/**
 * How KubeRay's Go code prints times and durations inside event and condition texts, so our texts read the
 * same. Pure.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const fraction = (ms: number) => (ms ? `.${pad(ms, 3).replace(/0+$/, '')}` : '');

/**
 * Go's `time.Time.String()` of an API timestamp as the operator holds it (UTC):
 * `2025-01-02 03:04:05 +0000 UTC`; an absent or unparsable time is Go's zero time.
 */
export function goTimeString(iso: string | undefined): string {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) return '0001-01-01 00:00:00 +0000 UTC';
  const d = new Date(ms);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${date} ${time}${fraction(d.getUTCMilliseconds())} +0000 UTC`;
}

/** Go's `t.Format(time.DateTime)` of epoch milliseconds, in UTC: `2025-01-02 03:04:05`. */
export function goDateTime(ms: number): string {
  return goTimeString(new Date(ms).toISOString()).replace(/(\.\d+)? \+0000 UTC$/, '');
}

/** Go's `time.Duration.String()` of a whole number of milliseconds: `0s`, `250ms`, `1m30s`, `1h0m0.5s`. */
export function goDurationString(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms));
  if (rest === 0) return '0s';
  if (rest < 1000) return `${sign}${rest}ms`;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = `${Math.floor(rest / 1000)}${fraction(rest % 1000)}s`;
  if (hours) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}
