import { SECOND_EXPIRES, type HeaderSet } from './header-sets.ts';

/**
 * May a private cache answer a second, identical GET with the stored first response, without
 * contacting the origin, a moment after it arrived? Written from RFC 9111 (§3 storing, §4.2
 * freshness, §4.1 Vary, §5.2.2 directives) and RFC 5861 (stale-*), independently of src/core:
 *
 * - `never`: the RFC forbids it (no-store, no-cache, Vary: *, not storable, stale without a
 *   stale-serving allowance);
 * - `expected`: storable and clearly fresh — the RFC allows it and this cache promises it;
 * - `either`: the RFC leaves it open (heuristic freshness, malformed or conflicting directives,
 *   a qualified no-cache, times too close to call).
 */
export type ReuseVerdict = 'never' | 'expected' | 'either';

/** RFC 9110 §15.1: status codes a cache may give heuristic freshness. */
const HEURISTIC_STATUS = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);
/** Seconds of slack for clock granularity (HTTP dates have whole seconds) and a slow run. */
const MARGIN = 30;

export function reuseVerdict(set: HeaderSet): { verdict: ReuseVerdict; why: string } {
  const has = (name: string) => set.directives.some((d) => d.name === name);
  const malformed = set.directives.some((d) => d.malformed === true);
  const never = (why: string) => ({ verdict: 'never' as const, why });
  const either = (why: string) => ({ verdict: 'either' as const, why });

  if (has('no-store')) return never('no-store');
  if (has('no-cache')) return never('no-cache');
  if (set.vary?.split(',').some((name) => name.trim() === '*')) return never('Vary: *');
  if (malformed) return either('malformed Cache-Control');
  if (has('no-cache-qualified')) return either('qualified no-cache');

  const maxAges = new Set(set.directives.filter((d) => d.name === 'max-age').map((d) => d.seconds));
  if (maxAges.size > 1) return either('conflicting max-age');
  const [maxAge] = maxAges;
  const explicit = maxAge !== undefined || set.expires !== undefined;
  // §4.2.1: several Expires values that disagree mean "the first occurrence, or stale".
  const expiresAgree =
    set.expires !== undefined && 'literal' in set.expires && set.expires.literal === SECOND_EXPIRES;
  if (set.expiresTwice && maxAge === undefined && !expiresAgree) return either('several Expires');
  if (!explicit) {
    if (HEURISTIC_STATUS.has(set.status) || has('public') || has('private')) {
      return either('heuristic freshness');
    }
    return never('not storable: no explicit freshness, status not heuristically cacheable');
  }

  // Seconds relative to the origin's clock at the response, which is also "now" for the cache.
  const date =
    set.date === undefined
      ? 0
      : set.date !== null && 'relative' in set.date
        ? set.date.relative
        : 0;
  let lifetime: number;
  if (maxAge !== undefined) lifetime = maxAge;
  else if (set.expires !== undefined && 'relative' in set.expires) {
    lifetime = Math.max(0, set.expires.relative - date);
  } else lifetime = 0; // an invalid Expires is in the past (§5.3)
  if (
    set.date !== undefined &&
    set.date !== null &&
    'literal' in set.date &&
    maxAge === undefined
  ) {
    return either('Expires against an invalid Date');
  }

  let ageValue = 0;
  if (set.age !== undefined) {
    // §5.1: a list-valued Age uses its first member, discarding the others.
    const first = set.age.split(',')[0]!.trim();
    if (!/^\d+$/.test(first)) return either('invalid Age');
    ageValue = Number(first);
  }
  const age = Math.max(0, -date, ageValue);
  const freshFor = lifetime - age;

  if (lifetime > 0 && freshFor > MARGIN) return { verdict: 'expected', why: 'fresh' };
  if (lifetime > 0 && freshFor > -2) return either('freshness too close to call');
  // Stale: only a stale-serving allowance may let the stored response out without the origin.
  if (has('must-revalidate')) return never('stale, must-revalidate');
  const stale = -freshFor;
  const window = (name: string) =>
    set.directives.find((d) => d.name === name)?.seconds ?? Number.NEGATIVE_INFINITY;
  if (stale < window('stale-while-revalidate') + 2) return either('stale-while-revalidate');
  if (set.status >= 500 && stale < window('stale-if-error') + 2) return either('stale-if-error');
  return never('stale');
}

/**
 * May the cache answer a request that demands validation (`cache: 'no-cache'`) with the stored
 * response when the origin's answer is a 5xx? RFC 9111 §4.3.3 lets a cache treat a 5xx validation
 * response as a failure to respond and send the stored response, within the limits on serving
 * stale ones (§4.2.4): fresh, or inside a `stale-if-error` window (RFC 5861 §4), never past
 * `must-revalidate`. And only a response it may store at all.
 */
export function mayServeStoredOnError(set: HeaderSet): boolean {
  const has = (name: string) => set.directives.some((d) => d.name === name);
  if (set.status < 500) return false;
  if (has('no-store') || set.vary?.split(',').some((name) => name.trim() === '*')) return false;
  if (reuseVerdict(set).verdict !== 'never') return true;
  return has('stale-if-error') && !has('must-revalidate') && !has('no-cache');
}

/**
 * May the cache answer a reload (`cache: 'no-cache'`) with the stored response without the
 * origin? RFC 8246 §2: a fresh `immutable` response is not revalidated on reload. Only where the
 * plain second request could be reused too (the same freshness), never for a request `no-cache`.
 */
export function mayReuseOnReload(set: HeaderSet): boolean {
  const immutable = set.directives.some((d) => d.name === 'immutable');
  return immutable && reuseVerdict(set).verdict !== 'never';
}
