/// <reference lib="webworker" />
// The floor: the least a service worker can do to answer from memory. The first request of a URL
// goes to the network and its body is kept as one ArrayBuffer; later requests get a Response
// built from it (the Response constructor copies the bytes, so each answer is a clone).
// No headers logic, no storage, no eviction: what is left is the cost of the worker itself.

declare const self: ServiceWorkerGlobalScope;
export {}; // a module, so `self` above is this file's own declaration

interface Held {
  readonly body: ArrayBuffer;
  readonly contentType: string;
}

const held = new Map<string, Held>();

async function answer(request: Request): Promise<Response> {
  const known = held.get(request.url);
  if (known !== undefined) {
    return new Response(known.body, {
      headers: {
        'content-type': known.contentType,
        'content-length': String(known.body.byteLength),
        'cache-status': 'floor; hit; detail=memory',
      },
    });
  }
  const response = await fetch(request);
  const body = await response.arrayBuffer();
  const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
  if (response.ok) held.set(request.url, { body, contentType });
  return new Response(body, { status: response.status, headers: response.headers });
}

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || !url.pathname.startsWith('/api/')) return;
  if (event.request.headers.has('range') || event.request.cache === 'no-store') return;
  event.respondWith(answer(event.request));
});
