import type { Registry } from 'prom-client';
import type { KubeClient } from '../k8s/client.ts';
import type { Logger } from '../lib/logger.ts';
import { type AuthMode, authSetup } from './auth/modes.ts';
import { ApiServerMetrics } from './http/metrics.ts';
import { ApiHttpServer } from './http/server.ts';
import { registerDashboard, type StaticFile } from './http/static-site.ts';
import { registerSwagger } from './http/swagger.ts';
import { registerSwaggerUi } from './http/swagger-ui.ts';
import { builtinSwaggerFiles } from './swagger/files.ts';
import type { ListCache } from './v1/list-cache.ts';
import { registerV1 } from './v1/routes.ts';
import { registerV2 } from './v2/routes.ts';

interface AppOptions {
  /** The server's own Kubernetes client (its ServiceAccount): reviews, and calls in the non-secure modes. */
  readonly kube: KubeClient;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly auth: AuthMode;
  readonly securityToken?: string;
  readonly securityPrefix?: string;
  readonly tokenAudiences?: readonly string[];
  readonly corsAllowOrigins?: readonly string[];
  readonly maxBodyBytes?: number;
  readonly requestTimeoutMs?: number;
  readonly enableV2?: boolean;
  readonly tls?: { key: Buffer; cert: Buffer; ca?: Buffer };
  readonly ready?: () => boolean;
  /** The built dashboard (`loadStaticSite`), served at `/`; absent: no dashboard. */
  readonly dashboard?: ReadonlyMap<string, StaticFile>;
  /**
   * The `*.swagger.json` files served at `/swagger/{file}` (`loadSwaggerFiles` of `-localSwaggerPath`); absent:
   * our generated files (`builtinSwaggerFiles`).
   */
  readonly swagger?: ReadonlyMap<string, Buffer>;
  /** Swagger UI's pages (`loadSwaggerUi`), served at `/swagger-ui/`; absent: none. */
  readonly swaggerUi?: ReadonlyMap<string, StaticFile>;
  /** Interval of the heartbeat comments of server-sent-events watches; default 15 s. */
  readonly watchHeartbeatMs?: number;
  /** Serve unpaginated V1 lists from these informer caches (started and stopped by the caller). */
  readonly listCache?: ListCache;
}

/** The whole HTTP API server (V1 and, unless disabled, V2) on one port. */
export function createApiServer(o: AppOptions): ApiHttpServer {
  const auth = authSetup(o.auth, o.kube, {
    ...(o.securityToken !== undefined ? { securityToken: o.securityToken } : {}),
    ...(o.securityPrefix !== undefined ? { securityPrefix: o.securityPrefix } : {}),
    ...(o.tokenAudiences ? { audiences: o.tokenAudiences } : {}),
  });
  const server = new ApiHttpServer({
    logger: o.logger,
    metrics: new ApiServerMetrics(o.registry),
    registry: o.registry,
    ...auth,
    cors: { allowOrigins: o.corsAllowOrigins ?? [] },
    maxBodyBytes: o.maxBodyBytes ?? 3 * 1024 * 1024,
    requestTimeoutMs: o.requestTimeoutMs ?? 60_000,
    ...(o.tls ? { tls: o.tls } : {}),
    ...(o.ready ? { ready: o.ready } : {}),
  });
  registerV1(server, o.listCache);
  registerSwagger(server, o.swagger ?? builtinSwaggerFiles());
  if (o.swaggerUi) registerSwaggerUi(server, o.swaggerUi);
  if (o.dashboard) registerDashboard(server, o.dashboard);
  if (o.enableV2 ?? true)
    registerV2(server, o.watchHeartbeatMs ? { watch: { heartbeatMs: o.watchHeartbeatMs } } : {});
  return server;
}
