import type { QueryParams } from './api-url.ts';
import type { Random } from './seeded-random.ts';

/**
 * Generated response header sets for `/api/resource` (e2e/server/response-headers.mjs), described
 * structurally so an oracle (rfc-reuse-oracle.ts) can reason about them without parsing them back.
 */

/** A Cache-Control member and what it means; `malformed` ones mean nothing certain. */
export interface Directive {
  text: string;
  name?:
    | 'max-age'
    | 'no-store'
    | 'no-cache'
    | 'no-cache-qualified'
    | 'private'
    | 'public'
    | 'must-revalidate'
    | 's-maxage'
    | 'stale-while-revalidate'
    | 'stale-if-error'
    | 'immutable'
    | 'harmless';
  /** delta-seconds of max-age / stale-* directives. */
  seconds?: number;
  malformed?: true;
}

/** A time header: relative seconds from the origin's clock, or a literal (malformed) value. */
export type TimeValue = { relative: number } | { literal: string };

export interface HeaderSet {
  status: number;
  directives: Directive[];
  /** Absent: Node's own `Date` (now); `null`: no Date header at all. */
  date?: TimeValue | null;
  expires?: TimeValue;
  /** A second `Expires` line, dated 1970: several values count only when they agree (§4.2.1). */
  expiresTwice?: true;
  age?: string;
  lastModified?: TimeValue;
  etag?: string;
  vary?: string;
  /** Hop-by-hop fields (`Connection: keep-alive, x-hop`, `X-Hop`, `Keep-Alive`): never replayed. */
  hopByHop?: true;
  /** Body bytes (deterministic); 204 always has none. */
  size: number;
}

// A table, one row per directive spelling: its rows look alike by design (duplicates lists them).
const WELL_FORMED: Directive[] = [
  { text: 'max-age=0', name: 'max-age', seconds: 0 },
  { text: 'max-age=600', name: 'max-age', seconds: 600 },
  { text: 'max-age=86400', name: 'max-age', seconds: 86_400 },
  { text: 'MAX-AGE=3600', name: 'max-age', seconds: 3_600 },
  { text: 'no-store', name: 'no-store' },
  { text: 'no-cache', name: 'no-cache' },
  { text: 'no-cache="set-cookie"', name: 'no-cache-qualified' },
  { text: 'private', name: 'private' },
  { text: 'public', name: 'public' },
  { text: 'must-revalidate', name: 'must-revalidate' },
  { text: 's-maxage=600', name: 's-maxage', seconds: 600 },
  { text: 'stale-while-revalidate=60', name: 'stale-while-revalidate', seconds: 60 },
  { text: 'stale-if-error=60', name: 'stale-if-error', seconds: 60 },
  { text: 'immutable', name: 'immutable' },
  { text: 'no-transform', name: 'harmless' },
  { text: 'proxy-revalidate', name: 'harmless' },
  { text: 'x-ext="a, b"', name: 'harmless' },
];

const MALFORMED: Directive[] = [
  'max-age=abc',
  'max-age=-1',
  'max-age=',
  'max-age="600"',
  'max-age=60.5',
  'max-age=600 600',
  'max-age=99999999999999999999',
  '=600',
  ',,',
  'no-store=1',
  'max-age = 600',
  '"no-store"',
  'stale-while-revalidate=x',
].map((text) => ({ text, malformed: true as const }));

/** The value of the second `Expires` line of {@link HeaderSet.expiresTwice}. */
export const SECOND_EXPIRES = 'Thu, 01 Jan 1970 00:00:00 GMT';

const STATUSES = [
  200, 200, 200, 203, 204, 300, 301, 400, 403, 404, 405, 410, 414, 418, 500, 501, 503,
];

function timeValue(random: Random, relatives: number[], literals: string[]): TimeValue {
  return random.chance(0.8)
    ? { relative: random.pick(relatives) }
    : { literal: random.pick(literals) };
}

export function generateHeaderSet(random: Random): HeaderSet {
  const directives: Directive[] = [];
  const count = random.pick([0, 1, 1, 2, 2, 3, 4]);
  for (let i = 0; i < count; i++) {
    directives.push(random.chance(0.15) ? random.pick(MALFORMED) : random.pick(WELL_FORMED));
  }
  const set: HeaderSet = {
    status: random.pick(STATUSES),
    directives,
    size: random.pick([0, 10, 300, 5_000]),
  };
  if (random.chance(0.25)) {
    set.date = random.chance(0.3)
      ? null
      : timeValue(
          random,
          [0, -30, -100_000, 3_600],
          ['yesterday', 'Mon, 32 Foo 2020 25:00:00 GMT'],
        );
  }
  if (random.chance(0.3)) {
    set.expires = timeValue(random, [-3_600, 0, 600, 86_400], ['0', '-1', 'never', SECOND_EXPIRES]);
    if (random.chance(0.2)) set.expiresTwice = true;
  }
  if (random.chance(0.2)) {
    // List values too: RFC 9111 §5.1 uses the first member.
    set.age = random.pick(['0', '30', '100000', 'abc', '-5', '1.5', '0, 100000', '100000, 0']);
  }
  if (random.chance(0.3)) set.lastModified = timeValue(random, [-3_600, -864_000, 60], ['garbage']);
  if (random.chance(0.4)) set.etag = random.pick(['"v1"', 'W/"v1"', '"a,b"']);
  if (random.chance(0.25))
    set.vary = random.pick(['accept', 'x-foo', 'Accept-Language, x-bar', '*', 'accept, *']);
  if (random.chance(0.2)) set.hopByHop = true;
  return set;
}

/** The query of `/api/resource` that makes the origin send `set`; `id` makes the URL unique. */
export function headerSetQuery(set: HeaderSet, id: string): QueryParams {
  const query: Record<string, string | string[]> = { id, status: String(set.status) };
  const extra: string[] = [];
  if (set.directives.length > 0) query['cc'] = set.directives.map((d) => d.text).join(', ');
  const time = (param: string, header: string, value: TimeValue | undefined) => {
    if (value === undefined) return;
    // A numeric literal such as `0` would be read as relative seconds: send it through `h=`.
    if ('literal' in value) extra.push(`${header}:${value.literal}`);
    else query[param] = String(value.relative);
  };
  if (set.date === null) query['date'] = '';
  else time('date', 'date', set.date);
  if (set.date !== undefined && set.date !== null && 'literal' in set.date) query['date'] = '';
  time('expires', 'expires', set.expires);
  if (set.expiresTwice) extra.push(`expires:${SECOND_EXPIRES}`);
  time('lm', 'last-modified', set.lastModified);
  if (set.age !== undefined) query['age'] = set.age;
  if (set.etag !== undefined) query['etag'] = set.etag;
  if (set.vary !== undefined) query['vary'] = set.vary;
  if (set.hopByHop) extra.push('connection:keep-alive, x-hop', 'x-hop:1', 'keep-alive:timeout=5');
  if (set.status === 204) query['body'] = '';
  else query['size'] = String(set.size);
  if (extra.length > 0) query['h'] = extra;
  return query;
}
