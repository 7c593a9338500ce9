import { connect, createServer, type Server } from 'node:net';

/**
 * Forwards TCP from the node's bridge address to the API server. The control plane listens on 127.0.0.1,
 * which inside a pod's network namespace is the pod's own loopback; pods reach the API server here instead,
 * by the name `kubernetes.default.svc` (in every pod's /etc/hosts and in the API server's certificate).
 */
export function startApiForwarder(listenHost: string, listenPort: number, target: URL): Promise<Server> {
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const server = createServer((inbound) => {
      const outbound = connect({ host, port });
      inbound.pipe(outbound).pipe(inbound);
      const close = () => {
        inbound.destroy();
        outbound.destroy();
      };
      inbound.on('error', close);
      outbound.on('error', close);
    });
    server.once('error', reject);
    server.listen(listenPort, listenHost, () => resolve(server));
  });
}
