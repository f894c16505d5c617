// Which answers of a replayed session the RFC would not have allowed: an outdated version served
// later after its replacement than any copy of it could have been fresh (or within its
// `stale-while-revalidate` window), whenever the cache had fetched or validated it.
import { versionAt } from '../../e2e/server/timed-route.mjs';
import { TIME_SCALE, staleAllowance } from './traffic-policies.mjs';

/**
 * Time given to a cache past the window: between the origin sending a version and the cache
 * storing it (so its lifetime starts a little later than the origin's clock says), on a busy
 * machine. Far below the shortest window that is not 0 (`max-age=1`, one trace minute).
 */
export const SLACK_MS = 250;

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
