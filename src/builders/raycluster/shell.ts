/**
 * Shell quoting for values placed in the generated `ray start` command. KubeRay pastes rayStartParams values
 * into a `bash -c` string as they are, so a value like `x; rm -rf /` runs. Here every value is quoted:
 * - plain values made only of safe characters stay as they are (so the usual output matches KubeRay's);
 * - a value wrapped in one pair of single or double quotes (as users write for `resources`) is unwrapped first;
 * - `$NAME` and `${NAME}` references are kept expandable (KubeRay's own `redis-password=$REDIS_PASSWORD`),
 *   everything else that the shell could interpret is escaped.
 * Keys are quoted strictly (see quoteShellWord): validation already rejects any key that is not a plain
 * option name, the quoting is a second line of defence for specs that bypass validation.
 */
const safe = /^[A-Za-z0-9_@%+=:,./-]+$/;
const varRef = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})/;

export function unwrapQuotes(value: string): string {
  if (value.length >= 2) {
    const first = value[0];
    const last = value[value.length - 1];
    if (first === "'" && last === "'" && !value.slice(1, -1).includes("'")) return value.slice(1, -1);
    if (first === '"' && last === '"') {
      const inner = value.slice(1, -1);
      if (!/(^|[^\\])"/.test(inner)) return inner.replace(/\\(["\\$`])/g, '$1');
    }
  }
  return value;
}

export function quoteShellValue(raw: string): string {
  const value = unwrapQuotes(raw);
  if (value !== '' && safe.test(value)) return value;
  if (!value.includes('$')) return `'${value.replaceAll("'", `'"'"'`)}'`;
  let out = '"';
  for (let i = 0; i < value.length; ) {
    const ref = value[i] === '$' ? varRef.exec(value.slice(i)) : null;
    if (ref) {
      out += ref[0];
      i += ref[0].length;
      continue;
    }
    const c = value[i]!;
    out += c === '"' || c === '\\' || c === '`' || c === '$' ? `\\${c}` : c;
    i += 1;
  }
  return `${out}"`;
}

/** Quotes one shell word literally: safe words stay as they are, anything else goes in single quotes. */
export function quoteShellWord(word: string): string {
  if (word !== '' && safe.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}
