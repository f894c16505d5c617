/** Types for fault-routes.mjs. */
import type { Buffer } from 'node:buffer';

/** The body answer `n` (1-based) of `key` (path and query) of `/api/faulty` carries. */
export declare function faultyBody(key: string, n: number, size: number): Buffer;

/** `/api/faulty?plan=ok,reset,hang&size=N`: answer n follows step n of `plan`. */
export declare function faultyRoute(
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
  context: { url: URL; count: number; now: number },
): void;
