/**
 * `kubectl ray log (NAME | TYPE/NAME)`: for each Ray pod, the container log as `<out>/<pod>/stdout.log` and
 * the Ray log directory (`tar` of /tmp/ray/session_latest/logs/ through exec) unpacked under `<out>/<pod>/`.
 */
import { chmodSync, existsSync, mkdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { execInPod } from '../../k8s/exec.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources } from '../../k8s/resources.ts';
import type { Invocation, RunResult } from '../command.ts';
import { CliError, errorLine, wrap } from '../errors.ts';
import { str } from '../flags.ts';
import { connect } from '../kube.ts';
import type { Pod } from '../objects.ts';
import { parseResourceArg } from '../resource-arg.ts';
import { TarReader } from '../tar.ts';

export const RAY_LOG_DIR = '/tmp/ray/session_latest/logs/';

export async function downloadLogs(inv: Invocation): Promise<RunResult> {
  const ref = parseResourceArg(inv.args.positional[0]!);
  const nodeType = str(inv.args, 'node-type').toLowerCase() || 'all';
  if (!['all', 'head', 'worker'].includes(nodeType))
    throw new CliError(`unknown node type \`${nodeType}\` (use all, head or worker)`);
  const out = (s: string) => inv.io.out.write(`${s}\n`);
  let outDir = str(inv.args, 'out-dir');
  let created = false;
  if (!outDir) {
    out('No output directory specified, creating dir under current directory using resource name.');
    outDir = resolve(inv.io.cwd, ref.name);
    created = !existsSync(outDir);
    mkdirSync(outDir, { recursive: true });
  } else {
    outDir = resolve(inv.io.cwd, outDir);
    if (!existsSync(outDir)) throw new CliError(`Directory does not exist: ${outDir}`);
    if (!statSync(outDir).isDirectory())
      throw new CliError(`Path is not a directory: ${outDir}. Please input a directory and try again`);
  }
  out(
    nodeType === 'all'
      ? 'Command set to retrieve both head and worker node logs.'
      : `Command set to retrieve only ${nodeType} node logs.`,
  );
  const kube = connect(inv);
  try {
    const ns = kube.namespace;
    let cluster = ref.name;
    if (ref.type !== 'raycluster') {
      const r = ref.type === 'rayjob' ? Resources.rayJobs : Resources.rayServices;
      const obj = await kube.client
        .get<KubeObject & { status?: Record<string, unknown> }>(r, ns, ref.name)
        .catch((e: unknown) => {
          throw wrap(
            `failed to retrieve ${ref.type === 'rayjob' ? 'Ray job' : 'Ray service'} info for ${ref.name}`,
            e,
          );
        });
      cluster =
        ref.type === 'rayjob'
          ? String(obj.status?.rayClusterName ?? '')
          : String(
              (obj.status?.activeServiceStatus as { rayClusterName?: string } | undefined)?.rayClusterName ??
                '',
            );
    }
    const selector: Record<string, string> = {
      'ray.io/cluster': cluster,
      ...(nodeType === 'all' ? {} : { 'ray.io/node-type': nodeType }),
    };
    const pods = cluster
      ? (await kube.client.list<Pod>(Resources.pods, { namespace: ns, labelSelector: selector })).items
      : [];
    if (pods.length === 0) {
      if (created) rmdirSync(outDir);
      throw new CliError(`No Ray nodes found for resource ${cluster || ref.name}`);
    }
    for (const pod of pods) {
      const name = pod.metadata.name!;
      const container = pod.spec?.containers?.[0]?.name;
      const podDir = join(outDir, name);
      mkdirSync(podDir, { recursive: true });
      const text = await kube.client.rest
        .request<string>(
          'GET',
          `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}/log`,
          { query: { container } },
        )
        .catch((e: unknown) => {
          throw wrap(`Error retrieving log for Ray cluster node ${name}`, e);
        });
      writeFileSync(join(podDir, 'stdout.log'), typeof text === 'string' ? text : JSON.stringify(text));
      out(`Downloading log for Ray Node ${name}`);
      const reader = new TarReader();
      let files = 0;
      let stderr = '';
      const write = (chunk: Buffer) => {
        for (const e of reader.push(chunk)) {
          const target = join(podDir, e.path);
          if (e.type === 'dir') mkdirSync(target, { recursive: true });
          else if (e.type === 'file') {
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, e.data);
            chmodSync(target, e.mode || 0o644);
            files++;
          }
        }
      };
      const code = await execInPod(kube.client.rest, {
        namespace: ns,
        pod: name,
        ...(container ? { container } : {}),
        command: ['tar', '--warning=no-file-changed', '-cf', '-', '-C', RAY_LOG_DIR, '.'],
        onStdout: write,
        onStderr: (d) => (stderr += d.toString('utf8')),
        signal: inv.io.signal,
      }).catch((e: unknown) => {
        throw wrap(`failed to download ray log files from ${name}`, e);
      });
      if (code !== 0 && files === 0)
        throw new CliError(
          `failed to download ray log files from ${name}: tar exited with code ${code}${stderr ? `: ${errorLine(stderr)}` : ''}`,
        );
      out(`Downloaded ${files} log files of ${name} into ${podDir}`);
    }
    return 0;
  } finally {
    kube.close();
  }
}
