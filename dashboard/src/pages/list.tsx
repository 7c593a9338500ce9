import { useState } from 'react';
import { Failure, LiveIndicator, StateBadge } from '../components.tsx';
import { useLiveList } from '../live-list.ts';
import { applyQuery, type ListQuery, queryFromParams, queryToParams, type SortKey } from '../logic/filter.ts';
import { age } from '../logic/format.ts';
import { KIND_NAMES, type Plural, stateOf, statusMessage } from '../logic/kinds.ts';
import { detailHref, listHref } from '../logic/route.ts';
import { summarize } from '../logic/summary.ts';
import { useNow } from '../use-now.ts';

const COLUMNS: readonly { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'namespace', label: 'Namespace' },
  { key: 'state', label: 'State' },
  { key: 'age', label: 'Age' },
];

export function ListPage(props: { plural: Plural; namespace: string; params: URLSearchParams }) {
  const live = useLiveList(props.plural, props.namespace);
  const now = useNow(5000);
  const [query, setQuery] = useState<ListQuery>(() => queryFromParams(props.params));
  const update = (q: ListQuery) => {
    setQuery(q);
    window.history.replaceState(null, '', listHref(props.plural, queryToParams(q)));
  };
  const rows = applyQuery(props.plural, live.items, { ...query, namespace: '' });
  const states = summarize(props.plural, live.items).byState.map((s) => s.state);
  return (
    <>
      <h1>
        {KIND_NAMES[props.plural]}s <LiveIndicator status={live.status} />
      </h1>
      <div className="filters">
        <input
          name="filter-name"
          placeholder="filter by name"
          value={query.name}
          onChange={(e) => update({ ...query, name: e.target.value })}
        />
        <select
          name="filter-state"
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
        <span className="muted">
          {rows.length} of {live.items.length} in {props.namespace || 'all namespaces'}
        </span>
      </div>
      <Failure
        error={live.error}
        what={live.status === 'error' ? `Cannot list ${KIND_NAMES[props.plural]}s` : 'Connection'}
      />
      <table>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key}>
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
          {rows.map((o) => (
            <tr key={`${o.metadata.namespace}/${o.metadata.name}`} data-name={o.metadata.name}>
              <td>
                <a href={detailHref(props.plural, o.metadata.namespace ?? '', o.metadata.name)}>
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
          ))}
          {rows.length === 0 && live.status !== 'loading' && (
            <tr>
              <td colSpan={5} className="muted">
                No {KIND_NAMES[props.plural]}s{live.items.length ? ' match the filters' : ''}.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
