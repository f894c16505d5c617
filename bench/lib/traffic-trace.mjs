// The browsing session that section 9 replays: one site's resources, each with the response
// headers of its kind (bench/lib/traffic-policies.mjs, after the Web Almanac) and the times at
// which it changes, and the page views that request them. Generated from a seed, so every run
// (and every contender) replays the same session.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import { POLICIES } from './traffic-policies.mjs';

const source = fileURLToPath(new URL('../../e2e/helpers/seeded-random.ts', import.meta.url));
/** @type {{ module: typeof import('../../e2e/helpers/seeded-random.ts') }} */
const { module: seeded } = await runnerImport(source, { configFile: false, logLevel: 'warn' });

const MINUTE = 60;
const KB = 1000;

/**
 * @typedef {object} Resource
 * @property {string} id unique in the trace, the path part of its URL
 * @property {import('./traffic-policies.mjs').Policy} policy
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
  /**
   * @param {string} id
   * @param {import('./traffic-policies.mjs').Policy} policy
   * @param {number} size
   * @param {number[]} [changes]
   */
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
