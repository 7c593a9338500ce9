/** `kubectl ray delete (NAME | TYPE/NAME)...`: delete RayClusters, RayJobs and RayServices after confirming. */
import { createInterface } from 'node:readline';
import { Resources } from '../../k8s/resources.ts';
import type { Invocation, RunResult } from '../command.ts';
import { wrap } from '../errors.ts';
import { bool } from '../flags.ts';
import { connect } from '../kube.ts';
import { parseResourceArg, type RayResourceRef } from '../resource-arg.ts';

const resourceOf = {
  raycluster: Resources.rayClusters,
  rayjob: Resources.rayJobs,
  rayservice: Resources.rayServices,
};

function readLine(inv: Invocation): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: inv.io.stdin });
    let done = false;
    rl.once('line', (l) => {
      done = true;
      rl.close();
      resolve(l);
    });
    rl.once('close', () => {
      if (!done) resolve(undefined);
    });
  });
}

export async function deleteResources(inv: Invocation): Promise<RunResult> {
  const refs: RayResourceRef[] = inv.args.positional.map(parseResourceArg);
  const kube = connect(inv);
  try {
    const ns = kube.namespace;
    if (!bool(inv.args, 'yes')) {
      const list = refs.map((r) => `\n- ${r.type}/${r.name}`).join('');
      inv.io.out.write(`Are you sure you want to delete the following resources?${list}\n(y/yes/n/no)`);
      const answer = await readLine(inv);
      if (answer === undefined) {
        inv.io.out.write('\n');
        throw new Error('Failed to read user input: EOF (pass -y/--yes to delete without a prompt)');
      }
      const a = answer.trim().toLowerCase();
      if (a === 'n' || a === 'no') {
        inv.io.out.write('Canceled deletion.\n');
        return 0;
      }
      if (a !== 'y' && a !== 'yes') {
        inv.io.out.write(`Unknown input ${answer}\n`);
        return 0;
      }
    }
    for (const r of refs) {
      const fail = (e: unknown) => wrap(`failed to delete ${r.type}/${r.name}`, e);
      const existed = await kube.client.delete(resourceOf[r.type], ns, r.name).catch((e: unknown) => {
        throw fail(e);
      });
      if (!existed) throw fail(new Error(`${resourceOf[r.type].plural}.ray.io "${r.name}" not found`));
      inv.io.out.write(`Deleted ${r.type} ${r.name}\n`);
    }
    return 0;
  } finally {
    kube.close();
  }
}
