import { Failure, LiveIndicator, StateBadge } from '../components.tsx';
import { useLiveList } from '../live-list.ts';
import { KIND_NAMES, KINDS, type Plural } from '../logic/kinds.ts';
import { listHref } from '../logic/route.ts';
import { summarize } from '../logic/summary.ts';

function KindCard(props: { plural: Plural; namespace: string }) {
  const live = useLiveList(props.plural, props.namespace);
  const summary = summarize(props.plural, live.items);
  return (
    <section className="card" data-testid={`card-${props.plural}`}>
      <h2>
        <a href={listHref(props.plural)}>{KIND_NAMES[props.plural]}s</a>{' '}
        <span className="count">{summary.total}</span>
        <LiveIndicator status={live.status} />
      </h2>
      <Failure error={live.status === 'error' ? live.error : undefined} />
      <ul className="states">
        {summary.byState.map((s) => (
          <li key={s.state}>
            <a href={listHref(props.plural, new URLSearchParams({ state: s.state }))}>
              <StateBadge state={s.state} /> {s.count}
            </a>
          </li>
        ))}
        {summary.total === 0 && live.status === 'live' && <li className="muted">none</li>}
      </ul>
    </section>
  );
}

export function OverviewPage(props: { namespace: string }) {
  return (
    <>
      <h1>Overview {props.namespace ? `of namespace ${props.namespace}` : 'of all namespaces'}</h1>
      <div className="cards">
        {KINDS.map((k) => (
          <KindCard key={k} plural={k} namespace={props.namespace} />
        ))}
      </div>
    </>
  );
}
