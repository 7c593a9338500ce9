import type { ApiFailure } from './api.ts';
import type { LiveStatus } from './live-list.ts';
import { accessMessage } from './logic/format.ts';
import { toneOf } from './logic/kinds.ts';

export function StateBadge(props: { state: string }) {
  return <span className={`badge tone-${toneOf(props.state)}`}>{props.state}</span>;
}

export function LiveIndicator(props: { status: LiveStatus }) {
  const text = { loading: 'loading…', live: 'live', reconnecting: 'reconnecting…', error: 'not live' }[
    props.status
  ];
  return (
    <span className={`live live-${props.status}`} data-testid="live">
      ● {text}
    </span>
  );
}

export function Failure(props: { error: ApiFailure | undefined; what?: string }) {
  if (!props.error) return null;
  return (
    <div className="error" role="alert">
      {props.what ? `${props.what}: ` : ''}
      {accessMessage(props.error.status, props.error.message)}
      {props.error.status === 401 && (
        <>
          {' '}
          <a href="#/login">Log in</a>
        </>
      )}
    </div>
  );
}
