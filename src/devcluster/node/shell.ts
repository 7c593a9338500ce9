/** Quotes a string for /bin/sh (single quotes, with embedded quotes escaped). */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
