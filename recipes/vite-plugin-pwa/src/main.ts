import { registerSW } from 'virtual:pwa-register';
import { connectHttpCache } from 'sw-http-cache';

const update = document.querySelector<HTMLButtonElement>('#update')!;
const status = document.querySelector<HTMLElement>('#status')!;

// vite-plugin-pwa registers the worker; in prompt mode it tells us when a new one waits.
const updateSW = registerSW({
  immediate: true,
  onNeedRefresh: () => (update.hidden = false),
});
update.addEventListener('click', () => void updateSW()); // activates the new worker, reloads

// The cache's control client, on the worker registerSW registered; if no worker takes control
// of the page in time, the error says why.
const cache = await connectHttpCache().catch((error: unknown) => {
  status.textContent = String(error);
  throw error;
});
const response = await fetch('/api/resource?cc=max-age%3D60');
status.textContent = response.headers.get('cache-status') ?? 'not through the cache';
console.log(await cache.stats());
