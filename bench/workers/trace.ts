/// <reference lib="webworker" />
// A profiler for the hit path, for bench/profile.mjs and bench/profile-pieces.mjs only, which run
// it before a contender's worker script in the same file: it wraps the platform calls a hit makes
// (IndexedDB opens, transactions and requests, Cache Storage matches, Blob reads,
// BroadcastChannel posts, Web Lock requests) and the fetch event's `respondWith`,
// and records when each started and ended on the worker's clock. The library's code is not
// touched: what lies between two recorded calls is the worker's own JS.
//
// `GET /__trace` answers the events recorded since the last `/__trace` (and forgets them), with
// the worker's `timeOrigin`, so the page can put them on its own clock.

declare const self: ServiceWorkerGlobalScope;
export {};

interface TraceEvent {
  /** What ran: `idb get meta`, `tx complete`, `respondWith`, … */
  readonly what: string;
  readonly start: number;
  end?: number;
}

/** When this script started to run (the worker's clock). */
const evaluated = performance.now();
let events: TraceEvent[] = [{ what: 'script', start: 0, end: evaluated }];

function begin(what: string): TraceEvent {
  const event: TraceEvent = { what, start: performance.now() };
  events.push(event);
  return event;
}

function done(event: TraceEvent): void {
  event.end = performance.now();
}

/** Wraps `proto[name]` so each call is an event that ends when its IDBRequest does. */
function traceRequests(proto: object, kind: string, names: readonly string[]): void {
  for (const name of names) {
    const original = Reflect.get(proto, name) as (...args: unknown[]) => IDBRequest;
    if (typeof original !== 'function') continue;
    Reflect.set(proto, name, function (this: IDBObjectStore | IDBIndex, ...args: unknown[]) {
      const event = begin(`idb ${name} ${kind === 'store' ? this.name : `index ${this.name}`}`);
      const request = original.apply(this, args);
      endsWith(event, request);
      return request;
    });
  }
}

/** Wraps an async method so each call is an event that ends when its promise settles. */
function tracePromise(proto: object, name: string, what: string): void {
  const original = Reflect.get(proto, name) as (...args: unknown[]) => Promise<unknown>;
  if (typeof original !== 'function') return;
  Reflect.set(proto, name, function (this: unknown, ...args: unknown[]) {
    const event = begin(what);
    const result = original.apply(this, args);
    const end = (): void => done(event);
    result.then(end, end);
    return result;
  });
}

/** Replaces `proto[name]` with what `wrapper` makes of the original (called with its `this`). */
function wrap<F extends (...args: never[]) => unknown>(
  proto: object,
  name: string,
  wrapper: (original: F) => F,
): void {
  Reflect.set(proto, name, wrapper(Reflect.get(proto, name) as F));
}

/** `request`'s event ends when it succeeds or fails. */
function endsWith(event: TraceEvent, request: IDBRequest | IDBTransaction): void {
  const end = (): void => done(event);
  for (const type of ['success', 'complete', 'error', 'abort']) {
    request.addEventListener(type, end);
  }
}

wrap<IDBFactory['open']>(
  IDBFactory.prototype,
  'open',
  (open) =>
    function (this: IDBFactory, ...args) {
      const request = open.apply(this, args);
      endsWith(begin(`idb open ${args[0]}`), request);
      return request;
    },
);

wrap<IDBDatabase['transaction']>(
  IDBDatabase.prototype,
  'transaction',
  (transaction) =>
    function (this: IDBDatabase, stores: string | string[], mode?: IDBTransactionMode) {
      const names = typeof stores === 'string' ? stores : stores.join('+');
      const event = begin(`tx ${mode ?? 'readonly'} ${names}`);
      const tx = transaction.call(this, stores, mode);
      endsWith(event, tx);
      return tx;
    },
);

traceRequests(IDBObjectStore.prototype, 'store', [
  'get',
  'getAll',
  'count',
  'put',
  'delete',
  'openCursor',
]);
traceRequests(IDBIndex.prototype, 'index', ['get', 'getAll', 'count']);
tracePromise(Blob.prototype, 'arrayBuffer', 'blob arrayBuffer');
tracePromise(CacheStorage.prototype, 'match', 'caches match');
tracePromise(CacheStorage.prototype, 'open', 'caches open');
tracePromise(Cache.prototype, 'match', 'cache match');
tracePromise(Cache.prototype, 'put', 'cache put');

wrap<BroadcastChannel['postMessage']>(
  BroadcastChannel.prototype,
  'postMessage',
  (post) =>
    function (this: BroadcastChannel, message) {
      const event = begin(`post ${this.name}`);
      post.call(this, message);
      done(event);
    },
);

wrap<FetchEvent['respondWith']>(
  FetchEvent.prototype,
  'respondWith',
  (respondWith) =>
    function (this: FetchEvent, response) {
      const event = begin('respondWith');
      void Promise.resolve(response).then(
        () => done(event),
        () => done(event),
      );
      respondWith.call(this, response);
    },
);

// A Web Lock request ends when the lock is granted or refused (its callback runs), not when the
// promise settles (that is when the lock is let go).
wrap<LockManager['request']>(
  LockManager.prototype,
  'request',
  (request) =>
    function (this: LockManager, name: string, ...rest: unknown[]) {
      const event = begin(`locks request`);
      const callback = rest.at(-1) as (lock: Lock | null) => unknown;
      const wrapped = (lock: Lock | null): unknown => {
        done(event);
        return callback(lock);
      };
      return Reflect.apply(request, this, [
        name,
        ...rest.slice(0, -1),
        wrapped,
      ]) as Promise<unknown>;
    },
);

// `__traceMark('what')`: an instant event, e.g. where the contender's script ends.
Reflect.set(self, '__traceMark', (what: string) => done(begin(what)));

// Registered before the worker's own listener: it sees every fetch event first.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.pathname === '/__trace') {
    const body = JSON.stringify({ timeOrigin: performance.timeOrigin, events });
    events = [];
    event.respondWith(new Response(body, { headers: { 'content-type': 'application/json' } }));
    event.stopImmediatePropagation();
    return;
  }
  done(begin(`fetch ${url.pathname}${url.search}`));
});
