/**
 * The demo app: registers the cache worker, fetches resources with different cache policies,
 * and shows what the cache does (demo/dashboard.ts). Open it in two tabs to see every event in
 * both, and one download coalesced between them. Query parameters of the page (`maxBytes`,
 * `maxEntries`, `lockTimeout`, `debug`) are passed to the worker, e.g. `/?maxBytes=400000` to see
 * evictions.
 */
import { registerHttpCache, type HttpCacheClient } from '../src/client/index.ts';
import { Dashboard } from './dashboard.ts';
import { warmShell } from './offline-shell.ts';
import { RESOURCES, TAGS, type DemoResource } from './resources.ts';

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

async function fetchResource(resource: DemoResource, dashboard: Dashboard): Promise<void> {
  const started = performance.now();
  try {
    const response = await fetch(resource.url, { headers: resource.headers ?? {} });
    const body = await response.arrayBuffer();
    const ms = Math.round(performance.now() - started);
    dashboard.log(
      'fetch',
      `${resource.id} → ${response.status}, ${body.byteLength} B in ${ms} ms; ${response.headers.get('cache-status') ?? 'no Cache-Status'}`,
    );
  } catch (error) {
    dashboard.log('fetch', `${resource.id} → failed: ${String(error)}`);
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

function buildRequestButtons(dashboard: Dashboard): void {
  const list = element('#resources');
  for (const resource of RESOURCES) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset['resource'] = resource.id;
    button.textContent = resource.label;
    button.addEventListener('click', () => {
      void fetchResource(resource, dashboard).then(() => dashboard.refresh());
    });
    const policy = document.createElement('code');
    policy.textContent = resource.policy;
    item.append(button, ' ', policy);
    list.append(item);
  }
  element('#fetch-all').addEventListener('click', () => {
    void Promise.all(RESOURCES.map((r) => fetchResource(r, dashboard))).then(() =>
      dashboard.refresh(),
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
    void Promise.all(fills.map((r) => fetchResource(r, dashboard))).then(() => dashboard.refresh());
  });
}

function buildCacheControls(client: HttpCacheClient, dashboard: Dashboard): void {
  const select = element<HTMLSelectElement>('#tag');
  for (const tag of [...TAGS, 'fill']) select.append(new Option(tag, tag));
  element('#purge-tag').addEventListener('click', () => {
    client.purge({ tag: select.value }).then(
      (removed) => dashboard.log('action', `purged tag ${select.value} (${removed} removed)`),
      (error: unknown) => dashboard.log('error', String(error)),
    );
  });
  element('#clear').addEventListener('click', () => {
    client.clear().then(
      () => dashboard.log('action', 'cleared the cache'),
      (error: unknown) => dashboard.log('error', String(error)),
    );
  });
  element('#toggle-offline').addEventListener('click', () => {
    void (async () => {
      const current = await originOffline();
      showOffline(await originOffline(current !== true));
    })();
  });
}

async function start(): Promise<void> {
  const status = element('#status');
  const client = await registerHttpCache({ scriptURL: workerUrl() });
  status.textContent = 'The cache worker controls this page.';
  document.body.dataset['ready'] = 'true';
  const dashboard = new Dashboard(client, document.body);
  client.subscribe((event) => {
    dashboard.logEvent(event);
    void dashboard.refresh();
  });
  buildRequestButtons(dashboard);
  buildCacheControls(client, dashboard);
  showOffline(await originOffline());
  await dashboard.refresh();
  setInterval(() => {
    void dashboard.refresh();
    void originOffline().then(showOffline);
  }, 2_000);
  warmShell().then(
    () => (document.body.dataset['shell'] = 'cached'),
    (error: unknown) =>
      dashboard.log('error', `could not keep the shell offline: ${String(error)}`),
  );
  addEventListener('online', () => void originOffline().then(showOffline));
  addEventListener('offline', () => showOffline(null));
}

start().catch((error: unknown) => {
  const status = document.querySelector('#status');
  if (status) status.textContent = `The cache worker could not start: ${String(error)}`;
});
