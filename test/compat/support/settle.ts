import type { RestClient } from '../../../src/k8s/rest.ts';
import { dumpNamespaces, type NamespaceDump } from './dump.ts';
import { fingerprint, normaliseDump } from './normalise.ts';

/**
 * Polls the namespaces every 3 s until their normalised dumps stay the same for `stablePolls` polls in a row,
 * and returns the last raw dumps. Fails after `timeoutMs` naming the namespaces still changing.
 */
export async function settle(
  client: RestClient,
  namespaces: readonly string[],
  { stablePolls = 4, timeoutMs = 180_000 } = {},
): Promise<Map<string, NamespaceDump>> {
  const last = new Map<string, { print: string; stable: number }>();
  const start = Date.now();
  for (;;) {
    const dumps = await dumpNamespaces(client, namespaces);
    for (const ns of namespaces) {
      const print = fingerprint(normaliseDump(dumps.get(ns)!, ns));
      const prev = last.get(ns);
      last.set(ns, { print, stable: prev?.print === print ? prev.stable + 1 : 0 });
    }
    if ([...last.values()].every((l) => l.stable >= stablePolls)) return dumps;
    if (Date.now() - start > timeoutMs) {
      const moving = namespaces.filter((ns) => (last.get(ns)?.stable ?? 0) < stablePolls);
      throw new Error(`still changing after ${timeoutMs / 1000}s: ${moving.join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
}
