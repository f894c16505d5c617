/** Types for origin.mjs (plain JavaScript so `npm start` runs it with plain Node). */
import type { IncomingHttpHeaders } from 'node:http';
import type { Buffer } from 'node:buffer';

export interface OriginOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Served at `/`, relative to the repository root unless absolute; default `dist-demo`. */
  staticDir?: string;
}

/** One request as it reached the origin. */
export interface LoggedRequest {
  method: string;
  pathname: string;
  /** The query string including `?`, or '' when there is none. */
  search: string;
  /** Lower-case names, as Node parses them. */
  headers: IncomingHttpHeaders;
  /** `Date.now()` when the request arrived. */
  time: number;
}

export interface Origin {
  /** E.g. `http://127.0.0.1:41234`, no trailing slash. */
  url: string;
  port: number;
  /** Ends every connection, held stream and hanging request. */
  close(): Promise<void>;
  /** The request log; a pathname matches every query variant, `path?query` only that one. */
  requests(filter?: string): LoggedRequest[];
  /** How many requests match `filter` (same matching as `requests`). */
  count(filter: string): number;
  /** Every byte written to every connection so far (headers and bodies). */
  bytesSent(): number;
  /** Resolves once `filter` has been requested `n` times (default 1); rejects after the timeout. */
  waitFor(filter: string, n?: number, timeoutMs?: number): Promise<void>;
  /** Clears the log, the counters, the slow bodies and offline mode. */
  reset(): void;
  /** Lets `n` (default all) more chunks of `/api/slow?id=…` go out, now and to later readers. */
  release(id: string, n?: number): void;
  /** Offline: every `/api/` request has its connection destroyed (static files too if asked). */
  setOffline(offline: boolean, options?: { static?: boolean }): void;
}

export declare function startOrigin(options?: OriginOptions): Promise<Origin>;

/** The body `/api/resource?size=N` sends: bytes that depend only on `key` (path + query) and size. */
export declare function deterministicBody(key: string, size: number): Buffer;

/** Bytes [start, end) of `deterministicBody(key, …)`. */
export declare function deterministicSlice(key: string, start: number, end: number): Buffer;
