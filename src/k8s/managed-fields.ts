const MANAGED_FIELDS_KEY = '"managedFields":[';
const METADATA_KEY = '"metadata":';
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;

/**
 * JSON text without its object's `metadata.managedFields`, cut as text before it is parsed: a watch event's line
 * (`object.metadata`, the default) or, with `where` 'top', an API answer whose own metadata holds them. They are
 * a third to a half of a pod's JSON (one entry per writer: the operator, the scheduler, the kubelet), and most
 * of a created pod's metadata-only answer; no controller reads them, so parsing them only to throw them away
 * cost a good part of the operator's CPU in a scale-up. The cut is exact or nothing: the key is taken only where
 * it sits directly in that metadata (found by counting brackets outside strings from the start of the text),
 * and the text is returned unchanged when the key is anywhere else, absent, or its value is cut short
 * (JSON.parse then reports the text).
 */
export function withoutManagedFields(line: string, where: 'event' | 'top' = 'event'): string {
  const at = line.indexOf(MANAGED_FIELDS_KEY);
  if (at < 0) return line;
  const open = openerAt(line, at, where === 'event' ? 3 : 2);
  if (open < 0 || line.charCodeAt(open) !== 123) return line;
  if (line.lastIndexOf(METADATA_KEY, open) !== open - METADATA_KEY.length) return line;
  const end = endOfValue(line, at + MANAGED_FIELDS_KEY.length - 1);
  if (end < 0) return line;
  if (line.charCodeAt(end) === COMMA) return line.slice(0, at) + line.slice(end + 1);
  if (line.charCodeAt(at - 1) === COMMA) return line.slice(0, at - 1) + line.slice(end);
  return line.slice(0, at) + line.slice(end);
}

/** The index just after the string whose opening quote is at `i` (-1 when it never closes). */
function afterString(s: string, i: number): number {
  for (let q = s.indexOf('"', i + 1); q >= 0; q = s.indexOf('"', q + 1)) {
    let backslashes = 0;
    while (s.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
  }
  return -1;
}

/**
 * Where the object or array that directly holds position `at` opened, if that is level `level` of the text
 * (3 in a watch event: the event, its object, the object's metadata; 2 in an object: it, its metadata); -1
 * otherwise.
 */
function openerAt(s: string, at: number, level: number): number {
  const opened: number[] = [];
  for (let j = 0; j < at; j++) {
    const c = s.charCodeAt(j);
    if (c === QUOTE) {
      j = afterString(s, j) - 1;
      if (j < 0) return -1;
    } else if (c === 123 || c === 91) opened.push(j);
    else if (c === 125 || c === 93) opened.pop();
  }
  return opened.length === level ? (opened[level - 1] as number) : -1;
}

/** The index just after the array or object that opens at `i` (-1 when it never closes). */
function endOfValue(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === QUOTE) {
      j = afterString(s, j) - 1;
      if (j < 0) return -1;
    } else if (c === 123 || c === 91) depth++;
    else if ((c === 125 || c === 93) && --depth === 0) return j + 1;
  }
  return -1;
}
