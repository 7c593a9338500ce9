import { parseGoDuration } from '../api/validation/duration.ts';
import { ConfigError } from '../config/feature-gates.ts';
import { type FlagDef, helpTextWith, parseFlagsWith } from '../config/flags.ts';
import { AUTH_MODES, type AuthMode } from './auth/modes.ts';

/**
 * The API server's flags: KubeRay's (same names, same defaults; Go flag syntax, so `-httpPortFlag :8888` and
 * `--httpPortFlag=:8888` both work) and ours for authentication, TLS and limits.
 */
const APISERVER_FLAGS: readonly FlagDef[] = [
  {
    name: 'rpcPortFlag',
    kind: 'string',
    default: ':8887',
    help: "RPC Port: the V1 API over gRPC (package proto, KubeRay's services).",
  },
  { name: 'httpPortFlag', kind: 'string', default: ':8888', help: 'Http Proxy Port' },
  {
    name: 'collectMetricsFlag',
    kind: 'bool',
    default: true,
    help: 'Whether to collect Prometheus metrics in API server.',
  },
  { name: 'logFilePath', kind: 'string', default: '', help: 'Synchronize logs to local file' },
  {
    name: 'localSwaggerPath',
    kind: 'string',
    default: '',
    help: 'Specify the root directory for `*.swagger.json` the swagger files (unset: the built-in files).',
  },
  {
    name: 'grpc_timeout',
    kind: 'string',
    default: '60s',
    help: 'Deadline of one call (Go duration), HTTP and gRPC alike.',
  },
  { name: 'enable-api-server-v2', kind: 'bool', default: true, help: 'Enable API server V2' },
  {
    name: 'cors-allow-origin',
    kind: 'string',
    default: '',
    help: 'Set the Access-Control-Allow-Origin response header for the HTTP proxy (comma-separated origins, or *).',
  },
  {
    name: 'kubeconfig',
    kind: 'string',
    default: '',
    help: 'Path to a kubeconfig (default: $KUBECONFIG, then the in-cluster ServiceAccount).',
  },
  {
    name: 'auth',
    kind: 'string',
    default: 'kubernetes',
    help: "Authentication: kubernetes (bearer tokens via TokenReview, client certificates, RBAC via SubjectAccessReview and impersonation), security-proxy (KubeRay's one shared token, acting as the server's ServiceAccount) or none (development only).",
  },
  {
    name: 'security-token',
    kind: 'string',
    default: '',
    help: 'The shared token of --auth=security-proxy (default: $SECURITY_TOKEN).',
  },
  {
    name: 'security-prefix',
    kind: 'string',
    default: '/',
    help: 'Path prefix the shared token protects (default: $SECURITY_PREFIX, then /).',
  },
  {
    name: 'token-audiences',
    kind: 'string',
    default: '',
    help: "Comma-separated audiences the TokenReview checks (default: the API server's own).",
  },
  { name: 'tls-cert-file', kind: 'string', default: '', help: 'Serve HTTPS with this certificate (PEM).' },
  {
    name: 'tls-private-key-file',
    kind: 'string',
    default: '',
    help: 'Private key of --tls-cert-file (PEM).',
  },
  {
    name: 'client-ca-file',
    kind: 'string',
    default: '',
    help: 'With TLS: accept client certificates signed by this CA (CN is the user, O the groups).',
  },
  {
    name: 'max-request-body-bytes',
    kind: 'int',
    default: 3 * 1024 * 1024,
    help: 'Largest request body accepted; bigger ones get 413.',
  },
  {
    name: 'shutdown-grace-period',
    kind: 'string',
    default: '15s',
    help: 'On SIGTERM, how long requests in flight may take to finish (Go duration).',
  },
  {
    name: 'cache-lists',
    kind: 'bool',
    default: true,
    help: "Answer unpaginated V1 lists from informer caches of the managed RayClusters, RayJobs and RayServices (after the caller's list permission is checked) instead of a LIST per request.",
  },
  { name: 'log-format', kind: 'string', default: 'json', help: "Log format: 'json' or 'console'." },
  {
    name: 'dashboard-dir',
    kind: 'string',
    default: '',
    help: 'Serve the web dashboard built in this directory at / (default: dashboard/dist of this checkout when it was built; "none" turns it off).',
  },
];

interface ApiServerConfig {
  readonly httpHost: string | undefined;
  readonly httpPort: number;
  readonly rpcPort: string;
  readonly collectMetrics: boolean;
  readonly logFilePath: string;
  readonly localSwaggerPath: string;
  readonly requestTimeoutMs: number;
  readonly enableV2: boolean;
  readonly corsAllowOrigins: readonly string[];
  readonly kubeconfig: string;
  readonly auth: AuthMode;
  readonly securityToken: string;
  readonly securityPrefix: string;
  readonly tokenAudiences: readonly string[];
  readonly tlsCertFile: string;
  readonly tlsKeyFile: string;
  readonly clientCaFile: string;
  readonly maxBodyBytes: number;
  readonly shutdownGraceMs: number;
  readonly logFormat: 'json' | 'console';
  readonly cacheLists: boolean;
  /** The built dashboard to serve; '' = the default location if built there; 'none' = no dashboard. */
  readonly dashboardDir: string;
}

type ApiServerConfigResult = { kind: 'help'; text: string } | { kind: 'config'; config: ApiServerConfig };

/** A duration flag in Go's syntax (`60s`, `1m30s`, `500ms`), in milliseconds; a negative one is refused too. */
export function durationFlag(text: string, flag: string): number {
  const ms = parseGoDuration(text.trim());
  if (ms === undefined || ms < 0)
    throw new ConfigError(
      `invalid value "${text}" for flag -${flag}: parse error (want a duration such as 60s or 1m30s)`,
    );
  return ms;
}

/** `:8888` / `0.0.0.0:8888` / `8888` -> host and port. */
export function parseListenAddress(text: string, flag: string): { host: string | undefined; port: number } {
  const m = /^(?:(.*):)?(\d+)$/.exec(text.trim());
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port > 65535)
    throw new ConfigError(`invalid value "${text}" for flag -${flag}: want [host]:port`);
  const host = m[1] ? m[1].replace(/^\[(.*)\]$/, '$1') : undefined;
  return { host, port };
}

export function buildApiServerConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ApiServerConfigResult {
  const parsed = parseFlagsWith(APISERVER_FLAGS, argv);
  if (parsed.help)
    return {
      kind: 'help',
      text: helpTextWith('kuberay-apiserver', APISERVER_FLAGS, [
        'Environment: SECURITY_TOKEN and SECURITY_PREFIX (security-proxy mode), KUBECONFIG.',
        'Routes, authentication modes and differences from KubeRay are described in docs/apiserver.md.',
      ]),
    };
  const v = parsed.values;
  const str = (k: string) => String(v[k]);
  const auth = str('auth') as AuthMode;
  if (!AUTH_MODES.includes(auth))
    throw new ConfigError(`invalid value "${auth}" for flag -auth: want one of ${AUTH_MODES.join(', ')}`);
  const http = parseListenAddress(str('httpPortFlag'), 'httpPortFlag');
  const securityToken = parsed.set.has('security-token') ? str('security-token') : (env.SECURITY_TOKEN ?? '');
  if (auth === 'security-proxy' && !securityToken)
    throw new ConfigError(
      '-auth=security-proxy needs the shared token: set -security-token or SECURITY_TOKEN',
    );
  const tlsCertFile = str('tls-cert-file');
  const tlsKeyFile = str('tls-private-key-file');
  if (Boolean(tlsCertFile) !== Boolean(tlsKeyFile))
    throw new ConfigError('-tls-cert-file and -tls-private-key-file must be given together');
  if (str('client-ca-file') && !tlsCertFile)
    throw new ConfigError('-client-ca-file needs TLS (-tls-cert-file)');
  const maxBodyBytes = Number(v['max-request-body-bytes']);
  if (maxBodyBytes <= 0) throw new ConfigError('-max-request-body-bytes must be positive');
  const logFormat = str('log-format');
  if (logFormat !== 'json' && logFormat !== 'console')
    throw new ConfigError(`invalid value "${logFormat}" for flag -log-format: want json or console`);
  const list = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  return {
    kind: 'config',
    config: Object.freeze({
      httpHost: http.host,
      httpPort: http.port,
      rpcPort: str('rpcPortFlag'),
      collectMetrics: Boolean(v.collectMetricsFlag),
      logFilePath: str('logFilePath'),
      localSwaggerPath: str('localSwaggerPath'),
      requestTimeoutMs: durationFlag(str('grpc_timeout'), 'grpc_timeout'),
      enableV2: Boolean(v['enable-api-server-v2']),
      corsAllowOrigins: Object.freeze(list(str('cors-allow-origin'))),
      kubeconfig: str('kubeconfig'),
      auth,
      securityToken,
      securityPrefix: parsed.set.has('security-prefix')
        ? str('security-prefix')
        : (env.SECURITY_PREFIX ?? '/'),
      tokenAudiences: Object.freeze(list(str('token-audiences'))),
      tlsCertFile,
      tlsKeyFile,
      clientCaFile: str('client-ca-file'),
      maxBodyBytes,
      shutdownGraceMs: durationFlag(str('shutdown-grace-period'), 'shutdown-grace-period'),
      logFormat,
      cacheLists: Boolean(v['cache-lists']),
      dashboardDir: str('dashboard-dir'),
    }),
  };
}
