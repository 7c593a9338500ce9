/**
 * What the `get` listings (cluster, node, workergroup) share: the output format is checked before connecting,
 * `-A`, `--ray-cluster` and the name asked for are read once, the items are printed in the asked format, and the
 * connection is closed however the listing ends.
 */
import type { Invocation, RunResult } from './command.ts';
import { bool, str } from './flags.ts';
import { connect, type Kube } from './kube.ts';
import { outputFormat, printListing } from './output.ts';

type PrintOptions<T> = Omit<Parameters<typeof printListing<T>>[3], 'namespace'>;

interface Listing {
  readonly kube: Kube;
  /** `-A`/`--all-namespaces`. */
  readonly all: boolean;
  /** The namespace listed; undefined with `-A`. */
  readonly namespace: string | undefined;
  /** `--ray-cluster`, '' when not given (and for a listing without the flag). */
  readonly cluster: string;
  /** The name asked for: the first positional argument. */
  readonly name: string | undefined;
  /** Prints the items in the asked format (printListing, for the namespace listed). */
  print<T>(items: readonly T[], o: PrintOptions<T>): Promise<void>;
}

/** Runs a `get` listing: `list` finds the items and prints them; its errors end the command. */
export async function runListing(inv: Invocation, list: (l: Listing) => Promise<void>): Promise<RunResult> {
  const format = outputFormat(inv);
  const kube = connect(inv);
  try {
    const all = bool(inv.args, 'all-namespaces');
    const namespace = all ? undefined : kube.namespace;
    await list({
      kube,
      all,
      namespace,
      cluster: str(inv.args, 'ray-cluster'),
      name: inv.args.positional[0],
      print: (items, o) => printListing(inv, format, items, { ...o, namespace }),
    });
    return 0;
  } finally {
    kube.close();
  }
}
