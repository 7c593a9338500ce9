import { isPlural, type Plural } from './kinds.ts';

/** The pages, addressed by the URL hash (so the API server serves one index.html for everything). */
export type Route =
  | { readonly page: 'login' }
  | { readonly page: 'overview' }
  | { readonly page: 'create'; readonly from: 'yaml' | 'template' }
  | { readonly page: 'list'; readonly plural: Plural; readonly params: URLSearchParams }
  | { readonly page: 'detail'; readonly plural: Plural; readonly namespace: string; readonly name: string }
  | { readonly page: 'notFound'; readonly hash: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  let parts: string[];
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return { page: 'notFound', hash };
  }
  if (parts.length === 0) return { page: 'overview' };
  const [first, ns, name] = parts as [string, string?, string?];
  if (parts.length === 1 && first === 'login') return { page: 'login' };
  if (parts.length === 1 && first === 'create') return { page: 'create', from: 'yaml' };
  if (parts.length === 2 && first === 'create' && ns === 'template')
    return { page: 'create', from: 'template' };
  if (isPlural(first) && parts.length === 1) return { page: 'list', plural: first, params };
  if (isPlural(first) && parts.length === 3)
    return { page: 'detail', plural: first, namespace: ns!, name: name! };
  return { page: 'notFound', hash };
}

export function listHref(plural: Plural, params?: URLSearchParams): string {
  const q = params?.toString();
  return `#/${plural}${q ? `?${q}` : ''}`;
}

export function detailHref(plural: Plural, namespace: string, name: string): string {
  return `#/${plural}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}
