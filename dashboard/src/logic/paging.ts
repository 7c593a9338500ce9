import { keyOf, type Named, type WatchEvent } from './store.ts';

/**
 * Pages of a Kubernetes list (`limit` + `continue`) that stay live. Kubernetes returns a collection in the order
 * of its storage keys (`namespace/name`, compared byte by byte) and a page ends where the next one's `continue`
 * token starts. A page covers the keys after the previous page's last key up to its own last key (to the end
 * when it is the last page). A watch event for an object in that range changes the page; an object added
 * elsewhere is only counted ("N new on other pages"), since the other pages are not held.
 */
export interface PageRange {
  /** The last key of the previous page ('' on the first page): the range starts after it. */
  readonly after: string;
  /** The last key of this page when more pages follow; undefined on the last page (the range is open). */
  readonly through?: string;
}

export const PAGE_SIZES = [50, 100, 200, 500] as const;
export const DEFAULT_PAGE_SIZE = 100;

/** Byte order of UTF-16 strings made of the characters Kubernetes allows in names (ASCII): plain `<`. */
const before = (a: string, b: string): boolean => a < b;

export function inRange(key: string, range: PageRange): boolean {
  if (range.after && !before(range.after, key)) return false;
  return range.through === undefined || !before(range.through, key);
}

/** The range a freshly listed page covers. */
export function rangeOf(items: readonly Named[], after: string, hasMore: boolean): PageRange {
  const last = items.at(-1);
  return hasMore && last ? { after, through: keyOf(last) } : { after };
}

export interface LivePage<T extends Named> {
  readonly items: readonly T[];
  /** Objects added since the list outside this page's range. */
  readonly newElsewhere: readonly string[];
}

/** The page after one watch event. */
export function applyPageEvent<T extends Named>(
  page: LivePage<T>,
  range: PageRange,
  event: WatchEvent<T>,
): LivePage<T> {
  if (event.type === 'BOOKMARK' || event.type === 'ERROR') return page;
  const obj = event.object as T;
  if (!obj?.metadata?.name) return page;
  const key = keyOf(obj);
  if (inRange(key, range)) {
    const items = applyEventSorted(page.items, event);
    return items === page.items ? page : { ...page, items };
  }
  const known = page.newElsewhere.includes(key);
  if (event.type === 'ADDED' && !known) return { ...page, newElsewhere: [...page.newElsewhere, key] };
  if (event.type === 'DELETED' && known)
    return { ...page, newElsewhere: page.newElsewhere.filter((k) => k !== key) };
  return page;
}

/** Like applyEvent, but a new object goes where Kubernetes would list it (key order), not at the end. */
function applyEventSorted<T extends Named>(list: readonly T[], event: WatchEvent<T>): readonly T[] {
  const obj = event.object as T;
  const key = keyOf(obj);
  const i = list.findIndex((o) => keyOf(o) === key);
  if (event.type === 'DELETED') return i < 0 ? list : [...list.slice(0, i), ...list.slice(i + 1)];
  if (i >= 0) {
    if (isOlder(obj.metadata.resourceVersion, list[i]!.metadata.resourceVersion)) return list;
    const next = [...list];
    next[i] = obj;
    return next;
  }
  const at = list.findIndex((o) => before(key, keyOf(o)));
  return at < 0 ? [...list, obj] : [...list.slice(0, at), obj, ...list.slice(at)];
}

function isOlder(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return a.length !== b.length ? a.length < b.length : a < b;
}

/**
 * Where the user is in the pages: the `continue` token of each page visited so far ('' for the first) and the
 * last key of each previous page, so Previous goes back without a token Kubernetes cannot give.
 */
export interface PageCursor {
  readonly tokens: readonly string[];
  readonly afters: readonly string[];
}

export const FIRST_PAGE: PageCursor = { tokens: [''], afters: [''] };

export const pageNumber = (c: PageCursor): number => c.tokens.length;

export function nextPage(c: PageCursor, token: string, lastKey: string): PageCursor {
  return { tokens: [...c.tokens, token], afters: [...c.afters, lastKey] };
}

export function previousPage(c: PageCursor): PageCursor {
  if (c.tokens.length <= 1) return c;
  return { tokens: c.tokens.slice(0, -1), afters: c.afters.slice(0, -1) };
}

/** A page size from the URL: one of PAGE_SIZES, else the default. */
export function pageSizeOf(raw: string | null): number {
  const n = Number(raw);
  return (PAGE_SIZES as readonly number[]).includes(n) ? n : DEFAULT_PAGE_SIZE;
}

/**
 * A label selector as typed by a user, checked enough to name the mistake before Kubernetes does:
 * comma-separated `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`.
 */
export function labelSelectorError(raw: string): string | undefined {
  const s = raw.trim();
  if (!s) return undefined;
  const key = String.raw`(?:[a-z0-9A-Z.-]+\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?`;
  const value = '(?:[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?)?';
  const term = new RegExp(
    String.raw`^\s*(?:!?${key}|${key}\s*(?:==?|!=)\s*${value}|${key}\s+(?:in|notin)\s+\(\s*${value}(?:\s*,\s*${value})*\s*\))\s*$`,
  );
  // Split on commas outside parentheses.
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(cur);
      cur = '';
    } else cur += ch;
  }
  terms.push(cur);
  const bad = terms.find((t) => !term.test(t));
  return bad === undefined ? undefined : `label selector: "${bad.trim()}" is not a requirement like app=x`;
}
