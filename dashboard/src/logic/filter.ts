import { type Plural, type RayObject, stateOf } from './kinds.ts';
import { DEFAULT_PAGE_SIZE, pageSizeOf } from './paging.ts';

export type SortKey = 'name' | 'namespace' | 'state' | 'age';

export interface ListQuery {
  /** Empty: every namespace. */
  readonly namespace: string;
  /** Case-insensitive substring of the name. */
  readonly name: string;
  /** Empty: every state. */
  readonly state: string;
  readonly sort: SortKey;
  readonly descending: boolean;
  /** A Kubernetes label selector, applied by the server (`labelSelector`). */
  readonly label: string;
  /** Objects per page, listed by the server (`limit`). */
  readonly limit: number;
}

export const DEFAULT_QUERY: ListQuery = {
  namespace: '',
  name: '',
  state: '',
  sort: 'name',
  descending: false,
  label: '',
  limit: DEFAULT_PAGE_SIZE,
};

const SORT_KEYS: readonly SortKey[] = ['name', 'namespace', 'state', 'age'];

function created(o: RayObject): number {
  const t = Date.parse(o.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? 0 : t;
}

/** The objects that match the query, sorted (ties broken by namespace then name, so the order is stable). */
export function applyQuery(plural: Plural, objs: readonly RayObject[], q: ListQuery): RayObject[] {
  const needle = q.name.trim().toLowerCase();
  const out = objs.filter(
    (o) =>
      (!q.namespace || o.metadata.namespace === q.namespace) &&
      (!needle || o.metadata.name.toLowerCase().includes(needle)) &&
      (!q.state || stateOf(plural, o) === q.state),
  );
  const key = (o: RayObject): string | number => {
    switch (q.sort) {
      case 'name':
        return o.metadata.name;
      case 'namespace':
        return o.metadata.namespace ?? '';
      case 'state':
        return stateOf(plural, o);
      case 'age':
        // Youngest first when ascending by age (the smallest age).
        return -created(o);
    }
  };
  const cmp = (a: string | number, b: string | number) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
  out.sort((a, b) => {
    const primary = cmp(key(a), key(b)) * (q.descending ? -1 : 1);
    if (primary !== 0) return primary;
    return (
      (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
      a.metadata.name.localeCompare(b.metadata.name)
    );
  });
  return out;
}

/**
 * The query kept in the URL hash (`?ns=a&name=b&state=ready&sort=age&desc=1&label=app%3Dx&limit=50`), tolerant
 * of junk.
 */
export function queryFromParams(p: URLSearchParams): ListQuery {
  const sort = p.get('sort') ?? '';
  return {
    namespace: p.get('ns') ?? '',
    name: p.get('name') ?? '',
    state: p.get('state') ?? '',
    sort: (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : 'name',
    descending: p.get('desc') === '1',
    label: p.get('label') ?? '',
    limit: pageSizeOf(p.get('limit')),
  };
}

export function queryToParams(q: ListQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.namespace) p.set('ns', q.namespace);
  if (q.name) p.set('name', q.name);
  if (q.state) p.set('state', q.state);
  if (q.sort !== 'name') p.set('sort', q.sort);
  if (q.descending) p.set('desc', '1');
  if (q.label) p.set('label', q.label);
  if (q.limit !== DEFAULT_PAGE_SIZE) p.set('limit', String(q.limit));
  return p;
}
