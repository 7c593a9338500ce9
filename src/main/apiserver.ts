/**
 * The KubeRay API server: `node src/main/apiserver.ts [flags]` (`--help` lists them). Reads flags and env once,
 * connects to the cluster (--kubeconfig, KUBECONFIG, or in-cluster), serves V1 and V2 on -httpPortFlag, and
 * drains requests in flight on SIGTERM/SIGINT.
 */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { createApiServer } from '../apiserver/app.ts';
import { buildApiServerConfig, parseListenAddress } from '../apiserver/config.ts';
import { ApiGrpcServer } from '../apiserver/grpc/server.ts';
import { loadStaticSite } from '../apiserver/http/static-site.ts';
import { loadSwaggerFiles } from '../apiserver/http/swagger.ts';
import { loadSwaggerUi } from '../apiserver/http/swagger-ui.ts';
import { builtinSwaggerFiles } from '../apiserver/swagger/files.ts';
import { ListCache } from '../apiserver/v1/list-cache.ts';
import { KubeClient } from '../k8s/client.ts';
import { inClusterAccess } from '../k8s/in-cluster.ts';
import { loadKubeconfig } from '../k8s/kubeconfig.ts';
import { collectDefaultMetrics, Registry } from '../k8s/prom.ts';
import { errorMessage } from '../lib/errors.ts';
import { createLogger } from '../lib/logger.ts';
import { configOrExit, exitWhenDone, failureLine, packageVersion as version } from './startup.ts';

async function main(): Promise<number> {
  const result = configOrExit(() => buildApiServerConfig(process.argv.slice(2), process.env));
  if (typeof result === 'number') return result;
  const config = result.config;
  // The dashboard: an explicit --dashboard-dir must hold a build; the default is used only when built.
  const defaultDashboard = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));
  const dashboardDir =
    config.dashboardDir === 'none'
      ? undefined
      : config.dashboardDir || (existsSync(`${defaultDashboard}/index.html`) ? defaultDashboard : undefined);
  let dashboard: ReturnType<typeof loadStaticSite> | undefined;
  let swagger: ReturnType<typeof loadSwaggerFiles> | undefined;
  try {
    dashboard = dashboardDir ? loadStaticSite(dashboardDir) : undefined;
    swagger = config.localSwaggerPath ? loadSwaggerFiles(config.localSwaggerPath) : undefined;
  } catch (err) {
    process.stderr.write(`${errorMessage(err)}\n`);
    return 2;
  }
  // Swagger UI lists the documents served at /swagger/{file}; without the swagger-ui-dist package: no UI.
  let swaggerUi: ReturnType<typeof loadSwaggerUi> | undefined;
  let swaggerUiError: string | undefined;
  try {
    swaggerUi = loadSwaggerUi([...(swagger ?? builtinSwaggerFiles()).keys()]);
  } catch (err) {
    swaggerUiError = errorMessage(err);
  }
  const file = config.logFilePath ? createWriteStream(config.logFilePath, { flags: 'a' }) : undefined;
  const logger = createLogger(
    {
      format: config.logFormat,
      write: (line) => {
        process.stdout.write(`${line}\n`);
        file?.write(`${line}\n`);
      },
    },
    { logger: 'apiserver' },
  );
  if (swaggerUiError) logger.warn(`no Swagger UI at /swagger-ui/: ${swaggerUiError}`);
  const fromEnv = process.env.KUBECONFIG?.split(':').find(Boolean);
  const access = config.kubeconfig
    ? loadKubeconfig(config.kubeconfig)
    : fromEnv
      ? loadKubeconfig(fromEnv)
      : inClusterAccess(process.env);
  const registry = new Registry();
  if (config.collectMetrics) collectDefaultMetrics({ register: registry });
  const kube = KubeClient.fromAccess(access, {
    version,
    userAgent: `kuberay-apiserver/${version}`,
    fieldManager: 'kuberay-apiserver',
    metrics: registry,
  });
  let reachable = false;
  const probe = async () => {
    reachable = await kube.rest.request('GET', '/version').then(
      () => true,
      () => false,
    );
  };
  await probe();
  const probeTimer = setInterval(() => void probe(), 10_000);
  probeTimer.unref();
  const listCache = config.cacheLists ? new ListCache(kube, logger) : undefined;
  listCache?.start();
  if (config.auth === 'none')
    logger.warn(
      "authentication is off (--auth=none): every caller acts with the server's own Kubernetes rights",
    );
  const server = createApiServer({
    ...(dashboard ? { dashboard } : {}),
    ...(swagger ? { swagger } : {}),
    ...(swaggerUi ? { swaggerUi } : {}),
    kube,
    logger,
    registry,
    auth: config.auth,
    securityToken: config.securityToken,
    securityPrefix: config.securityPrefix,
    tokenAudiences: config.tokenAudiences,
    corsAllowOrigins: config.corsAllowOrigins,
    maxBodyBytes: config.maxBodyBytes,
    requestTimeoutMs: config.requestTimeoutMs,
    enableV2: config.enableV2,
    ready: () => reachable,
    ...(listCache ? { listCache } : {}),
    ...(config.tlsCertFile
      ? {
          tls: {
            cert: readFileSync(config.tlsCertFile),
            key: readFileSync(config.tlsKeyFile),
            ...(config.clientCaFile ? { ca: readFileSync(config.clientCaFile) } : {}),
          },
        }
      : {}),
  });
  const port = await server.listen(config.httpPort, config.httpHost);
  const rpc = parseListenAddress(config.rpcPort, 'rpcPortFlag');
  const grpcServer = new ApiGrpcServer(server, { maxReceiveBytes: config.maxBodyBytes });
  const grpcPort = await grpcServer.listen(
    `${rpc.host ?? '0.0.0.0'}:${rpc.port}`,
    config.tlsCertFile
      ? grpc.ServerCredentials.createSsl(
          config.clientCaFile ? readFileSync(config.clientCaFile) : null,
          [{ cert_chain: readFileSync(config.tlsCertFile), private_key: readFileSync(config.tlsKeyFile) }],
          false,
        )
      : grpc.ServerCredentials.createInsecure(),
  );
  logger.info('serving', {
    version,
    port,
    grpcPort,
    host: config.httpHost ?? '',
    tls: Boolean(config.tlsCertFile),
    auth: config.auth,
    v2: config.enableV2,
    dashboard: dashboardDir ?? '',
    server: access.server,
  });
  const stopped = new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: string) => {
      signals++;
      if (signals > 1) process.exit(1);
      logger.info('signal received, draining requests', { signal, graceMs: config.shutdownGraceMs });
      void Promise.all([
        server.shutdown(config.shutdownGraceMs),
        grpcServer.shutdown(config.shutdownGraceMs),
      ]).then(() => resolve());
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  });
  await stopped;
  clearInterval(probeTimer);
  await listCache?.stop();
  kube.rest.close();
  logger.info('stopped');
  await new Promise<void>((r) => (file ? file.end(r) : r()));
  return 0;
}

exitWhenDone(main(), failureLine('apiserver failed'));
