/**
 * The fetch flow: it decides in which order a GET or HEAD request drives `HttpCache`, the order
 * of pingora's proxy: request filter → key → predictor → lookup → Vary → freshness → hit,
 * stale-while-revalidate, revalidation or miss → response filter → admission. Each step is one
 * small method or module; the modules (`admission.ts`, `revalidation.ts`, `serve-stored.ts`)
 * call the request's `HttpCache` too, through the {@link RequestContext} the flow hands them.
 * Unsafe methods do not come here: `invalidation.ts` drives an `HttpCache` of its own.
 */
import { HttpCache } from '../core/http-cache.ts';
import {
  evaluateReuse,
  inPreferredLanguage,
  liveVariants,
  preferredLanguageVariant,
  reusableOnReload,
  varianceHash,
  varyMatchesNothing,
  type ReuseDecision,
} from '../core/http/index.ts';
import { normalizeUrl, withoutVariance, type CacheKey } from '../core/key.ts';
import { headerListFrom, type CacheMeta } from '../core/meta.ts';
import { HitStatus, NoCacheReason } from '../core/phase.ts';
import { LockStatus, type WritePermit } from '../core/lock.ts';
import type { LookupResult, StoredVariant } from '../core/storage.ts';
import { listStoredVariants } from '../core/stored-variants.ts';
import { admit } from './admission.ts';
import type { ForwardReason } from './cache-status-format.ts';
import { debugKey, type FlowDeps, type RequestContext, type WaitUntil } from './flow-deps.ts';
import { forwardedResponse, gatewayTimeout } from './respond.ts';
import { forwardOrServeStale, revalidate } from './revalidation.ts';
import { serveStored } from './serve-stored.ts';
import type { SparseLookAhead } from './sparse-look-ahead.ts';
import { admitSelectedVariant, withVariantTags } from './variant-validation.ts';
import { askOrigin, askOriginOnce, UpstreamError, upstreamRequest } from './upstream.ts';

/**
 * What a lookup found: the usable entry, nothing stored for the URL (`uri-miss`), or only other
 * variants of it (`vary-miss`, with those the request may offer the origin). The two misses are
 * told apart in `Cache-Status`.
 */
type Lookup =
  | { readonly kind: 'found'; readonly entry: LookupResult }
  | { readonly kind: Miss; readonly others?: readonly StoredVariant[] | undefined };
type Miss = Extract<ForwardReason, 'uri-miss' | 'vary-miss'>;

/** A stale-while-revalidate refresh, with the write permit of the request that served stale. */
interface BackgroundRevalidation {
  readonly permit: WritePermit | undefined;
}

/** How often a reader competes again after its writer failed (pingora retries twice). */
const MAX_LOCK_RETRIES = 2;

export class FetchFlow {
  readonly #deps: FlowDeps;

  constructor(deps: FlowDeps) {
    this.#deps = deps;
  }

  /**
   * Answers a GET or HEAD request through the cache. Never rejects because of the cache.
   * `clientId`: the tab that asked (for the outcome stream); `preload`: a navigation's preload
   * response, used for the first request to the origin.
   */
  async handle(
    request: Request,
    waitUntil: WaitUntil,
    { clientId = '', preload }: { clientId?: string; preload?: Promise<Response | undefined> } = {},
  ): Promise<Response> {
    const cache = new HttpCache();
    const ctx: RequestContext = {
      deps: this.#deps,
      cache,
      request,
      waitUntil,
      preload: preload && { response: preload, sentBy: this.#deps.now() },
    };
    const response = await this.#answer(ctx);
    this.#deps.record?.({ request, response, phase: cache.phase().name, clientId });
    return response;
  }

  async #answer(ctx: RequestContext): Promise<Response> {
    const { cache, request } = ctx;
    try {
      return await this.#run(ctx, undefined);
    } catch (error) {
      if (cache.enabled()) cache.disable(NoCacheReason.InternalError);
      // The origin is down and nothing stored may stand in: the network error the page would
      // get without the worker.
      if (error instanceof UpstreamError) return Response.error();
      // A bug or a storage failure must not cost the page its response: go to the network.
      this.#deps.log('cache failed, answering from the network', error);
      try {
        const { response } = await askOriginOnce(ctx, upstreamRequest(request));
        return forwardedResponse(response, { fwd: 'miss', detail: NoCacheReason.InternalError });
      } catch {
        return Response.error();
      }
    }
  }

  async #run(
    ctx: RequestContext,
    background: BackgroundRevalidation | undefined,
  ): Promise<Response> {
    const { cache, request } = ctx;
    if (request.cache === 'no-store') return this.#forward(ctx, 'request');

    await this.#enable(ctx);
    if (background?.permit) cache.setWriteLock(background.permit);
    if (!cache.cacheablePrediction()) {
      cache.bypass();
      return this.#forward(ctx, 'bypass', 'predicted-uncacheable');
    }
    if (request.cache === 'reload') {
      cache.cacheMiss();
      return this.#fetchAndAdmit(ctx, 'request');
    }
    // A range's sparse entry is looked up beside the complete one (a media seek's first byte).
    const ranged = request.method === 'GET' && request.headers.has('range');
    const early = ranged ? this.#deps.partialContent?.lookAhead(ctx) : undefined;
    try {
      return await this.#lookUpAndServe(ctx, background, early);
    } finally {
      early?.drop();
    }
  }

  /**
   * pingora's proxy loop: a request locked behind another one's download waits for it, then
   * looks up again (and follows the body as it is written).
   */
  async #lookUpAndServe(
    ctx: RequestContext,
    background: BackgroundRevalidation | undefined,
    early: SparseLookAhead | undefined,
  ): Promise<Response> {
    const { cache, request } = ctx;
    let collapsed = false;
    // A range's first pass with its sparse entry looked up: a miss takes no lock at first, for
    // fresh pieces that hold the range answer without one (as a fresh complete hit). A complete
    // entry, found first, still wins (RFC 9111 §4: the most recent response).
    let unlocked =
      early !== undefined &&
      background === undefined &&
      request.cache !== 'only-if-cached' &&
      request.cache !== 'no-cache';
    for (let retries = 0; ;) {
      const deferred = unlocked;
      unlocked = false;
      const result = await this.#lookup(ctx, !deferred);
      if (result.kind === 'found') {
        const { entry } = result;
        const decision = this.#reuse(entry.meta, request, background !== undefined);
        await cache.cacheFound(entry.meta, entry.hit, decision.status);
        const action = decision.action;
        if (
          action === 'use' ||
          action === 'use-stale' ||
          (action === 'revalidate' && decision.onlyIfCached)
        ) {
          return this.#serveHit(ctx, collapsed);
        }
        if (action === 'use-stale-and-revalidate') return this.#serveWhileRevalidating(ctx);
        if (!cache.isCacheLocked()) return revalidate(ctx, entry.meta);
      } else {
        if (request.cache === 'only-if-cached') {
          cache.disable(NoCacheReason.Deferred);
          return gatewayTimeout({ fwd: 'uri-miss', detail: 'only-if-cached' });
        }
        const pieces = this.#deps.partialContent;
        if (deferred && result.kind === 'uri-miss') {
          const held = pieces && early ? await pieces.answerHeld(ctx, early) : null;
          if (held !== null) return held;
          // Lookup, then lock (`docs/lock.md`): reading the pieces may have taken a task, in which
          // a writer may have stored the entry and released its lock. Look up again, locking.
          continue;
        }
        if (!cache.isCacheLocked()) {
          const partial =
            result.kind === 'uri-miss' && pieces !== undefined
              ? await pieces.answer(ctx, collapsed ? undefined : early)
              : null;
          if (partial !== null) return partial;
          cache.cacheMiss();
          return this.#fetchAndAdmit(ctx, result.kind, result.others);
        }
      }
      const status = await cache.cacheLockWait();
      collapsed = true;
      if (status === LockStatus.Done) continue;
      if (
        (status === LockStatus.TransientError || status === LockStatus.Dangling) &&
        retries < MAX_LOCK_RETRIES
      ) {
        retries++;
        continue;
      }
      // The writer gave up (uncacheable), or waiting took too long: fetch on our own, uncached.
      const reason =
        status === LockStatus.GiveUp
          ? NoCacheReason.CacheLockGiveUp
          : NoCacheReason.CacheLockTimeout;
      if (result.kind === 'found') {
        return forwardOrServeStale(ctx, reason, () => this.#forward(ctx, 'miss', reason));
      }
      cache.disable(reason);
      return this.#forward(ctx, 'miss', reason);
    }
  }

  /**
   * Stale-while-revalidate (RFC 5861 §3): serve the stale entry now. The request holding the
   * write permit hands it to a background revalidation; the others just serve stale.
   */
  async #serveWhileRevalidating(ctx: RequestContext): Promise<Response> {
    const { cache, request, waitUntil } = ctx;
    const locked = cache.isCacheLocked();
    const permit = cache.isCacheLockWriter() ? cache.takeWriteLock() : undefined;
    cache.setStaleUpdating();
    if (!locked) waitUntil(this.#revalidateInBackground(request, permit));
    return this.#serveHit(ctx, locked);
  }

  async #enable({ cache, request }: RequestContext): Promise<void> {
    const { storage, eviction, predictor, lock, options, now } = this.#deps;
    cache.enable({ storage, eviction, predictor, lock, clock: now });
    cache.setCacheKey(await this.#keyFor(request));
    if (options.validAfter !== undefined) cache.setValidAfter(options.validAfter);
    cache.setMaxFileSizeBytes(options.maxBodySize);
  }

  /** The request's URL as the key; with the `noVarySearch()` feature, maybe an equivalent one. */
  #keyFor(request: Request): CacheKey | Promise<CacheKey> {
    const exact: CacheKey = {
      namespace: this.#deps.options.namespace,
      primary: normalizeUrl(request.url),
    };
    return this.#deps.searchVariance?.keyFor(exact, this.#deps.storage) ?? exact;
  }

  /**
   * Looks the key up, then follows `Vary` (pingora `cache_vary_lookup`): when the primary slot's
   * response varies on headers this request does not match, look up this request's variant.
   * `lockOnMiss: false`: nothing stored under the key takes no lock (the caller takes it).
   */
  async #lookup(ctx: RequestContext, lockOnMiss: boolean): Promise<Lookup> {
    const { cache, request } = ctx;
    const { variance: known } = cache.cacheKey();
    const primary = await cache.cacheLookup({ lockOnMiss });
    if (!primary) return { kind: known === undefined ? 'uri-miss' : 'vary-miss' };
    this.#deps.searchVariance?.record(cache.cacheKey().primary, primary.meta.headers);
    if (primary.meta.vary.length === 0) return found(primary);
    if (known !== undefined) {
      // Looking up again after waiting for a lock: the key already names this request's variant.
      if (primary.meta.variance === known) return found(primary);
      return varyMiss(primary);
    }

    const variance = varianceHash(primary.meta.vary, request.headers);
    if (variance === undefined || varyMatchesNothing(primary.meta.vary)) return varyMiss(primary);
    if (cache.cacheVaryLookup(variance, primary.meta)) return found(primary);
    await primary.hit.finish();
    const variant = await cache.cacheLookup();
    if (!variant) {
      // Locked behind another request's download of this variant: it waits, offers nothing.
      if (cache.isCacheLocked()) return { kind: 'vary-miss' };
      const others = await this.#storedVariants(ctx, primary.meta);
      const preferred = await this.#preferredLanguage(ctx, others, primary.meta);
      return preferred ?? { kind: 'vary-miss', others };
    }
    if (variant.meta.variance !== variance) return varyMiss(variant);
    return found(variant);
  }

  /**
   * The URL's stored variants that stand now (none older than the primary slot), newest first;
   * the primary slot alone when the storage cannot list them or listing fails.
   */
  async #storedVariants({ cache }: RequestContext, primary: CacheMeta): Promise<StoredVariant[]> {
    const key = cache.cacheKey();
    const listed = await listStoredVariants(this.#deps.storage, key).catch((error: unknown) => {
      this.#deps.log('could not list the stored variants; offering the primary slot', error);
      return [{ key: withoutVariance(key), meta: primary }];
    });
    return liveVariants(listed, primary);
  }

  /**
   * No stored variant matches the request exactly, but one varies on `Accept-Language` alone
   * and is in the language the request prefers most (RFC 9111 §4.1 lets a cache select by the
   * field's semantics; see `prefersContentLanguage`): the newest such is selected. The request
   * would fetch the variant, so it hands its lock back and waiting requests look up again.
   */
  async #preferredLanguage(
    { cache, request }: RequestContext,
    others: readonly StoredVariant[],
    primary: CacheMeta,
  ): Promise<Lookup | null> {
    const acceptLanguage = request.headers.get('accept-language');
    const chosen = preferredLanguageVariant(others, acceptLanguage);
    if (chosen === undefined) return null;
    const again = await this.#deps.storage.lookup(chosen.key);
    if (again === null) return null;
    if (again.meta.created < primary.created || !inPreferredLanguage(again.meta, acceptLanguage)) {
      await again.hit.finish(); // replaced meanwhile
      return null;
    }
    if (cache.isCacheLockWriter()) cache.takeWriteLock().release(LockStatus.Done);
    return found(again);
  }

  /** RFC 9111 §4 with the request's directives; Fetch's cache modes on top. */
  #reuse(meta: CacheMeta, request: Request, background: boolean): ReuseDecision {
    const now = this.#deps.now();
    const decision = evaluateReuse(meta, request.headers, now);
    const onlyIfCached = decision.onlyIfCached || request.cache === 'only-if-cached';
    // A reload (Fetch's `no-cache` mode) reuses a fresh immutable response (RFC 8246 §2).
    const reload = request.cache === 'no-cache';
    if (!background && reload && reusableOnReload(meta, request.headers, now)) return decision;
    // A background revalidation and other reloads always ask the origin.
    if (background || reload) {
      const status = decision.status === HitStatus.Fresh ? HitStatus.ForceExpired : decision.status;
      return { action: 'revalidate', status, onlyIfCached: false };
    }
    // `force-cache` takes any stored response, fresh or stale (Fetch standard, HTTP-cache fetch).
    if (request.cache === 'force-cache' && decision.action === 'revalidate') {
      return { ...decision, action: 'use-stale', onlyIfCached };
    }
    return { ...decision, onlyIfCached };
  }

  /**
   * A hit (or an allowed stale hit): the stored response, a 304 or a range of it. `collapsed` labels every answer that follows another
   * request's download: one that waited on its lock, and one whose body is still being written
   * (the hit has no size yet), whenever it arrived.
   */
  async #serveHit(ctx: RequestContext, waited = false): Promise<Response> {
    const hit = ctx.cache.hitHandler();
    const following = hit.size === undefined;
    if (following) ctx.deps.writes?.follow(ctx.cache.cacheKey().primary);
    const status = {
      hit: true,
      collapsed: waited || following,
      detail: hit.source,
      key: debugKey(ctx),
    };
    return serveStored(ctx, status);
  }

  /**
   * Stale-while-revalidate: the page already has the stale response; this revalidates it with a
   * request of its own, whose body is drained into the store.
   */
  async #revalidateInBackground(request: Request, permit: WritePermit | undefined): Promise<void> {
    const background = new Request(request.url, {
      headers: request.headers,
      credentials: request.credentials,
    });
    const cache = new HttpCache();
    const pending: Promise<unknown>[] = [];
    try {
      const waitUntil: WaitUntil = (p) => pending.push(p);
      const ctx = { deps: this.#deps, cache, request: background, waitUntil };
      const response = await this.#run(ctx, { permit });
      await response.body?.cancel();
      await Promise.allSettled(pending);
    } catch (error) {
      if (cache.enabled()) cache.disable(NoCacheReason.InternalError);
      this.#deps.log('background revalidation failed', error);
    }
  }

  /**
   * Fetches the response and admits it. On a vary-miss with other variants stored, the request
   * offers their tags (see `variant-validation.ts`); a 304 that selects none of them is
   * followed by a plain request.
   */
  async #fetchAndAdmit(
    ctx: RequestContext,
    fwd: ForwardReason,
    others: readonly StoredVariant[] = [],
  ): Promise<Response> {
    const tagged = withVariantTags(ctx.request, others);
    let upstream = await askOriginOnce(ctx, upstreamRequest(ctx.request, tagged?.headers));
    if (tagged !== undefined) {
      const selected = await admitSelectedVariant(ctx, tagged.offered, upstream);
      if (selected !== null) return selected;
      if (upstream.response.status === 304) {
        await upstream.response.body?.cancel();
        upstream = await askOrigin(this.#deps, upstreamRequest(ctx.request));
      }
    }
    const hints = this.#deps.searchVariance;
    if (hints && ctx.request.method === 'GET' && upstream.response.ok) {
      // Only a hint: keyFor() checks that the entry exists and its No-Vary-Search applies.
      hints.record(ctx.cache.cacheKey().primary, headerListFrom(upstream.response.headers));
    }
    return admit(ctx, upstream, fwd);
  }

  async #forward(ctx: RequestContext, fwd: ForwardReason, detail?: string): Promise<Response> {
    const { response } = await askOriginOnce(ctx, upstreamRequest(ctx.request));
    return forwardedResponse(response, { fwd, fwdStatus: response.status, detail });
  }
}

function found(entry: LookupResult): Lookup {
  return { kind: 'found', entry };
}

/** An entry for another variant: release its body, then report the miss. */
async function varyMiss(other: LookupResult): Promise<Lookup> {
  await other.hit.finish();
  return { kind: 'vary-miss' };
}
