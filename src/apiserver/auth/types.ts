import type { IncomingMessage } from 'node:http';

/** Who made a request, as Kubernetes authenticated them (or the fixed identity of the non-secure modes). */
export interface Caller {
  readonly user: string;
  readonly groups: readonly string[];
  readonly uid?: string;
  readonly extra?: Readonly<Record<string, readonly string[]>>;
  /** How the identity was established: a bearer token (TokenReview), a client certificate, or none (--auth=none / security proxy). */
  readonly via: 'token' | 'certificate' | 'none' | 'static-token';
}

/** One Kubernetes permission a route needs, checked with a SubjectAccessReview. */
export interface ResourceAttributes {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  /** Absent: all namespaces (cluster-wide list). */
  readonly namespace?: string;
  readonly name?: string;
}

/** Establishes the caller of a request; throws RpcError(Unauthenticated) with the reason. */
export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<Caller>;
}

/** Decides whether the caller may do all of `attrs`; throws RpcError(PermissionDenied) naming the refused one. */
export interface Authorizer {
  authorize(caller: Caller, attrs: readonly ResourceAttributes[]): Promise<void>;
}

/** `verb group/resource[/sub] [in namespace|in all namespaces] [name]`, the text used in refusals. */
export function describeAttributes(a: ResourceAttributes): string {
  const res = `${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.group ? `.${a.group}` : ''}`;
  const where = a.namespace ? `in namespace "${a.namespace}"` : 'at the cluster scope';
  return `${a.verb} ${res}${a.name ? ` "${a.name}"` : ''} ${where}`;
}
