// The browsing session that section 9 replays: one site's resources, each with the response
// headers of its kind and the times at which it changes, and the page views that request them.
// Generated from a seed, so every run (and every contender) replays the same session.
//
// The mix of headers follows the HTTP Archive Web Almanac 2020, Caching chapter
// (https://almanac.httparchive.org/en/2020/caching): `max-age` on 60% of responses, `no-cache`
// on 14–15%, `no-store` on 9–10%, `private` on 9–10%, `immutable` on 3.5%,
// `stale-while-revalidate` on 2%; 28% heuristically cacheable (neither `Cache-Control` nor
// `Expires`); `ETag` on 48%, `Last-Modified` on 73%; `Vary` on 43%, almost all of it
// `Accept-Encoding`, `Accept` on 4% of those; median TTLs of a month for scripts, styles and
// images, a year for fonts, 0 to 1 hour for the lowest quarter of HTML and "other" (APIs); a
// third of HTML not storable. One site is not the web: the generator prints the mix it made.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const source = fileURLToPath(new URL('../../e2e/helpers/seeded-random.ts', import.meta.url));
/** @type {{ module: typeof import('../../e2e/helpers/seeded-random.ts') }} */
const { module: seeded } = await runnerImport(source, { configFile: false, logLevel: 'warn' });

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
const KB = 1000;

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
 *
 * @typedef {object} Resource
 * @property {string} id unique in the trace, the path part of its URL
 * @property {Policy} policy
 * @property {number} size body bytes
 * @property {number[]} changes trace seconds at which a new version replaces the current one
 *
 * @typedef {object} TraceRequest
 * @property {Resource} resource
 * @property {string} [accept] the request's `Accept`, for resources that vary on it
 *
 * @typedef {object} PageView
 * @property {number} at trace seconds from the start of the session
 * @property {string} what e.g. `load /article/3`, `spa /home`
 * @property {TraceRequest[]} requests the document (if any) first, then the rest in parallel
 *
 * @typedef {{ seconds: number, resources: Resource[], views: PageView[] }} Trace
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

/**
 * Change times every `period` (± half) trace seconds over the session.
 *
 * @param {import('../../e2e/helpers/seeded-random.ts').Random} random
 * @param {number} period
 * @param {number} seconds
 */
function changesEvery(random, period, seconds) {
  const changes = [];
  for (let t = random.int(period / 2, (3 * period) / 2); t < seconds;) {
    changes.push(t);
    t += random.int(period / 2, (3 * period) / 2);
  }
  return changes;
}

/**
 * @param {{ seed: number, minutes: number }} options
 * @returns {Trace}
 */
export function buildTrace({ seed, minutes }) {
  const random = seeded.seededRandom(seed);
  const seconds = minutes * MINUTE;
  /** @type {Resource[]} */
  const resources = [];
  /** @param {string} id @param {Policy} policy @param {number} size @param {number[]} [changes] */
  const add = (id, policy, size, changes = []) => {
    const resource = { id, policy, size, changes };
    resources.push(resource);
    return resource;
  };

  // One deploy part way through: new hashed bundles, every document changes.
  const deploy = random.int(Math.round(seconds * 0.4), Math.round(seconds * 0.6));
  const bundles = [0, 1].map((release) => ({
    app: add(`app.${release}.js`, POLICIES.hashed, random.int(60, 120) * KB),
    css: add(`app.${release}.css`, { ...POLICIES.hashed, ctype: 'text/css' }, 40 * KB),
    chunks: [1, 2, 3].map((n) =>
      add(`route-${n}.${release}.js`, POLICIES.hashed, random.int(10, 40) * KB),
    ),
  }));
  const shared = [
    add('vendor.js', POLICIES.hashed, 250 * KB),
    add('font-regular.woff2', { ...POLICIES.hashed, ctype: 'font/woff2' }, 25 * KB),
    add('font-bold.woff2', { ...POLICIES.hashed, ctype: 'font/woff2' }, 25 * KB),
    add('logo.svg', { ...POLICIES.hashed, ctype: 'image/svg+xml' }, 5 * KB),
    add('favicon.png', POLICIES.heuristic, 4 * KB),
    add('widget.js', POLICIES.widget, 30 * KB, changesEvery(random, 12 * MINUTE, seconds)),
  ];
  const home = add('home.html', POLICIES.document, 40 * KB, [
    ...changesEvery(random, 6 * MINUTE, seconds).filter((t) => t !== deploy),
    deploy,
  ]);
  home.changes.sort((a, b) => a - b);
  const articles = [1, 2, 3, 4, 5].map((n) => ({
    page: add(`article-${n}.html`, POLICIES.document, random.int(25, 60) * KB, [deploy]),
    images: Array.from({ length: random.int(1, 4) }, (_, i) =>
      add(`article-${n}-${i}.jpg`, POLICIES.image, random.int(30, 150) * KB),
    ),
  }));
  const cartPage = add('cart.html', POLICIES.cart, 30 * KB, changesEvery(random, MINUTE, seconds));
  const api = {
    feed: add('feed.json', POLICIES.feed, 8 * KB, changesEvery(random, 2 * MINUTE, seconds)),
    recommendations: add(
      'recommendations.json',
      POLICIES.recommendations,
      12 * KB,
      changesEvery(random, 5 * MINUTE, seconds),
    ),
    prices: add('prices', POLICIES.prices, 6 * KB, changesEvery(random, 3 * MINUTE, seconds)),
    profile: add('profile.json', POLICIES.profile, 2 * KB, [random.int(0, seconds)]),
    basket: add('basket.json', POLICIES.basket, 3 * KB, changesEvery(random, 4 * MINUTE, seconds)),
    notifications: add(
      'notifications.json',
      POLICIES.notifications,
      1 * KB,
      changesEvery(random, MINUTE, seconds),
    ),
  };

  /** @type {PageView[]} */
  const views = [];
  /** @param {Resource} resource @param {string} [accept] @returns {TraceRequest} */
  const req = (resource, accept) => (accept === undefined ? { resource } : { resource, accept });
  const prices = () => req(api.prices, random.chance(0.7) ? 'application/json' : 'text/csv');
  for (let at = 0, first = true; at < seconds; first = false) {
    const release = bundles[at < deploy ? 0 : 1];
    const route = random.weighted({ home: 4, article: 5, cart: 1 });
    const article = random.pick(articles);
    // The header's badges (notifications, basket) and the user on every view.
    const apis = [req(api.notifications), req(api.basket), req(api.profile)];
    if (route === 'home') apis.push(req(api.feed), req(api.recommendations));
    if (route === 'article') apis.push(req(api.recommendations), prices());
    if (route === 'cart') apis.push(prices());
    const content = route === 'article' ? article.images.map((image) => req(image)) : [];
    const load = first || random.chance(0.3);
    const document = { home, article: article.page, cart: cartPage }[route];
    const name = route === 'article' ? document.id.replace('.html', '') : route;
    views.push(
      load
        ? {
            at,
            what: `load /${name}`,
            requests: [
              req(document),
              ...[release.app, release.css, ...shared].map((r) => req(r)),
              ...content,
              ...apis,
            ],
          }
        : {
            at,
            what: `spa /${name}`,
            requests: [req(random.pick(release.chunks)), ...content, ...apis],
          },
    );
    // Think time: longer after a full load (reading) than after an in-app step.
    at += load ? random.int(20, 90) : random.int(5, 30);
  }
  return { seconds, resources, views };
}

/**
 * The trace's request mix by kind: requests and share of all requests.
 *
 * @param {Trace} trace
 * @returns {{ kind: string, requests: number, share: number }[]}
 */
export function requestMix(trace) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  let total = 0;
  for (const view of trace.views) {
    for (const { resource } of view.requests) {
      counts.set(resource.policy.kind, (counts.get(resource.policy.kind) ?? 0) + 1);
      total++;
    }
  }
  return [...counts].map(([kind, requests]) => ({ kind, requests, share: requests / total }));
}
