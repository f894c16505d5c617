/** Types for media-route.mjs. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Where the specs write their media files (`test-results/media/`). */
export declare const MEDIA_DIR: string;

export declare function mediaRoute(
  req: IncomingMessage,
  res: ServerResponse,
  context: { url: URL },
): Promise<void>;

/** The media bytes the origin listening on `port` has sent so far. */
export declare function mediaBytesSent(port: number): number;
