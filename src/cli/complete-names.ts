/** Names of Ray resources for shell completion (`NAME` or `TYPE/NAME`), read from the API server. */
import { Resources } from '../k8s/resources.ts';
import type { CliIo } from './command.ts';
import { findCommand, globalFlags } from './command.ts';
import { root } from './commands.ts';
import { parseArgs } from './flags.ts';
import { connect } from './kube.ts';

export async function resourceNames(
  words: readonly string[],
  current: string,
  io: CliIo,
  kind: 'raycluster' | 'resource',
): Promise<string[]> {
  const { path, rest } = findCommand(root, words);
  const cmd = path[path.length - 1]!;
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(rest, [...(cmd.flags ?? []), ...globalFlags]);
  } catch {
    args = parseArgs([], [...(cmd.flags ?? []), ...globalFlags]);
  }
  const kube = connect({ io, args, commandPath: '' });
  try {
    const names = async (r: typeof Resources.rayClusters) =>
      (await kube.client.list(r, { namespace: kube.namespace })).items.map((o) => o.metadata.name ?? '');
    const slash = current.indexOf('/');
    if (kind === 'resource' && slash > 0) {
      const type = current.slice(0, slash).toLowerCase();
      const r =
        type === 'rayjob'
          ? Resources.rayJobs
          : type === 'rayservice'
            ? Resources.rayServices
            : Resources.rayClusters;
      return (await names(r))
        .map((n) => `${current.slice(0, slash)}/${n}`)
        .filter((n) => n.startsWith(current));
    }
    const clusters = (await names(Resources.rayClusters)).filter((n) => n.startsWith(current));
    if (kind === 'resource')
      clusters.push(...['raycluster/', 'rayjob/', 'rayservice/'].filter((t) => t.startsWith(current)));
    return clusters;
  } finally {
    kube.close();
  }
}
