/** Types for fault-routes.mjs. */
import type { Buffer } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The body answer `n` (1-based) of `key` (path and query) of `/api/faulty` carries. */
export declare function faultyBody(key: string, n: number, size: number): Buffer;

/** `/api/faulty?plan=ok,reset,hang&size=N`: answer n follows step n of `plan`. */
export declare function faultyRoute(
  req: IncomingMessage,
  res: ServerResponse,
  context: { url: URL; count: number; now: number },
): void;
