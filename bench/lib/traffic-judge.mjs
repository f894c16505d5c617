// Which answers of a replayed session the RFC would not have allowed: a copy served longer after
// the origin last sent or validated it than its `max-age` + `stale-while-revalidate` (0 under
// `no-cache` and `no-store`), and among those, an outdated version served later after its
// replacement than any copy of it could have been usable.
import { versionAt } from '../../e2e/server/timed-route.mjs';
import { TIME_SCALE, staleAllowance } from './traffic-policies.mjs';

/**
 * Time given to a cache past the window, for reading one clock in two processes (the page's
 * `Date.now()` when it sends the request, the origin's when it answers). Nothing else needs it:
 * an RFC 9111 cache counts a copy's age from before it sent the request that brought it (the
 * request time, §4.2.3), which is before the origin's stamp, and from a lookup that comes after
 * the page's request time.
 */
export const SLACK_MS = 50;

/** Trace seconds → replay milliseconds. @param {number} seconds */
export const replayMs = (seconds) => (seconds * 1000) / TIME_SCALE;

/**
 * `current` when the answer's version was the origin's at the time of the request (or later);
 * `allowed` when it was outdated but a copy could still be fresh or within its swr window;
 * `forbidden` when no copy of it could be.
 *
 * A copy of version v is at most as old as v's replacement (any fetch or validation after that
 * brings v+1), so it is usable without asking the origin until the replacement plus
 * `max-age + stale-while-revalidate` at the latest; `no-cache` and `no-store` allow nothing.
 *
 * @param {import('./traffic-trace.mjs').Resource} resource
 * @param {number} epoch ms, the session's start on the origin's clock
 * @param {{ version: number, at: number }} answer `at`: when the page sent the request (ms)
 * @returns {'current' | 'allowed' | 'forbidden'}
 */
export function judge(resource, epoch, answer) {
  const changes = resource.changes.map(replayMs);
  if (answer.version >= versionAt(epoch, changes, answer.at)) return 'current';
  const allowance = staleAllowance(resource.policy);
  if (allowance === undefined) {
    throw new Error(`${resource.id}: heuristic freshness cannot be judged; do not change it`);
  }
  const replaced = epoch + changes[answer.version];
  return answer.at > replaced + replayMs(allowance) + SLACK_MS ? 'forbidden' : 'allowed';
}

/**
 * Whether the answer was served past its freshness and its swr window, by the time since the
 * origin last sent or validated the copy (`X-Sent-At`, which a 304 merged into the stored
 * headers updates). Heuristic freshness is not judged: the trace's heuristic resources are fresh
 * for the whole session (a tenth of a week of trace time).
 *
 * @param {import('./traffic-trace.mjs').Resource} resource
 * @param {{ sentAt: number, at: number }} answer `at`: when the page sent the request (ms)
 */
export function servedPastFreshness(resource, answer) {
  const allowance = staleAllowance(resource.policy);
  if (allowance === undefined) return false;
  return answer.at - answer.sentAt > replayMs(allowance) + SLACK_MS;
}
