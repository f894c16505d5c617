/** Types for coalescing-routes.mjs. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Buffer } from 'node:buffer';

interface RouteContext {
  url: URL;
  count: number;
  now: number;
}

/** `/api/hang-first?size=N`: the first request never gets headers, later ones N bytes. */
export declare function hangFirstRoute(
  req: IncomingMessage,
  res: ServerResponse,
  context: RouteContext,
): void;
/** `/api/big?size=N[&length=0]`: N bytes of `bigBodyBlock`s, with backpressure. */
export declare function bigRoute(
  req: IncomingMessage,
  res: ServerResponse,
  context: RouteContext,
): void;
/** Block `index` of `/api/big`'s body: `base` with the index over its first 4 bytes. */
export declare function bigBodyBlock(base: Buffer, index: number): Buffer;
/** The base block of `/api/big` for `key` (path and query). */
export declare function bigBodyBase(key: string): Buffer;
/** Size of one `/api/big` block (64 KiB). */
export declare const BIG_BODY_BLOCK: number;
