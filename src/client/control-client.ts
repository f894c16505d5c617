/**
 * The page's handle on the cache worker. Calls go over one control connection (see
 * connection.ts), opened on the first call.
 *
 * A worker can go away under a page: the browser stops idle workers, and a new version replaces
 * the old one. Then the port is dead and a call would wait forever. So every call has a deadline
 * (`timeout`); when it passes, or the controller changes, or the port reports it closed, the
 * client opens a new connection to the current controller — which wakes a stopped worker — and
 * makes the call once more. Every method is idempotent, so a repeat is safe. If the second
 * attempt fails too, the call rejects with a `WorkerUnavailableError`.
 */
import type { Remote } from 'comlink';
import type { CacheEvent } from '../protocol/events.ts';
import { cacheEventFeed, ChannelFeed } from './channel-feed.ts';
import {
  OUTCOME_LEASE_MS,
  outcomeChannelName,
  parseOutcomeEvent,
  type OutcomeEvent,
} from '../protocol/outcome-events.ts';
import { connect, WorkerUnavailableError, type Connection } from './connection.ts';
import {
  checkBoolean,
  resolvePurgeTarget,
  type CacheEntryInfo,
  type CacheStats,
  type ControlApi,
  type PurgeTarget,
} from '../protocol/control-protocol.ts';

export interface ControlClientOptions {
  /** The cache's `name` option in the worker (its channel names). Default `'sw-http-cache'`. */
  readonly name?: string;
  /** How long one attempt of a call may take before the worker is deemed gone, in ms. Default 5,000. */
  readonly timeout?: number;
}

export class HttpCacheClient {
  readonly #events: ChannelFeed<CacheEvent>;
  readonly #outcomes: ChannelFeed<OutcomeEvent>;
  #lease: ReturnType<typeof setInterval> | undefined;
  readonly #timeout: number;
  #connection: Promise<Connection> | undefined;
  #closed = false;
  readonly #onControllerChange = (): void => this.#drop();

  constructor(
    /** The worker's registration. */
    readonly registration: ServiceWorkerRegistration,
    options: ControlClientOptions = {},
  ) {
    this.#events = cacheEventFeed(options.name ?? 'sw-http-cache');
    this.#outcomes = new ChannelFeed(
      outcomeChannelName(options.name ?? 'sw-http-cache'),
      parseOutcomeEvent,
      (active) => this.#watchOutcomes(active),
    );
    this.#timeout = options.timeout ?? 5_000;
    if (!(this.#timeout > 0)) {
      throw new RangeError(`sw-http-cache: timeout must be a positive number of ms`);
    }
    navigator.serviceWorker.addEventListener('controllerchange', this.#onControllerChange);
  }

  /** Counts since the worker started, and what the cache holds. */
  stats(): Promise<CacheStats> {
    return this.#call((api) => api.stats());
  }

  /** Every stored URL with its freshness, size and the phase of its last request. */
  entries(): Promise<CacheEntryInfo[]> {
    return this.#call((api) => api.entries());
  }

  /**
   * Removes one URL (all its variants), every URL under a prefix, or every response tagged
   * with `Cache-Tag: <tag>`. Relative URLs resolve against the page. Resolves with the number of
   * entries removed; other contexts hear a `purged` event.
   */
  async purge(target: PurgeTarget): Promise<number> {
    const resolved = resolvePurgeTarget(target, location.href);
    return this.#call((api) => api.purge(resolved));
  }

  /** Empties the cache (memory and IndexedDB); other contexts hear a `cleared` event. */
  clear(): Promise<void> {
    return this.#call((api) => api.clear());
  }

  /** Turns the worker's debug logging (and `key=` in `Cache-Status`) on or off. */
  async setDebug(on: boolean): Promise<void> {
    const value = checkBoolean(on, 'setDebug()');
    return this.#call((api) => api.setDebug(value));
  }

  /**
   * Calls `listener` with every cache event (`stored`, `updated`, `evicted`, `purged`,
   * `cleared`) from any context of the origin. Returns the function that unsubscribes.
   */
  subscribe(listener: (event: CacheEvent) => void): () => void {
    this.#assertOpen();
    return this.#events.subscribe(listener);
  }

  /**
   * Calls `listener` with each answer of the worker (any tab's request): its `Cache-Status`,
   * URL, status, time and the tab's `clientId`. Opt-in: the worker posts outcomes only while a
   * page subscribes (this client renews a lease with it every 10 s). Returns the function that
   * unsubscribes.
   */
  subscribeOutcomes(listener: (outcome: OutcomeEvent) => void): () => void {
    this.#assertOpen();
    return this.#outcomes.subscribe(listener);
  }

  /** Closes the connection and every subscription; later calls reject. */
  close(): void {
    this.#outcomes.close();
    this.#closed = true;
    this.#events.close();
    navigator.serviceWorker.removeEventListener('controllerchange', this.#onControllerChange);
    this.#drop();
  }

  #watchOutcomes(active: boolean): void {
    clearInterval(this.#lease);
    this.#lease = undefined;
    if (!active) return;
    const renew = (): void => {
      // A failed renewal (the worker is being replaced) is retried at the next tick.
      this.#call((api) => api.watchOutcomes()).catch(() => {});
    };
    renew();
    this.#lease = setInterval(renew, OUTCOME_LEASE_MS / 3);
  }

  async #call<T>(run: (api: Remote<ControlApi>) => Promise<T>): Promise<T> {
    this.#assertOpen();
    try {
      return await this.#attempt(run);
    } catch (error) {
      if (!(error instanceof WorkerUnavailableError)) throw error;
      this.#drop();
      return await this.#attempt(run);
    }
  }

  async #attempt<T>(run: (api: Remote<ControlApi>) => Promise<T>): Promise<T> {
    const connection = this.#connect();
    const { api, port } = await connection;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onClose: (() => void) | undefined;
    const gone = new Promise<never>((_resolve, reject) => {
      const fail = (why: string): void => {
        // Only this connection is dropped: another call may already have opened a new one.
        if (this.#connection === connection) this.#drop();
        reject(new WorkerUnavailableError(`sw-http-cache: ${why}`));
      };
      timer = setTimeout(
        () => fail(`the service worker did not answer within ${this.#timeout} ms`),
        this.#timeout,
      );
      onClose = () => fail('the service worker closed the control connection');
      port.addEventListener('close', onClose);
    });
    try {
      return await Promise.race([run(api), gone]);
    } finally {
      clearTimeout(timer);
      if (onClose) port.removeEventListener('close', onClose);
    }
  }

  #connect(): Promise<Connection> {
    if (this.#connection) return this.#connection;
    const worker = navigator.serviceWorker.controller ?? this.registration.active;
    if (!worker) {
      return Promise.reject(
        new WorkerUnavailableError('sw-http-cache: no active service worker to connect to'),
      );
    }
    const connection = connect(worker, this.#timeout);
    this.#connection = connection;
    // A failed connection is not kept: the next call tries again.
    connection.catch(() => {
      if (this.#connection === connection) this.#connection = undefined;
    });
    return connection;
  }

  #drop(): void {
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.then(
      ({ port }) => port.close(),
      () => {},
    );
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('sw-http-cache: this client was closed');
  }
}
