/**
 * Reads node:test's TAP output and returns the failed tests with their error text, so scripts/run-tests.ts can
 * print every failure again at the very end of a long run (the spec reporter prints them where they happen,
 * often thousands of lines before the end, out of reach of a CI log's tail). Pure: no I/O.
 */

export interface TapFailure {
  /** The test's name, with its parents' names before it (`outer > inner`). */
  readonly name: string;
  /** `file:line:column` of the test, when the TAP gives it. */
  readonly location?: string;
  /** The error's message, line by line, then the first stack frames in test code. */
  readonly details: readonly string[];
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/** Unquotes a one-line YAML scalar as node:test writes it ('...' with '' for a quote, or bare). */
function scalar(text: string): string {
  const t = text.trim();
  if (t.startsWith("'") && t.endsWith("'") && t.length >= 2) return t.slice(1, -1).replaceAll("''", "'");
  return t;
}

/**
 * The failures in `tap`, leaves only: a test that failed because one of its subtests did
 * (`failureType: 'subtestsFailed'`) is not listed again.
 */
export function tapFailures(tap: string, maxStackFrames = 3): TapFailure[] {
  const lines = tap.split('\n');
  const failures: TapFailure[] = [];
  // The names of the enclosing subtests by indentation, from the `# Subtest: <name>` lines.
  const open: { indent: number; name: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = indentOf(line);
    const subtest = /^\s*# Subtest: (.*)$/.exec(line);
    if (subtest) {
      while (open.length > 0 && open.at(-1)!.indent >= indent) open.pop();
      open.push({ indent, name: subtest[1]! });
      continue;
    }
    const result = /^\s*(not ok|ok) \d+ - (.*?)(?: # .*)?$/.exec(line);
    if (!result) continue;
    while (open.length > 0 && open.at(-1)!.indent > indent) open.pop();
    const parents = open.filter((o) => o.indent < indent).map((o) => o.name);
    if (open.length > 0 && open.at(-1)!.indent === indent) open.pop();
    if (result[1] !== 'not ok') continue;
    // The YAML block: from `---` to `...`, indented deeper than the result line.
    const block: string[] = [];
    if (lines[i + 1]?.trim() === '---') {
      for (let j = i + 2; j < lines.length && lines[j]!.trim() !== '...'; j++) block.push(lines[j]!);
    }
    const fields = yamlFields(block);
    if (scalar(fields.get('failureType')?.[0] ?? '') === 'subtestsFailed') continue;
    const location = fields.get('location');
    const error = fields.get('error') ?? [];
    const stack = (fields.get('stack') ?? []).filter((f) => f.includes('file://')).slice(0, maxStackFrames);
    failures.push({
      name: [...parents, result[2]!].join(' > '),
      ...(location ? { location: scalar(location[0] ?? '') } : {}),
      details: [...error, ...stack.map((f) => `at ${f}`)],
    });
  }
  return failures;
}

/** The top-level keys of a node:test YAML diagnostics block: a one-line value, or a `|-` block's lines. */
function yamlFields(block: readonly string[]): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  const keyIndent = block.length > 0 ? indentOf(block[0]!) : 0;
  let current: string[] | undefined;
  for (const line of block) {
    const key = indentOf(line) === keyIndent ? /^\s*([A-Za-z_]+):\s?(.*)$/.exec(line) : null;
    if (key) {
      const value = key[2]!;
      current = value === '|-' || value === '|' ? [] : undefined;
      fields.set(key[1]!, current ?? [scalar(value)]);
    } else if (current) {
      current.push(line.slice(Math.min(indentOf(line), keyIndent + 2)).trimEnd());
    }
  }
  for (const [k, v] of fields) {
    while (v.length > 0 && v.at(-1) === '') v.pop();
    fields.set(k, v);
  }
  return fields;
}
