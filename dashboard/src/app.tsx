import { lazy, Suspense, useEffect, useState } from 'react';
import { getToken, setToken } from './api.ts';
import { KIND_NAMES, KINDS } from './logic/kinds.ts';
import { parseRoute, type Route } from './logic/route.ts';
import { NamespacePicker, ScopeNotice, useNamespace } from './namespace.tsx';
import { ListPage } from './pages/list.tsx';
import { LoginPage } from './pages/login.tsx';
import { OverviewPage } from './pages/overview.tsx';

// The detail and create pages (and the YAML parser) load on first use: the lists and the overview, the pages
// people open first, parse less script (bench/dashboard-load.ts).
const DetailPage = lazy(() => import('./pages/detail.tsx').then((m) => ({ default: m.DetailPage })));
const CreatePage = lazy(() => import('./pages/create.tsx').then((m) => ({ default: m.CreatePage })));

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function App() {
  const route = useRoute();
  const [namespace, setNamespace] = useNamespace();
  const loggedIn = getToken() !== '';
  if (!loggedIn || route.page === 'login') return <LoginPage />;
  const active = route.page === 'list' || route.page === 'detail' ? route.plural : route.page;
  return (
    <div className="layout">
      <header className="top">
        <a className="brand" href="#/">
          KubeRay
        </a>
        <nav>
          <a className={active === 'overview' ? 'active' : ''} href="#/">
            Overview
          </a>
          {KINDS.map((k) => (
            <a key={k} className={active === k ? 'active' : ''} href={`#/${k}`}>
              {KIND_NAMES[k]}s
            </a>
          ))}
          <a className={active === 'create' ? 'active' : ''} href="#/create">
            Create
          </a>
        </nav>
        <NamespacePicker value={namespace} onChange={setNamespace} />
        <button
          type="button"
          className="link"
          onClick={() => {
            setToken('');
            window.location.hash = '#/login';
          }}
        >
          Log out
        </button>
      </header>
      <main>
        {(route.page === 'overview' || route.page === 'list') && (
          <ScopeNotice namespace={namespace} onChange={setNamespace} />
        )}
        {route.page === 'overview' && <OverviewPage namespace={namespace} />}
        {route.page === 'list' && (
          <ListPage
            key={`${route.plural}?${route.params}`}
            plural={route.plural}
            namespace={namespace}
            params={route.params}
          />
        )}
        <Suspense fallback={<p className="muted">loading…</p>}>
          {route.page === 'detail' && (
            <DetailPage
              key={`${route.plural}/${route.namespace}/${route.name}`}
              plural={route.plural}
              namespace={route.namespace}
              name={route.name}
            />
          )}
          {route.page === 'create' && <CreatePage namespace={namespace} from={route.from} />}
        </Suspense>
        {route.page === 'notFound' && <p className="error">No page at {route.hash}.</p>}
      </main>
    </div>
  );
}
