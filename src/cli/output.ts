/** `-o json|yaml` for the listing commands, and the colour decision (a TTY, and no NO_COLOR). */
import type { Invocation } from './command.ts';
import { CliError } from './errors.ts';
import { str } from './flags.ts';
import { renderTable } from './table.ts';

type OutputFormat = 'table' | 'json' | 'yaml';

export function outputFormat(inv: Invocation): OutputFormat {
  const o = str(inv.args, 'output');
  if (o === '' || o === 'wide') return 'table';
  if (o === 'json' || o === 'yaml') return o;
  throw new CliError(
    `unable to match a printer suitable for the output format "${o}", allowed formats are: json,yaml`,
  );
}

export function useColor(inv: Invocation): boolean {
  return inv.io.out.isTTY === true && !inv.io.env.NO_COLOR && inv.io.env.TERM !== 'dumb';
}

/** A `v1 List` of `items`, as `kubectl get -o json|yaml` prints several objects. */
async function printList(inv: Invocation, format: 'json' | 'yaml', items: readonly unknown[]): Promise<void> {
  const shown = items.map(withoutManagedFields);
  const list = { apiVersion: 'v1', items: shown, kind: 'List', metadata: { resourceVersion: '' } };
  if (format === 'json') inv.io.out.write(`${JSON.stringify(list, null, 4)}\n`);
  else {
    const { stringify } = await import('yaml');
    inv.io.out.write(stringify(list, { indentSeq: false, sortMapEntries: true }));
  }
}

/** kubectl's note on stderr when a listing is empty (stdout stays empty, as KubeRay's table printer leaves it). */
function noneFound(inv: Invocation, namespace: string | undefined): void {
  inv.io.err.write(namespace ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
}

/**
 * A listing in the asked format: `-o json|yaml` prints each item as `asObject` makes it, in a `v1 List`; the table
 * prints a row per item, and kubectl's note on stderr when there is none (`namespace` undefined: all namespaces).
 */
export async function printListing<T>(
  inv: Invocation,
  format: OutputFormat,
  items: readonly T[],
  o: {
    readonly namespace: string | undefined;
    readonly asObject: (item: T) => unknown;
    readonly headers: readonly string[];
    readonly row: (item: T) => string[];
    /** The column renderTable colours by status. */
    readonly statusColumn?: number;
  },
): Promise<void> {
  if (format !== 'table') return printList(inv, format, items.map(o.asObject));
  if (items.length === 0) noneFound(inv, o.namespace);
  const color = useColor(inv);
  inv.io.out.write(
    renderTable(
      o.headers,
      items.map(o.row),
      o.statusColumn === undefined ? { color } : { color, statusColumn: o.statusColumn },
    ),
  );
}

/** kubectl hides metadata.managedFields in -o json|yaml (unless --show-managed-fields). */
function withoutManagedFields(item: unknown): unknown {
  const meta = (item as { metadata?: Record<string, unknown> }).metadata;
  if (!meta || !('managedFields' in meta)) return item;
  const { managedFields: _, ...rest } = meta;
  return { ...(item as object), metadata: rest };
}
