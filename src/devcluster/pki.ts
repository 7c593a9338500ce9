import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Files of the throwaway PKI a local control plane uses. */
interface Pki {
  readonly caCert: string;
  readonly caKey: string;
  readonly servingCert: string;
  readonly servingKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  /** The API server's client certificate toward kubelets (the local node checks it, as a kubelet does). */
  readonly kubeletClientCert: string;
  readonly kubeletClientKey: string;
  readonly saKey: string;
  readonly saPub: string;
}

async function openssl(args: readonly string[]): Promise<void> {
  await run('openssl', args as string[]);
}

/**
 * Generates a CA, an API server serving certificate (loopback and in-cluster names), an admin client
 * certificate in `system:masters`, and the service-account signing key pair, with openssl.
 */
export async function generatePki(dir: string, extraSans: readonly string[] = []): Promise<Pki> {
  const p = (name: string) => join(dir, name);
  const pki: Pki = {
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    servingCert: p('apiserver.crt'),
    servingKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    kubeletClientCert: p('apiserver-kubelet-client.crt'),
    kubeletClientKey: p('apiserver-kubelet-client.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    pki.caKey,
    '-out',
    pki.caCert,
    '-days',
    '3650',
    '-subj',
    '/CN=kuberay-ts-local-ca',
  ]);
  const sans = [
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
    'IP:127.0.0.1',
    'IP:10.0.0.1',
    ...extraSans,
  ].join(',');
  await writeFile(p('serving.ext'), `subjectAltName=${sans}\nextendedKeyUsage=serverAuth\n`);
  await writeFile(p('client.ext'), 'extendedKeyUsage=clientAuth\n');
  const sign = async (key: string, cert: string, subj: string, ext: string) => {
    const csr = `${cert}.csr`;
    await openssl(['req', '-new', ...ec, '-keyout', key, '-out', csr, '-subj', subj]);
    await openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      pki.caCert,
      '-CAkey',
      pki.caKey,
      '-CAcreateserial',
      '-out',
      cert,
      '-days',
      '3650',
      '-extfile',
      ext,
    ]);
  };
  await sign(pki.servingKey, pki.servingCert, '/CN=kube-apiserver', p('serving.ext'));
  await sign(pki.adminKey, pki.adminCert, '/O=system:masters/CN=kuberay-ts-admin', p('client.ext'));
  await sign(
    pki.kubeletClientKey,
    pki.kubeletClientCert,
    '/O=system:masters/CN=kube-apiserver-kubelet-client',
    p('client.ext'),
  );
  await openssl(['genrsa', '-out', pki.saKey, '2048']);
  await openssl(['rsa', '-in', pki.saKey, '-pubout', '-out', pki.saPub]);
  return pki;
}
