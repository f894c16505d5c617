/// <reference lib="webworker" />
// The demo's service worker: the library's worker entry with the demo's configuration.
import { installHttpCache } from '../src/sw/index.ts';

installHttpCache({
  // The demo origin's API; the app shell and the worker script itself are left to the browser.
  routes: (_request, url) =>
    url.origin === self.location.origin && url.pathname.startsWith('/api/'),
});
