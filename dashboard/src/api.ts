import { errorText } from './logic/format.ts';

/**
 * Calls to our API server with the caller's bearer token. The token lives only in this tab's sessionStorage;
 * the server keeps nothing.
 */
const TOKEN_KEY = 'kuberay-ts.token';

export function getToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function setToken(token: string): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** A failed call: the HTTP status and the server's message (a Kubernetes Status or a grpc-gateway error). */
export class ApiFailure extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
  }
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** One JSON call; throws ApiFailure with the server's message on any non-2xx answer or a network failure. */
export async function api<T = unknown>(
  method: string,
  path: string,
  body?: { text: string; contentType: string },
  signal?: AbortSignal,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        ...authHeaders(),
        ...(body ? { 'Content-Type': body.contentType } : {}),
      },
      ...(body ? { body: body.text } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiFailure(
      0,
      `cannot reach the API server: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    // keep the text
  }
  if (!res.ok) throw new ApiFailure(res.status, errorText(res.status, parsed));
  return parsed as T;
}

/** The collection path of a ray.io kind, in one namespace or across all. */
export function collectionPath(plural: string, namespace: string): string {
  return namespace
    ? `/apis/ray.io/v1/namespaces/${encodeURIComponent(namespace)}/${plural}`
    : `/apis/ray.io/v1/${plural}`;
}

export function objectPath(plural: string, namespace: string, name: string): string {
  return `${collectionPath(plural, namespace)}/${encodeURIComponent(name)}`;
}
