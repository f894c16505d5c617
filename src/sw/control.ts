/// <reference lib="webworker" />
/**
 * The worker's end of the page control API. A page posts a versioned hello with a `MessagePort`;
 * if it comes from a same-origin window, the worker exposes {@link ControlApi} on that port with
 * comlink. Every message on the port passes {@link comlinkCallError} first: only calls of the API's
 * methods with plain arguments reach comlink, anything else is answered with an error (or dropped
 * when it has no id to answer), so a malformed message never throws inside the worker.
 */
import { expose, type Endpoint } from 'comlink';
import {
  CONTROL_MESSAGE,
  CONTROL_METHODS,
  CONTROL_PROTOCOL_VERSION,
  checkBoolean,
  helloError,
  isControlMessage,
  type CacheEntryInfo,
  type CacheStats,
  type ControlApi,
  type ControlReply,
  type PurgeTarget,
} from '../protocol/control-protocol.ts';
import type { StoredEntryInfo } from '../storage/index.ts';
import type { OutcomeCounts, RequestOutcome } from './stats.ts';
import type { WriteInProgress } from './write-tracker.ts';
import { purgeTarget } from './purge.ts';
import { isFromSameOriginWindow } from './same-origin-window.ts';

declare const self: ServiceWorkerGlobalScope;

/**
 * The cache as a worker script and the control API see it: `HttpCacheHandler` is one. Nothing
 * of the storage layers, the lock or the eviction manager shows through it.
 */
export interface ControlledCache {
  /** Entries and bytes stored (once the eviction state is rebuilt), request counts, budget. */
  stats(): Promise<CacheStats>;
  /** One row per stored URL. */
  entries(): Promise<CacheEntryInfo[]>;
  /** Removes what `target` names (relative URLs resolve against the worker's origin). */
  purge(target: PurgeTarget): Promise<number>;
  /** Empties the cache and tells the other contexts. */
  clear(): Promise<void>;
  /** Switches debug logging (and `key=` in `Cache-Status`) on or off. */
  setDebug(on: boolean): void;
  /** Posts each answer on the outcome channel for the next 30 s (a page renews it). */
  watchOutcomes(): void;
}

/** The worker's pieces a {@link ControlledCache} is made of (private to `HttpCacheHandler`). */
export interface CacheParts {
  readonly stats: {
    totals(): OutcomeCounts;
    hitRatio(): number;
    savedBytes(): number;
    storeFailures(): { readonly upstream: number; readonly storage: number };
    lastOutcome(url: string): RequestOutcome | undefined;
    reset(): void;
  };
  readonly writes: { list(): WriteInProgress[] };
  readonly outcomes: { watch(): void };
  readonly runtime: {
    readonly ready: Promise<void>;
    readonly eviction: {
      stats(): { entries: number; bytes: number; maxBytes: number; maxEntries: number };
    };
    listEntries(): Promise<StoredEntryInfo[]>;
    purgeUrl(url: string): Promise<number>;
    purgePrefix(prefix: string): Promise<number>;
    purgeTag(tag: string): Promise<number>;
    clear(): Promise<void>;
  };
  setDebug(on: boolean): void;
}

/** The facade over `parts`; relative purge URLs resolve against `base` (the worker's origin). */
export function controlledCache(
  { stats, runtime, writes, outcomes, ...parts }: CacheParts,
  base: string,
  now: () => number = Date.now,
): ControlledCache {
  return {
    async stats(): Promise<CacheStats> {
      await runtime.ready;
      const { entries, bytes, maxBytes, maxEntries } = runtime.eviction.stats();
      const failures = stats.storeFailures();
      return {
        entries,
        bytes,
        ...stats.totals(),
        hitRatio: stats.hitRatio(),
        savedBytes: stats.savedBytes(),
        upstreamFailures: failures.upstream,
        storageFailures: failures.storage,
        budget: { maxBytes, maxEntries },
      };
    },
    async entries(): Promise<CacheEntryInfo[]> {
      return groupByUrl(
        await runtime.listEntries(),
        now(),
        (url) => stats.lastOutcome(url),
        writes.list(),
      );
    },
    purge: (target: PurgeTarget) => purgeTarget(runtime, target, base),
    async clear(): Promise<void> {
      await runtime.clear();
      // The counts describe the cache's answers since it was last emptied.
      stats.reset();
    },
    setDebug: (on) => parts.setDebug(on),
    watchOutcomes: () => outcomes.watch(),
  };
}

/**
 * The API as the worker runs it. Arguments come from another context, so they are checked
 * again here (`purge` checks its target in {@link ControlledCache.purge}).
 */
export function createControlApi(cache: ControlledCache): ControlApi {
  return {
    stats: () => cache.stats(),
    entries: () => cache.entries(),
    purge: (target: unknown) => cache.purge(target as PurgeTarget),
    clear: () => cache.clear(),
    setDebug(on: unknown): Promise<void> {
      cache.setDebug(checkBoolean(on, 'setDebug()'));
      return Promise.resolve();
    },
    watchOutcomes(): Promise<void> {
      cache.watchOutcomes();
      return Promise.resolve();
    },
  };
}

/**
 * One row per URL, its variants together; the most recently stored variant gives the status. A
 * URL this worker is storing a body for is `writing`: its row describes the write (status,
 * freshness to come, bytes so far) and is not `fresh` until the body is complete.
 */
export function groupByUrl(
  stored: readonly StoredEntryInfo[],
  now: number,
  lastOutcome: (url: string) => RequestOutcome | undefined,
  writes: readonly WriteInProgress[] = [],
): CacheEntryInfo[] {
  const byUrl = new Map<string, StoredEntryInfo[]>();
  for (const entry of stored) {
    const list = byUrl.get(entry.key.primary);
    if (list) list.push(entry);
    else byUrl.set(entry.key.primary, [entry]);
  }
  const writing = new Map(writes.map((write) => [write.url, write]));
  const rows: CacheEntryInfo[] = [...byUrl].map(([url, variants]) => {
    const latest = variants.reduce((a, b) => (b.meta.updated > a.meta.updated ? b : a));
    const phase = lastOutcome(url)?.phase;
    const row: CacheEntryInfo = {
      url,
      size: variants.reduce((sum, v) => sum + v.size, 0),
      status: latest.meta.status,
      freshUntil: latest.meta.freshUntil,
      fresh: latest.meta.freshUntil > now,
      lastAccess: Math.max(...variants.map((v) => v.lastAccess)),
      variants: variants.length,
      tags: [...new Set(variants.flatMap((v) => v.meta.tags))],
      ...(phase === undefined ? {} : { lastPhase: phase }),
      ...partialOf(variants),
      ...NOT_WRITING,
    };
    const write = writing.get(url);
    writing.delete(url);
    return write ? withWrite(row, write) : row;
  });
  for (const write of writing.values()) {
    const phase = lastOutcome(write.url)?.phase;
    const row: CacheEntryInfo = {
      url: write.url,
      size: 0,
      status: write.status,
      freshUntil: write.freshUntil,
      fresh: false,
      lastAccess: write.started,
      variants: 1,
      tags: write.tags,
      ...(phase === undefined ? {} : { lastPhase: phase }),
      ...NOT_WRITING,
    };
    rows.push(withWrite(row, write));
  }
  return rows;
}

const NOT_WRITING = { writing: false, bytesWritten: 0, expectedBytes: null, readers: 0 } as const;

function withWrite(row: CacheEntryInfo, write: WriteInProgress): CacheEntryInfo {
  return {
    ...row,
    size: write.bytesWritten,
    status: write.status,
    freshUntil: write.freshUntil,
    fresh: false,
    writing: true,
    bytesWritten: write.bytesWritten,
    expectedBytes: write.expectedBytes,
    readers: write.readers,
  };
}

/** The comlink message types a control client sends. */
const ALLOWED_TYPES = new Set(['APPLY', 'RELEASE']);

/**
 * `null` when `data` is a comlink call the control API accepts — `APPLY` of one of its methods
 * with plain (`RAW`) arguments, or `RELEASE` — else what is wrong with it.
 */
export function comlinkCallError(data: unknown): string | null {
  try {
    if (typeof data !== 'object' || data === null) return 'a control message must be an object';
    const { type, path, argumentList } = data as Record<string, unknown>;
    if (typeof type !== 'string' || !ALLOWED_TYPES.has(type)) {
      return `unsupported control message type ${JSON.stringify(type)}`;
    }
    if (type === 'RELEASE') return null;
    if (
      !Array.isArray(path) ||
      path.length !== 1 ||
      !(CONTROL_METHODS as readonly unknown[]).includes(path[0])
    ) {
      return `unknown control method ${JSON.stringify(path)}; expected one of ${CONTROL_METHODS.join(', ')}`;
    }
    if (argumentList !== undefined && !Array.isArray(argumentList)) {
      return 'argumentList must be an array';
    }
    for (const argument of (argumentList ?? []) as unknown[]) {
      if (typeof argument !== 'object' || argument === null) return 'malformed argument';
      if ((argument as Record<string, unknown>)['type'] !== 'RAW') {
        return 'control arguments must be plain values (no proxies or callbacks)';
      }
    }
    return null;
  } catch {
    return 'unreadable control message';
  }
}

/** A comlink error reply for call `id`, as comlink's own `throw` handler would build it. */
export function errorReply(id: string, message: string): unknown {
  const error = new TypeError(`sw-http-cache: ${message}`);
  return {
    id,
    type: 'HANDLER',
    name: 'throw',
    value: { isError: true, value: { message: error.message, name: error.name } },
  };
}

/** `port` as a comlink endpoint that only lets valid control calls through. */
export function guardedEndpoint(
  port: MessagePort,
  log: (message: string, details?: unknown) => void,
): Endpoint {
  const wrapped = new Map<unknown, (event: MessageEvent) => void>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) =>
      port.postMessage(message, transfer ?? []),
    addEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      const guard = (event: MessageEvent): void => {
        const error = comlinkCallError(event.data);
        if (error === null) {
          if (typeof listener === 'function') listener(event);
          else listener.handleEvent(event);
          return;
        }
        const id = readId(event.data);
        log(`refused a control message: ${error}`);
        if (id !== undefined) port.postMessage(errorReply(id, error));
      };
      wrapped.set(listener, guard);
      port.addEventListener(type as 'message', guard);
    },
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      const guard = wrapped.get(listener);
      if (guard) port.removeEventListener(type as 'message', guard);
      wrapped.delete(listener);
    },
    start: () => port.start(),
  };
}

function readId(data: unknown): string | undefined {
  try {
    const id = (data as Record<string, unknown> | null)?.['id'];
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why a connection request is refused, or `null` to accept it: the hello must be valid, carry one
 * port, and come from a window of this origin (workers and other origins get no control).
 */
export function connectionError(
  data: unknown,
  ports: readonly MessagePort[],
  fromSameOriginWindow: boolean,
): string | null {
  if (!fromSameOriginWindow) return 'only same-origin windows may control the cache';
  if (ports.length !== 1) return 'a control hello must transfer exactly one MessagePort';
  return helloError(data);
}

/**
 * Listens for control hellos on the worker's `message` event and exposes `cache` to each accepted
 * page. Called while the worker script is evaluated (by `controlEndpoint()`'s wiring).
 */
export function listenForControl(
  cache: ControlledCache,
  log: (message: string, details?: unknown) => void = () => {},
): void {
  const api = createControlApi(cache);
  self.addEventListener('message', (event: ExtendableMessageEvent) => {
    if (!isControlMessage(event.data)) return; // someone else's message
    const error = connectionError(event.data, event.ports, isFromSameOriginWindow(event));
    const port = event.ports[0];
    if (error !== null) {
      log(`refused a control connection: ${error}`);
      port?.postMessage(reply({ kind: 'refused', error: `sw-http-cache: ${error}` }));
      port?.close();
      return;
    }
    if (!port) return;
    expose(api, guardedEndpoint(port, log));
    port.postMessage(reply({ kind: 'ready', version: CONTROL_PROTOCOL_VERSION }));
  });
}

function reply(
  body: { kind: 'ready'; version: number } | { kind: 'refused'; error: string },
): ControlReply {
  return { type: CONTROL_MESSAGE, ...body };
}

/** The `partial` field of a URL whose stored variant holds only part of its body. */
function partialOf(variants: readonly StoredEntryInfo[]): Pick<CacheEntryInfo, 'partial'> {
  const sparse = variants.find((v) => v.length !== undefined);
  return sparse?.length === undefined ? {} : { partial: { length: sparse.length } };
}
