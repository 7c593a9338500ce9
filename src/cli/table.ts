/**
 * kubectl's table printer (cli-runtime printers.NewTablePrinter): upper-case headers, columns padded to the
 * widest cell plus three spaces (Go's tabwriter with minwidth 6, padding 3), the last column unpadded.
 * Colour (bold headers, a green/red/yellow status cell) only when asked, i.e. on a TTY.
 */

interface TableOptions {
  readonly color?: boolean;
  /** Index of the column whose value is coloured by `statusColor`. */
  readonly statusColumn?: number;
}

const codes = {
  bold: '\u001b[1m',
  green: '\u001b[32m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  reset: '\u001b[0m',
};

/** The colour of a status word: ready/running/succeeded green, failed red, anything else yellow. */
export function statusColor(value: string): keyof typeof codes | undefined {
  if (!value) return undefined;
  if (/^(ready|running|succeeded|complete|healthy|rayclusterprovisioned|headpodready)$/i.test(value))
    return 'green';
  if (/(fail|error|crash)/i.test(value)) return 'red';
  return 'yellow';
}

export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  o: TableOptions = {},
): string {
  if (rows.length === 0) return ''; // the printer prints no headers for an empty table
  const head = headers.map((h) => h.toUpperCase());
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(6, ...all.map((r) => (r[c] ?? '').length + 3)));
  const paint = (text: string, code: keyof typeof codes | undefined) =>
    o.color && code && text ? `${codes[code]}${text}${codes.reset}` : text;
  const line = (r: readonly string[], isHead: boolean) =>
    r
      .map((cell, c) => {
        const last = c === r.length - 1;
        const pad = last ? '' : ' '.repeat(widths[c]! - cell.length);
        const code = isHead ? 'bold' : c === o.statusColumn ? statusColor(cell) : undefined;
        return paint(cell, code) + pad;
      })
      .join('');
  return `${[line(head, true), ...rows.map((r) => line(r, false))].join('\n')}\n`;
}

/** apimachinery's duration.HumanDuration: `45s`, `3m20s`, `15m`, `5h3m`, `30h`, `3d4h`, `400d`, `2y10d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const years = Math.floor(hours / 24 / 365);
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** The AGE cell of an object created at `timestamp` (RFC 3339), `<unknown>` without one. */
export function age(timestamp: string | undefined, now: number): string {
  const t = timestamp ? Date.parse(timestamp) : Number.NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}
