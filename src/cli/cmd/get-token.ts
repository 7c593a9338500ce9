/** `kubectl ray get token CLUSTER`: the `auth_token` of the Secret named after a token-auth RayCluster. */
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources } from '../../k8s/resources.ts';
import type { Invocation, RunResult } from '../command.ts';
import { CliError, wrap } from '../errors.ts';
import { connect } from '../kube.ts';
import type { RayCluster } from '../objects.ts';

export async function getToken(inv: Invocation): Promise<RunResult> {
  const kube = connect(inv);
  const name = inv.args.positional[0]!;
  const ns = kube.namespace;
  try {
    const cluster = await kube.client.get<RayCluster>(Resources.rayClusters, ns, name).catch((e: unknown) => {
      throw wrap(`failed to get RayCluster ${ns}/${name}`, e);
    });
    if (cluster.spec?.authOptions?.mode !== 'token')
      throw new CliError(`RayCluster ${ns}/${name} was not configured to use authentication tokens`);
    const secret = await kube.client
      .get<KubeObject & { data?: Record<string, string> }>(Resources.secrets, ns, name)
      .catch((e: unknown) => {
        throw wrap(`failed to get secret ${ns}/${name}`, e);
      });
    const token = secret.data?.auth_token;
    if (token === undefined) throw new CliError(`secret ${ns}/${name} does not have an auth_token`);
    inv.io.out.write(Buffer.from(token, 'base64').toString('utf8'));
    return 0;
  } finally {
    kube.close();
  }
}
