import { useEffect, useState } from 'react';
import { getToken, setToken } from './api.ts';
import { KIND_NAMES, KINDS } from './logic/kinds.ts';
import { parseRoute, type Route } from './logic/route.ts';
import { NamespacePicker, useNamespace } from './namespace.tsx';
import { CreatePage } from './pages/create.tsx';
import { DetailPage } from './pages/detail.tsx';
import { ListPage } from './pages/list.tsx';
import { LoginPage } from './pages/login.tsx';
import { OverviewPage } from './pages/overview.tsx';

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
        {route.page === 'overview' && <OverviewPage namespace={namespace} />}
        {route.page === 'list' && (
          <ListPage
            key={`${route.plural}?${route.params}`}
            plural={route.plural}
            namespace={namespace}
            params={route.params}
          />
        )}
        {route.page === 'detail' && (
          <DetailPage
            key={`${route.plural}/${route.namespace}/${route.name}`}
            plural={route.plural}
            namespace={route.namespace}
            name={route.name}
          />
        )}
        {route.page === 'create' && <CreatePage namespace={namespace} from={route.from} />}
        {route.page === 'notFound' && <p className="error">No page at {route.hash}.</p>}
      </main>
    </div>
  );
}
