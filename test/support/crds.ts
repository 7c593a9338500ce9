import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isAlreadyExists, isConflict, isNotFound } from '../../src/k8s/api-error.ts';
import type { RestClient } from '../../src/k8s/rest.ts';
import { eventually } from './eventually.ts';

const CRD_DIR = join(import.meta.dirname, '..', '..', 'config', 'crd', 'bases');
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const HASH_ANNOTATION = 'kuberay-ts.dev/content-hash';

interface Crd {
  metadata: { name: string; resourceVersion?: string; annotations?: Record<string, string> };
  status?: { conditions?: { type: string; status: string }[] };
  [key: string]: unknown;
}

const installed = new WeakMap<RestClient, Promise<string[]>>();

/**
 * Installs the generated ray.io CRDs (config/crd/bases/*.yaml) and waits until each is Established.
 * Idempotent and safe to call from several test files at once: an unchanged CRD (same content hash) is left
 * alone, a changed one is updated, and AlreadyExists/Conflict races with another installer are retried.
 * Returns the CRD names. One install per client per process.
 */
export function installCrds(client: RestClient, options: { timeoutMs?: number } = {}): Promise<string[]> {
  let p = installed.get(client);
  if (!p) {
    p = doInstall(client, options.timeoutMs ?? 120_000);
    installed.set(client, p);
    p.catch(() => installed.delete(client));
  }
  return p;
}

async function doInstall(client: RestClient, timeoutMs: number): Promise<string[]> {
  const files = readdirSync(CRD_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const names: string[] = [];
  await Promise.all(
    files.map(async (f) => {
      const text = readFileSync(join(CRD_DIR, f), 'utf8');
      const crd = parse(text) as Crd;
      const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
      crd.metadata.annotations = { ...crd.metadata.annotations, [HASH_ANNOTATION]: hash };
      names.push(crd.metadata.name);
      await upsertWithRetry(client, crd, hash);
      await eventually(
        async () => {
          const live = await client.request<Crd>('GET', `${CRDS}/${crd.metadata.name}`);
          const est = live.status?.conditions?.find((c) => c.type === 'Established');
          if (est?.status !== 'True') throw new Error(`CRD ${crd.metadata.name} is not Established yet`);
        },
        { timeoutMs, intervalMs: 100 },
      );
      // Established is not yet serving: for a moment after it the API server can still answer 429 "storage is
      // (re)initializing" while it rebuilds the resource's handler (seen in CI as a test's first list failing).
      const spec = crd.spec as { group: string; names: { plural: string }; versions: { name: string }[] };
      for (const v of spec.versions)
        await eventually(
          () =>
            client.request('GET', `/apis/${spec.group}/${v.name}/${spec.names.plural}`, {
              query: { limit: 1 },
            }),
          { timeoutMs, intervalMs: 100 },
        );
    }),
  );
  return names.sort();
}

class RaceError extends Error {}

/** Retries only the races with a concurrent installer; any other error (e.g. an invalid CRD) fails at once. */
async function upsertWithRetry(client: RestClient, crd: Crd, hash: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await upsert(client, crd, hash);
    } catch (err) {
      if (!(err instanceof RaceError) || attempt >= 10) throw err;
    }
  }
}

async function upsert(client: RestClient, crd: Crd, hash: string): Promise<void> {
  let live: Crd | undefined;
  try {
    live = await client.request<Crd>('GET', `${CRDS}/${crd.metadata.name}`);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!live) {
    try {
      await client.request('POST', CRDS, { body: crd, timeoutMs: 60_000 });
      return;
    } catch (err) {
      if (isAlreadyExists(err))
        throw new RaceError('created concurrently; retry as an update', { cause: err });
      throw err;
    }
  }
  if (live.metadata.annotations?.[HASH_ANNOTATION] === hash) return;
  const body = { ...crd, metadata: { ...crd.metadata, resourceVersion: live.metadata.resourceVersion } };
  try {
    await client.request('PUT', `${CRDS}/${crd.metadata.name}`, { body, timeoutMs: 60_000 });
  } catch (err) {
    if (isConflict(err)) throw new RaceError('updated concurrently; retry', { cause: err });
    throw err;
  }
}
