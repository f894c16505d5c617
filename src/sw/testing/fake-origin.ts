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
