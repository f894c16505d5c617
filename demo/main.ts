/**
 * The demo app: registers the cache worker, fetches resources with different cache policies,
 * and shows what the cache does with the package's inspector (src/inspector). Open it in two
 * tabs to see every event in both, and one download coalesced between them. Query parameters of
 * the page (`maxBytes`, `maxEntries`, `lockTimeout`, `debug`) are passed to the worker, e.g.
 * `/?maxBytes=400000` to see evictions. The client is `window.httpCache`, for the console.
 */
import { registerHttpCache, type HttpCacheClient } from '../src/client/index.ts';
import { defineHttpCacheInspector, type HttpCacheInspector } from '../src/inspector/index.ts';
import { warmShell } from './offline-shell.ts';
import { RESOURCES, type DemoResource } from './resources.ts';

const WORKER_OPTIONS = ['maxBytes', 'maxEntries', 'lockTimeout', 'debug'];

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`demo: ${selector} is missing from the page`);
  return found;
}

function workerUrl(): string {
  const page = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  for (const name of WORKER_OPTIONS) {
    const value = page.get(name);
    if (value !== null) query.set(name, value);
  }
  return query.size === 0 ? '/sw.js' : `/sw.js?${query.toString()}`;
}

async function fetchResource(resource: DemoResource, inspector: HttpCacheInspector): Promise<void> {
  const started = performance.now();
  try {
    const response = await fetch(resource.url, { headers: resource.headers ?? {} });
    const body = await response.arrayBuffer();
    const ms = Math.round(performance.now() - started);
    inspector.log(
      'fetch',
      `${resource.id} → ${response.status}, ${body.byteLength} B in ${ms} ms; ${response.headers.get('cache-status') ?? 'no Cache-Status'}`,
    );
  } catch (error) {
    inspector.log('fetch', `${resource.id} → failed: ${String(error)}`);
  }
}

/** Asks the demo origin whether its API is down; `null` when the origin itself is unreachable. */
async function originOffline(set?: boolean): Promise<boolean | null> {
  try {
    const query = set === undefined ? '' : `?value=${set ? 1 : 0}`;
    const response = await fetch(`/api/offline${query}`, { cache: 'no-store' });
    const { offline } = (await response.json()) as { offline: boolean };
    return offline;
  } catch {
    return null;
  }
}

function showOffline(state: boolean | null): void {
  const banner = element('#offline-banner');
  banner.hidden = state === false;
  banner.textContent =
    state === null
      ? 'Offline: the origin is unreachable. The app and cached data still work.'
      : 'Offline: the origin API is switched off. Cached responses are still served.';
  element<HTMLButtonElement>('#toggle-offline').textContent =
    state === true ? 'Switch the origin API back on' : 'Switch the origin API off';
  document.body.classList.toggle('offline', state !== false);
}

function buildRequestButtons(inspector: HttpCacheInspector): void {
  const list = element('#resources');
  for (const resource of RESOURCES) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset['resource'] = resource.id;
    button.textContent = resource.label;
    button.addEventListener('click', () => {
      void fetchResource(resource, inspector).then(() => inspector.refresh());
    });
    const policy = document.createElement('code');
    policy.textContent = resource.policy;
    item.append(button, ' ', policy);
    list.append(item);
  }
  element('#fetch-all').addEventListener('click', () => {
    void Promise.all(RESOURCES.map((r) => fetchResource(r, inspector))).then(() =>
      inspector.refresh(),
    );
  });
  element('#fill').addEventListener('click', () => {
    // Five 96 KiB bodies: with /?maxBytes=400000 the oldest are evicted.
    const fills = Array.from({ length: 5 }, (_, i) => ({
      id: `fill-${i}`,
      label: '',
      policy: '',
      url: `/api/resource?id=fill-${i}&size=98304&cc=max-age%3D3600&tag=fill&t=${Date.now()}`,
    }));
    void Promise.all(fills.map((r) => fetchResource(r, inspector))).then(() => inspector.refresh());
  });
}

function buildOriginSwitch(): void {
  element('#toggle-offline').addEventListener('click', () => {
    void (async () => {
      const current = await originOffline();
      showOffline(await originOffline(current !== true));
    })();
  });
}

declare global {
  interface Window {
    /** The demo's page API client, for the console: `await httpCache.stats()`. */
    httpCache?: HttpCacheClient;
  }
}

async function start(): Promise<void> {
  const status = element('#status');
  const client = await registerHttpCache({ scriptURL: workerUrl() });
  status.textContent = 'The cache worker controls this page.';
  window.httpCache = client;
  defineHttpCacheInspector();
  const inspector = element<HttpCacheInspector>('http-cache-inspector');
  inspector.client = client;
  buildRequestButtons(inspector);
  buildOriginSwitch();
  showOffline(await originOffline());
  await inspector.refresh();
  document.body.dataset['ready'] = 'true';
  // The worker does not route /api/offline (demo/sw.ts): this polling never counts as an answer.
  setInterval(() => void originOffline().then(showOffline), 2_000);
  warmShell().then(
    () => (document.body.dataset['shell'] = 'cached'),
    (error: unknown) =>
      inspector.log('error', `could not keep the shell offline: ${String(error)}`),
  );
  addEventListener('online', () => void originOffline().then(showOffline));
  addEventListener('offline', () => showOffline(null));
}

start().catch((error: unknown) => {
  const status = document.querySelector('#status');
  if (status) status.textContent = `The cache worker could not start: ${String(error)}`;
});
