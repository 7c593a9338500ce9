/**
 * Where a user may look. Kubernetes lets a namespace user list neither namespaces nor objects across all of them,
 * so the dashboard asks SelfSubjectAccessReviews ("may I list rayclusters here?") about the places it knows: all
 * namespaces, the namespace of a ServiceAccount token, and the namespaces typed in this tab before.
 */

/** The namespace a ServiceAccount token belongs to (read from the JWT's claims, not verified: a hint only). */
export function tokenNamespace(token: string): string {
  const part = token.split('.')[1];
  if (!part) return '';
  try {
    const json = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const claims = JSON.parse(json) as { sub?: unknown; 'kubernetes.io'?: { namespace?: unknown } };
    const ns = claims['kubernetes.io']?.namespace;
    if (typeof ns === 'string') return ns;
    const m = typeof claims.sub === 'string' ? /^system:serviceaccount:([^:]+):/.exec(claims.sub) : null;
    return m?.[1] ?? '';
  } catch {
    return '';
  }
}

/** The namespaces typed before, most recent first, without duplicates, at most `max`. */
export function remember(known: readonly string[], ns: string, max = 10): string[] {
  if (!ns) return [...known];
  return [ns, ...known.filter((k) => k !== ns)].slice(0, max);
}

export interface ScopeFacts {
  /** The namespace chosen ('' = all). */
  readonly namespace: string;
  /** May the user list rayclusters in the chosen scope (undefined: not known yet). */
  readonly allowed?: boolean;
  /** The other namespaces known here, with whether the user may list there (in the order to offer them). */
  readonly candidates: readonly { readonly namespace: string; readonly allowed: boolean }[];
}

export type ScopeAdvice =
  | { readonly kind: 'ok' }
  /** Not allowed in all namespaces, allowed in one known namespace: go there (and say why). */
  | { readonly kind: 'switch'; readonly to: string; readonly message: string }
  /** Not allowed and nowhere to go: say so, and offer what is allowed. */
  | { readonly kind: 'denied'; readonly message: string; readonly offer: readonly string[] };

export function adviseScope(f: ScopeFacts): ScopeAdvice {
  if (f.allowed !== false) return { kind: 'ok' };
  const offer = f.candidates.filter((c) => c.allowed && c.namespace !== f.namespace).map((c) => c.namespace);
  if (!f.namespace && offer.length > 0)
    return {
      kind: 'switch',
      to: offer[0]!,
      message: `Your token cannot list across all namespaces; showing namespace ${offer[0]}, where it can. Type another namespace in the top bar to look elsewhere.`,
    };
  const where = f.namespace ? `in namespace ${f.namespace}` : 'across all namespaces';
  return {
    kind: 'denied',
    message:
      offer.length > 0
        ? `Your token may not list Ray objects ${where}. Namespaces where it may:`
        : `Your token may not list Ray objects ${where}, nor in any namespace known here. Type a namespace where you have rights in the top bar.`,
    offer,
  };
}
