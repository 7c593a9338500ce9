/** `kubectl ray session (NAME | TYPE/NAME)`: forward the dashboard (+ client or serve) ports until interrupted. */
import type { Invocation, RunResult } from '../command.ts';
import { CliError } from '../errors.ts';
import { bool, num, str } from '../flags.ts';
import { Forwarder, headServiceName } from '../forward.ts';
import { connect } from '../kube.ts';
import { parseResourceArg } from '../resource-arg.ts';

export const appPorts = {
  raycluster: [
    { name: 'Ray Dashboard', port: 8265 },
    { name: 'Ray Interactive Client', port: 10001 },
  ],
  rayjob: [{ name: 'Ray Dashboard', port: 8265 }],
  rayservice: [
    { name: 'Ray Dashboard', port: 8265 },
    { name: 'Ray Serve', port: 8000 },
  ],
} as const;

export async function session(inv: Invocation): Promise<RunResult> {
  const ref = parseResourceArg(inv.args.positional[0]!);
  const offset = num(inv.args, 'port-offset');
  if (!Number.isInteger(offset) || offset < 0 || offset > 50_000)
    throw new CliError(`--port-offset must be between 0 and 50000, got ${offset}`);
  const kube = connect(inv);
  try {
    const svc = await headServiceName(kube.client, kube.namespace, ref.type, ref.name);
    const out = (s: string) => inv.io.out.write(`${s}\n`);
    out(`Forwarding ports to service ${svc}`);
    const ports = appPorts[ref.type];
    const fwd = new Forwarder({
      client: kube.client,
      namespace: kube.namespace,
      service: svc,
      address: str(inv.args, 'address'),
      ports: ports.map((p) => ({ local: p.port + offset, remote: p.port })),
      log: out,
      verbose: bool(inv.args, 'verbose'),
      signal: inv.io.signal,
    });
    await fwd.start();
    for (const [i, p] of ports.entries()) out(`${p.name}: http://localhost:${fwd.bound[i]}`);
    out('');
    await fwd.untilAborted();
    fwd.close();
    return 0;
  } finally {
    kube.close();
  }
}
