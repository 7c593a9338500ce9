/**
 * Lists the exports of src/ that no other file imports: those used only inside their own file (the `export`
 * keyword is noise there, and it hides dead code from the compiler) and those used nowhere at all.
 *
 *   node scripts/unused-exports.ts [--dir src/lib] [--fix]
 *
 * Every TypeScript file of the repository counts as an importer (src, test, scripts, bench, the clients
 * and the dashboard), so what the client SDK re-exports from src/api stays exported. Imports are read
 * from the syntax tree: named, namespace and dynamic imports, re-exports and `import('...').T` types. A
 * namespace import, `export *` or a dynamic import whose names are not destructured counts as using every
 * export of its target. `--fix` drops the `export` keyword of the declarations used only in their own file
 * (what is used nowhere is left for a person to delete). `scripts/unused-exports.test.ts` runs the scan.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');

/** The folders whose files may import from src/, and the folders whose exports are checked. */
const importerDirs = [
  'src',
  'test',
  'scripts',
  'bench',
  'clients/typescript/src',
  'clients/python/tests',
  'dashboard/src',
];

export interface UnusedExport {
  /** Path from the repository root. */
  readonly file: string;
  readonly name: string;
  /** 'own-file': referenced in its own file only; 'nowhere': not referenced at all. */
  readonly kind: 'own-file' | 'nowhere';
  /** True when the export is a declaration with an `export` modifier (what `--fix` can drop). */
  readonly modifier: boolean;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((e) => {
    if (e === 'node_modules' || e === 'dist') return [];
    const p = join(dir, e);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx|mts)$/.test(p) && !p.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function parse(file: string): ts.SourceFile {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, kind);
}

const hasExport = (n: ts.Node): boolean =>
  ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

interface Exported {
  /** Exported name -> the local name it is declared under, and whether it is a modifier export. */
  readonly names: Map<string, { local: string; modifier: boolean }>;
}

function exportsOf(sf: ts.SourceFile): Exported {
  const names = new Map<string, { local: string; modifier: boolean }>();
  for (const st of sf.statements) {
    if (hasExport(st)) {
      if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations)
          if (ts.isIdentifier(d.name)) names.set(d.name.text, { local: d.name.text, modifier: true });
      } else if (
        (ts.isFunctionDeclaration(st) ||
          ts.isClassDeclaration(st) ||
          ts.isInterfaceDeclaration(st) ||
          ts.isTypeAliasDeclaration(st) ||
          ts.isEnumDeclaration(st)) &&
        st.name &&
        !(ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
      ) {
        names.set(st.name.text, { local: st.name.text, modifier: true });
      }
    } else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause) {
      if (ts.isNamedExports(st.exportClause))
        for (const e of st.exportClause.elements)
          names.set(e.name.text, { local: (e.propertyName ?? e.name).getText(sf), modifier: false });
    }
  }
  return { names };
}

/** Records, per target file, the names other files take from it ('*' = all of them). */
function collectUses(file: string, sf: ts.SourceFile, uses: Map<string, Set<string>>): void {
  const use = (spec: string, name: string) => {
    const target = resolveImport(file, spec);
    if (!target || target === file) return;
    const set = uses.get(target) ?? new Set<string>();
    uses.set(target, set);
    set.add(name);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const spec = n.moduleSpecifier.text;
      const b = n.importClause?.namedBindings;
      if (n.importClause?.name) use(spec, 'default');
      if (b && ts.isNamespaceImport(b)) use(spec, '*');
      if (b && ts.isNamedImports(b))
        for (const e of b.elements) use(spec, (e.propertyName ?? e.name).getText(sf));
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const spec = n.moduleSpecifier.text;
      if (!n.exportClause || ts.isNamespaceExport(n.exportClause)) use(spec, '*');
      else for (const e of n.exportClause.elements) use(spec, (e.propertyName ?? e.name).getText(sf));
    } else if (
      ts.isImportTypeNode(n) &&
      ts.isLiteralTypeNode(n.argument) &&
      ts.isStringLiteral(n.argument.literal)
    ) {
      const spec = n.argument.literal.text;
      if (n.qualifier)
        use(spec, ts.isIdentifier(n.qualifier) ? n.qualifier.text : n.qualifier.getText(sf).split('.')[0]!);
      else use(spec, '*');
    } else if (
      ts.isCallExpression(n) &&
      n.expression.kind === ts.SyntaxKind.ImportKeyword &&
      n.arguments[0] &&
      ts.isStringLiteralLike(n.arguments[0])
    ) {
      const spec = n.arguments[0].text;
      // `const { a, b } = await import('./x.ts')` takes a and b; anything else may take every export.
      const parent = n.parent;
      const decl = parent && ts.isAwaitExpression(parent) ? parent.parent : undefined;
      if (decl && ts.isVariableDeclaration(decl) && ts.isObjectBindingPattern(decl.name)) {
        for (const e of decl.name.elements) {
          const key = e.propertyName ?? e.name;
          if (ts.isIdentifier(key)) use(spec, key.text);
          else use(spec, '*');
        }
      } else use(spec, '*');
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

/** How often an identifier with this text occurs in the file (the declaration itself included). */
function identifierCount(sf: ts.SourceFile, name: string): number {
  let n = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) n++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return n;
}

/** The exports of the non-test files of src/ (below `dir`, a path from the repository root) no other file uses. */
export function findUnusedExports(dir = 'src'): UnusedExport[] {
  const files = importerDirs.flatMap((d) => sourceFiles(join(root, d)));
  const parsed = new Map(files.map((f) => [f, parse(f)] as const));
  const uses = new Map<string, Set<string>>();
  for (const [f, sf] of parsed) collectUses(f, sf, uses);
  const out: UnusedExport[] = [];
  const scope = resolve(root, dir);
  for (const [f, sf] of parsed) {
    if (!f.startsWith(`${scope}/`) && f !== scope) continue;
    if (!f.startsWith(join(root, 'src/')) || f.endsWith('.test.ts')) continue;
    const used = uses.get(f) ?? new Set<string>();
    if (used.has('*')) continue;
    for (const [name, { local, modifier }] of exportsOf(sf).names) {
      if (used.has(name)) continue;
      const kind = identifierCount(sf, local) > 1 ? 'own-file' : 'nowhere';
      out.push({ file: relative(root, f), name, kind, modifier });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
}

/** Drops the `export` keyword of each modifier export in the list (one file read and written once). */
export function dropExportKeywords(found: readonly UnusedExport[]): number {
  const byFile = Map.groupBy(
    found.filter((u) => u.modifier),
    (u) => u.file,
  );
  let n = 0;
  for (const [file, list] of byFile) {
    const path = join(root, file);
    const sf = parse(path);
    const names = new Set(list.map((u) => u.name));
    const cuts: number[] = [];
    for (const st of sf.statements) {
      if (!hasExport(st)) continue;
      const declared = ts.isVariableStatement(st)
        ? st.declarationList.declarations.map((d) => d.name.getText(sf))
        : [(st as ts.DeclarationStatement).name?.getText(sf) ?? ''];
      // A `export const a = 1, b = 2` statement keeps its keyword unless every name in it goes.
      if (!declared.every((d) => names.has(d))) continue;
      const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
      const kw = (mods ?? []).find((m) => m.kind === ts.SyntaxKind.ExportKeyword)!;
      cuts.push(kw.getStart(sf));
    }
    let text = sf.text;
    for (const at of cuts.sort((a, b) => b - a))
      text = text.slice(0, at) + text.slice(at).replace(/^export\s+/, '');
    writeFileSync(path, text);
    n += cuts.length;
  }
  return n;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const dirAt = args.indexOf('--dir');
  const dir = dirAt >= 0 ? args[dirAt + 1]! : 'src';
  const found = findUnusedExports(dir);
  for (const u of found) console.log(`${u.kind}\t${u.file}\t${u.name}${u.modifier ? '' : '\t(export list)'}`);
  const own = found.filter((u) => u.kind === 'own-file').length;
  console.log(`${own} used only in their own file, ${found.length - own} used nowhere (${dir})`);
  if (args.includes('--fix')) {
    const n = dropExportKeywords(found.filter((u) => u.kind === 'own-file'));
    console.log(`dropped ${n} export keywords`);
  }
}
