import type { RestClient } from '../../k8s/rest.ts';
import type { Logger } from '../../lib/logger.ts';

interface WatchedObject {
  metadata: { name?: string; namespace?: string; resourceVersion?: string; uid?: string };
}

interface WatchHandlers<T> {
  /** A full list (at start and after every relist): the complete current set. */
  readonly onList: (items: T[]) => void;
  readonly onEvent: (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T) => void;
}

/**
 * A small list-then-watch loop for the local node (devcluster/ may not use runtime/'s informer): relists on
 * 410 Gone and after errors (with a 1 s pause), resumes watches from the last resourceVersion.
 */
export function listWatch<T extends WatchedObject>(
  client: RestClient,
  path: string,
  query: Readonly<Record<string, string>>,
  handlers: WatchHandlers<T>,
  log: Logger,
): { stop(): void } {
  const abort = new AbortController();
  const loop = async () => {
    while (!abort.signal.aborted) {
      try {
        const list = await client.request<{ items: T[]; metadata: { resourceVersion: string } }>(
          'GET',
          path,
          { query, signal: abort.signal },
        );
        handlers.onList(list.items);
        let rv = list.metadata.resourceVersion;
        for (;;) {
          const res = await client.stream(path, {
            query: {
              ...query,
              watch: 'true',
              resourceVersion: rv,
              allowWatchBookmarks: 'true',
              timeoutSeconds: '300',
            },
            signal: abort.signal,
          });
          let buf = '';
          let gone = false;
          for await (const chunk of res) {
            buf += (chunk as Buffer).toString('utf8');
            let nl = buf.indexOf('\n');
            while (nl >= 0) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              nl = buf.indexOf('\n');
              if (!line) continue;
              const ev = JSON.parse(line) as { type: string; object: T & { code?: number } };
              if (ev.type === 'ERROR') {
                gone = true;
                break;
              }
              if (ev.object.metadata?.resourceVersion) rv = ev.object.metadata.resourceVersion;
              if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED')
                handlers.onEvent(ev.type, ev.object);
            }
            if (gone) break;
          }
          res.destroy();
          if (gone || abort.signal.aborted) break;
        }
      } catch (err) {
        if (abort.signal.aborted) return;
        log.warn('watch failed; relisting', { path, err });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  void loop();
  return { stop: () => abort.abort() };
}
