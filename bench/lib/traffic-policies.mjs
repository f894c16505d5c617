// The kinds of response in the session that section 9 replays, with the headers of each, and
// how those headers are scaled to the replay's compressed time.
//
// The mix follows the HTTP Archive Web Almanac 2020, Caching chapter
// (https://almanac.httparchive.org/en/2020/caching): `max-age` on 60% of responses, `no-cache`
// on 14–15%, `no-store` on 9–10%, `private` on 9–10%, `immutable` on 3.5%,
// `stale-while-revalidate` on 2%; 28% heuristically cacheable (neither `Cache-Control` nor
// `Expires`); `ETag` on 48%, `Last-Modified` on 73%; `Vary` on 43%, almost all of it
// `Accept-Encoding`, `Accept` on 4% of those; median TTLs of a month for scripts, styles and
// images, a year for fonts, 0 to 1 hour for the lowest quarter of HTML and "other" (APIs); a
// third of HTML not storable. One site is not the web: the section prints the mix it replays.

/**
 * Trace seconds per replayed second: a 30-minute session replays in 30 s. Every delta-seconds
 * in `Cache-Control` and every change time is divided by it, so a cache sees the same ratios of
 * lifetime to think time as in the real session. Lifetimes are whole minutes, so the scaled
 * headers stay whole seconds, and at least 2 minutes: the origin's `Date` counts whole seconds,
 * so a response may be up to a second (a trace minute) old on arrival, for every cache alike.
 */
export const TIME_SCALE = 60;

const MINUTE = 60;
const DAY = 24 * 60 * MINUTE;

/**
 * A resource's caching headers, in trace seconds.
 *
 * @typedef {object} Policy
 * @property {string} kind what it stands for, printed in the breakdown
 * @property {number} [maxAge]
 * @property {number} [swr] `stale-while-revalidate`
 * @property {boolean} [noCache]
 * @property {boolean} [noStore]
 * @property {boolean} [immutable]
 * @property {boolean} [private]
 * @property {'etag' | 'lm'} [validator]
 * @property {string} [vary]
 * @property {string} ctype
 */

/** The site's kinds of response, by what the Almanac reports for each type. */
export const POLICIES = /** @type {const} */ ({
  document: {
    kind: 'HTML, no-cache + ETag',
    noCache: true,
    validator: 'etag',
    vary: 'Accept-Encoding',
    ctype: 'text/html; charset=utf-8',
  },
  cart: {
    kind: 'HTML, no-store',
    noStore: true,
    private: true,
    ctype: 'text/html; charset=utf-8',
  },
  hashed: {
    kind: 'hashed asset, 1 year immutable',
    maxAge: 365 * DAY,
    immutable: true,
    vary: 'Accept-Encoding',
    ctype: 'text/javascript',
  },
  image: {
    kind: 'image, 30 days + Last-Modified',
    maxAge: 30 * DAY,
    validator: 'lm',
    ctype: 'image/jpeg',
  },
  heuristic: {
    kind: 'image, Last-Modified only (heuristic)',
    validator: 'lm',
    ctype: 'image/png',
  },
  widget: {
    kind: 'unhashed script, 10 min + ETag',
    maxAge: 10 * MINUTE,
    validator: 'etag',
    vary: 'Accept-Encoding',
    ctype: 'text/javascript',
  },
  feed: {
    kind: 'API, 2 min, no validator',
    maxAge: 2 * MINUTE,
    vary: 'Accept-Encoding',
    ctype: 'application/json',
  },
  recommendations: {
    kind: 'API, 2 min + swr 10 min + ETag',
    maxAge: 2 * MINUTE,
    swr: 10 * MINUTE,
    validator: 'etag',
    ctype: 'application/json',
  },
  prices: {
    kind: 'API, 5 min + ETag, Vary: Accept',
    maxAge: 5 * MINUTE,
    validator: 'etag',
    vary: 'Accept-Encoding, Accept',
    ctype: 'application/json',
  },
  profile: {
    kind: 'API, private 10 min + ETag',
    maxAge: 10 * MINUTE,
    private: true,
    validator: 'etag',
    ctype: 'application/json',
  },
  basket: {
    kind: 'API, private no-cache + ETag',
    noCache: true,
    private: true,
    validator: 'etag',
    ctype: 'application/json',
  },
  notifications: {
    kind: 'API, no-store',
    noStore: true,
    private: true,
    ctype: 'application/json',
  },
});

/**
 * The `Cache-Control` a resource is served with, its delta-seconds divided by `TIME_SCALE`;
 * undefined when it has none (heuristic freshness).
 *
 * @param {Policy} policy
 */
export function scaledCacheControl(policy) {
  const parts = [];
  if (policy.private) parts.push('private');
  if (policy.noStore) parts.push('no-store');
  if (policy.noCache) parts.push('no-cache');
  if (policy.maxAge !== undefined) parts.push(`max-age=${policy.maxAge / TIME_SCALE}`);
  if (policy.swr !== undefined) parts.push(`stale-while-revalidate=${policy.swr / TIME_SCALE}`);
  if (policy.immutable) parts.push('immutable');
  return parts.length === 0 ? undefined : parts.join(', ');
}

/**
 * How long after a version is replaced (trace seconds) a cache may still answer with it without
 * asking the origin, whenever it fetched it: its `max-age` plus its `stale-while-revalidate`;
 * 0 under `no-cache` or `no-store`. Heuristic freshness depends on the fetch, so it is undefined:
 * the trace never changes such a resource.
 *
 * @param {Policy} policy
 */
export function staleAllowance(policy) {
  if (policy.noCache || policy.noStore) return 0;
  if (policy.maxAge === undefined) return undefined;
  return policy.maxAge + (policy.swr ?? 0);
}
