/** Types for traffic-judge.mjs (plain JavaScript, like the rest of the bench), for its test. */

/** A resource's caching headers, in trace seconds (the fields the judge reads). */
export interface JudgedPolicy {
  maxAge?: number;
  swr?: number;
  noCache?: boolean;
  noStore?: boolean;
}

export interface JudgedResource {
  id: string;
  policy: JudgedPolicy;
  /** Trace seconds at which a new version replaces the current one. */
  changes: number[];
}

/** Time given to a cache past the window, ms. */
export declare const SLACK_MS: number;

/** Trace seconds → replay milliseconds. */
export declare function replayMs(seconds: number): number;

/**
 * `current`: the origin's version when the request was sent (or later); `allowed`: outdated
 * but a copy could still be fresh or within its swr window; `forbidden`: no copy could be.
 */
export declare function judge(
  resource: JudgedResource,
  epoch: number,
  answer: { version: number; at: number },
): 'current' | 'allowed' | 'forbidden';

/** Whether the answer was served longer after the origin last sent or validated it than allowed. */
export declare function servedPastFreshness(
  resource: JudgedResource,
  answer: { sentAt: number; at: number },
): boolean;
