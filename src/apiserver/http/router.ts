/** One route: a method and a path pattern whose `{name}` segments capture one path segment each. */
interface Route<H> {
  readonly method: string;
  readonly pattern: string;
  readonly handler: H;
}

type RouteMatch<H> =
  | { readonly kind: 'found'; readonly route: Route<H>; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'methodNotAllowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'notFound' };

interface Compiled<H> {
  readonly route: Route<H>;
  readonly segments: readonly string[];
}

/**
 * A table of routes matched segment by segment. Literal segments win over captures, so
 * `/jobsubmissions/{cluster}/log/{id}` is preferred to `/jobsubmissions/{cluster}/{id}` for a 4-segment tail.
 */
export class Router<H> {
  readonly #routes: Compiled<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    this.#routes.push({ route: { method, pattern, handler }, segments: split(pattern) });
    return this;
  }

  get routes(): readonly Route<H>[] {
    return this.#routes.map((c) => c.route);
  }

  match(method: string, path: string): RouteMatch<H> {
    const parts = split(path);
    let best: { c: Compiled<H>; params: Record<string, string>; score: number } | undefined;
    const allowed = new Set<string>();
    for (const c of this.#routes) {
      const m = matchSegments(c.segments, parts);
      if (!m) continue;
      allowed.add(c.route.method);
      if (c.route.method !== method) continue;
      if (!best || m.score > best.score) best = { c, params: m.params, score: m.score };
    }
    if (best) return { kind: 'found', route: best.c.route, params: best.params };
    if (allowed.size > 0) return { kind: 'methodNotAllowed', allowed: [...allowed] };
    return { kind: 'notFound' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(
  pattern: readonly string[],
  parts: readonly string[],
): { params: Record<string, string>; score: number } | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  let score = 0;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const v = parts[i]!;
    if (p.startsWith('{') && p.endsWith('}')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(v);
      } catch {
        return undefined;
      }
      params[p.slice(1, -1)] = decoded;
    } else if (p === v) score++;
    else return undefined;
  }
  return { params, score };
}
