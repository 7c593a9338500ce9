import { type KeyboardEvent, useState } from 'react';
import { Failure, LiveIndicator, StateBadge } from '../components.tsx';
import { useLivePage } from '../live-page.ts';
import { applyQuery, type ListQuery, queryFromParams, queryToParams, type SortKey } from '../logic/filter.ts';
import { age } from '../logic/format.ts';
import { KIND_NAMES, type Plural, stateOf, statusMessage } from '../logic/kinds.ts';
import {
  FIRST_PAGE,
  labelSelectorError,
  nextPage,
  PAGE_SIZES,
  type PageCursor,
  pageNumber,
  previousPage,
} from '../logic/paging.ts';
import { detailHref, listHref } from '../logic/route.ts';
import { summarize } from '../logic/summary.ts';
import { useNow } from '../use-now.ts';

const COLUMNS: readonly { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'namespace', label: 'Namespace' },
  { key: 'state', label: 'State' },
  { key: 'age', label: 'Age' },
];

/** Enter opens the focused row; the arrow keys move between rows. */
function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, href: string): void {
  if (e.key === 'Enter') {
    e.preventDefault();
    window.location.hash = href;
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const row =
      e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling;
    if (row instanceof HTMLElement && row.tabIndex >= 0) row.focus();
  }
}

/**
 * A page of one kind, listed by the server (`limit`/`continue`, `labelSelector`) and kept live by the watch;
 * the name and state filters and the sort apply to the page held (see docs/dashboard.md, "Pages of a list").
 */
export function ListPage(props: { plural: Plural; namespace: string; params: URLSearchParams }) {
  const now = useNow(5000);
  const [query, setQuery] = useState<ListQuery>(() => queryFromParams(props.params));
  const [labelDraft, setLabelDraft] = useState(query.label);
  const scope = `${props.namespace}|${query.label}|${query.limit}`;
  // The pages visited, for the scope they were visited in (a new namespace, selector or size starts again).
  const [paged, setPaged] = useState<{ scope: string; cursor: PageCursor }>({ scope, cursor: FIRST_PAGE });
  const cursor = paged.scope === scope ? paged.cursor : FIRST_PAGE;
  const [reload, setReload] = useState(0);
  const update = (q: ListQuery) => {
    setQuery(q);
    window.history.replaceState(null, '', listHref(props.plural, queryToParams(q)));
  };
  const labelError = labelSelectorError(labelDraft);
  const applyLabel = () => {
    if (!labelError && labelDraft.trim() !== query.label) update({ ...query, label: labelDraft.trim() });
  };
  const n = pageNumber(cursor);
  const live = useLivePage(
    props.plural,
    props.namespace,
    {
      limit: query.limit,
      token: cursor.tokens.at(-1)!,
      after: cursor.afters.at(-1)!,
      labelSelector: query.label,
    },
    reload,
  );
  const rows = applyQuery(props.plural, live.items, { ...query, namespace: '' });
  const states = summarize(props.plural, live.items).byState.map((s) => s.state);
  const paging = n > 1 || live.next !== undefined;
  const held = paging ? `on page ${n}` : `in ${props.namespace || 'all namespaces'}`;
  return (
    <>
      <h1>
        {KIND_NAMES[props.plural]}s <LiveIndicator status={live.status} />
      </h1>
      <div className="filters">
        <input
          name="filter-name"
          aria-label="filter by name"
          placeholder="filter by name"
          value={query.name}
          onChange={(e) => update({ ...query, name: e.target.value })}
        />
        <select
          name="filter-state"
          aria-label="filter by state"
          value={query.state}
          onChange={(e) => update({ ...query, state: e.target.value })}
        >
          <option value="">every state</option>
          {[...new Set([...states, ...(query.state ? [query.state] : [])])].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <input
          name="filter-label"
          aria-label="label selector"
          placeholder="label selector, e.g. team=ml"
          value={labelDraft}
          aria-invalid={labelError ? true : undefined}
          onChange={(e) => setLabelDraft(e.target.value)}
          onBlur={applyLabel}
          onKeyDown={(e) => {
            if (e.key === 'Enter') applyLabel();
          }}
        />
        <select
          name="page-size"
          aria-label="objects per page"
          value={query.limit}
          onChange={(e) => update({ ...query, limit: Number(e.target.value) })}
        >
          {PAGE_SIZES.map((s) => (
            <option key={s} value={s}>
              {s} per page
            </option>
          ))}
        </select>
        <span className="muted" data-testid="counts">
          {rows.length} of {live.items.length} {held}
          {live.remaining ? ` (${live.remaining} more after it)` : ''}
        </span>
      </div>
      {labelError && (
        <div className="error" role="alert">
          {labelError}
        </div>
      )}
      <Failure
        error={live.error}
        what={live.status === 'error' ? `Cannot list ${KIND_NAMES[props.plural]}s` : 'Connection'}
      />
      {live.error?.status === 410 && (
        <button type="button" onClick={() => setPaged({ scope, cursor: FIRST_PAGE })}>
          Back to the first page
        </button>
      )}
      {live.newElsewhere.length > 0 && (
        <div className="banner" role="status" data-testid="new-elsewhere">
          {live.newElsewhere.length} new {KIND_NAMES[props.plural]}
          {live.newElsewhere.length === 1 ? '' : 's'} on other pages.{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              setPaged({ scope, cursor: FIRST_PAGE });
              setReload((r) => r + 1);
            }}
          >
            Reload from the first page
          </button>
        </div>
      )}
      <table>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                aria-sort={query.sort === c.key ? (query.descending ? 'descending' : 'ascending') : 'none'}
              >
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    update({
                      ...query,
                      sort: c.key,
                      descending: query.sort === c.key ? !query.descending : false,
                    })
                  }
                >
                  {c.label}
                  {query.sort === c.key ? (query.descending ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            ))}
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => {
            const href = detailHref(props.plural, o.metadata.namespace ?? '', o.metadata.name);
            return (
              <tr
                key={`${o.metadata.namespace}/${o.metadata.name}`}
                data-name={o.metadata.name}
                tabIndex={0}
                className="row"
                onKeyDown={(e) => onRowKey(e, href)}
              >
                <td>
                  <a href={href} tabIndex={-1}>
                    {o.metadata.name}
                  </a>
                </td>
                <td>{o.metadata.namespace}</td>
                <td>
                  <StateBadge state={stateOf(props.plural, o)} />
                </td>
                <td title={o.metadata.creationTimestamp}>{age(o.metadata.creationTimestamp, now)}</td>
                <td className="message">{statusMessage(o)}</td>
              </tr>
            );
          })}
          {rows.length === 0 && live.status !== 'loading' && (
            <tr>
              <td colSpan={5} className="muted">
                No {KIND_NAMES[props.plural]}s{live.items.length ? ' match the filters' : ''}
                {paging ? ' on this page' : ''}.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {paging && (
        <nav className="pager" aria-label="pages">
          <button
            type="button"
            disabled={n <= 1}
            onClick={() => setPaged({ scope, cursor: previousPage(cursor) })}
          >
            Previous
          </button>
          <span data-testid="page">Page {n}</span>
          <button
            type="button"
            disabled={!live.next}
            onClick={() =>
              live.next && setPaged({ scope, cursor: nextPage(cursor, live.next.token, live.next.after) })
            }
          >
            Next
          </button>
        </nav>
      )}
    </>
  );
}
