/**
 * A scripted origin for fetch-flow tests under Node: each route answers from a handler, and
 * every request that reached it is recorded.
 */
import { parseCacheStatusList } from '../cache-status.ts';

export type OriginHandler = (request: Request, count: number) => Response | Promise<Response>;

export class FakeOrigin {
  readonly requests: Request[] = [];
  private readonly routes = new Map<string, OriginHandler>();

  route(path: string, handler: OriginHandler): this {
    this.routes.set(path, handler);
    return this;
  }

  /** Requests that reached `path` (any query). */
  count(path: string): number {
    return this.requests.filter((r) => new URL(r.url).pathname === path).length;
  }

  last(path: string): Request | undefined {
    return this.requests.filter((r) => new URL(r.url).pathname === path).at(-1);
  }

  readonly fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    const handler = this.routes.get(path);
    if (!handler) throw new TypeError(`fake origin: no route for ${path}`);
    this.requests.push(request);
    return handler(request, this.count(path));
  };
}

/** Collects `waitUntil` promises so a test can wait for background work. */
export class Background {
  private readonly pending: Promise<unknown>[] = [];
  readonly waitUntil = (promise: Promise<unknown>): void => {
    this.pending.push(promise);
  };
  async settle(): Promise<void> {
    while (this.pending.length > 0) await Promise.allSettled(this.pending.splice(0));
  }
}

/**
 * Our (last) `Cache-Status` member's parameters, numbers as their text so tests compare with
 * strings; no parameters when the header is missing. Throws on a malformed header.
 */
export function cacheStatusOf(response: Response): Record<string, string | true> {
  const own = parseCacheStatusList(response.headers.get('cache-status')).at(-1);
  return Object.fromEntries(
    Object.entries(own?.params ?? {}).map(([key, value]) => [
      key,
      value === true ? true : String(value),
    ]),
  );
}

/**
 * One fetch event's lifetime as a browser keeps it (Service Workers, `waitUntil`): a promise may
 * be added while the event is dispatched or while one added before (the `respondWith` promise
 * among them) is pending; after that `waitUntil` throws `InvalidStateError`. `Background` accepts
 * anything at any time; this one tells a test that work started late was not kept alive.
 */
export class FetchEventLifetime {
  #pending = 0;
  #dispatching = false;
  readonly #added: Promise<unknown>[] = [];

  readonly waitUntil = (promise: Promise<unknown>): void => {
    if (!this.#dispatching && this.#pending === 0) {
      throw new DOMException('the event is no longer active', 'InvalidStateError');
    }
    this.#pending++;
    this.#added.push(promise);
    const settled = () => void this.#pending--;
    promise.then(settled, settled);
  };

  /** Dispatches the event to `handler`; its answer is the `respondWith` promise. */
  respondWith(handler: (waitUntil: this['waitUntil']) => Promise<Response>): Promise<Response> {
    this.#dispatching = true;
    try {
      const response = handler(this.waitUntil);
      this.waitUntil(response);
      return response;
    } finally {
      this.#dispatching = false;
    }
  }

  /** Settles once everything added has settled: the event no longer keeps the worker alive. */
  async settle(): Promise<void> {
    let done = 0;
    while (done < this.#added.length) {
      const batch = this.#added.slice(done);
      done = this.#added.length;
      await Promise.allSettled(batch);
    }
  }
}
