/**
 * The fetch flow: the only place that turns a request into calls on `HttpCache`, in the order
 * of pingora's proxy: request filter → key → predictor → lookup → Vary → freshness → hit,
 * stale-while-revalidate, revalidation or miss → response filter → admission. Each step is one
 * small method; storing a body is in `admission.ts`.
 */
import { HttpCache } from '../core/http-cache.ts';
import {
  evaluateReuse,
  varianceHash,
  varyMatchesNothing,
  type ReuseDecision,
} from '../core/http/index.ts';
import { normalizeUrl, type CacheKey } from '../core/key.ts';
import type { CacheMeta } from '../core/meta.ts';
import { HitStatus, NoCacheReason } from '../core/phase.ts';
import { LockStatus, type WritePermit } from '../core/lock.ts';
import type { LookupResult } from '../core/storage.ts';
import { admit } from './admission.ts';
import { handleUnsafe } from './invalidation.ts';
import { ownCacheStatus, type ForwardReason } from './cache-status.ts';
import type { FlowDeps } from './flow-deps.ts';
import { forwardedResponse, gatewayTimeout } from './respond.ts';
import { revalidate } from './revalidation.ts';
import { debugKey, serveStored } from './serve-stored.ts';
import { askOrigin, UpstreamError, upstreamRequest } from './upstream.ts';

/** Keeps background work (storing a body, a revalidation) alive: `FetchEvent.waitUntil`. */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** A stale-while-revalidate refresh, with the write permit of the request that served stale. */
interface BackgroundRevalidation {
  readonly permit: WritePermit | undefined;
}

/** How often a reader competes again after its writer failed (pingora retries twice). */
const MAX_LOCK_RETRIES = 2;

export class FetchFlow {
  constructor(private readonly deps: FlowDeps) {}

  /** Answers a GET or HEAD request through the cache. Never rejects because of the cache. */
  async handle(request: Request, waitUntil: WaitUntil): Promise<Response> {
    const cache = new HttpCache();
    const response = await this.answer(cache, request, waitUntil);
    this.deps.record?.({
      url: request.url,
      method: request.method,
      phase: cache.phase().name,
      status: response.status,
      cacheStatus:
        response.type === 'error' ? null : ownCacheStatus(response.headers.get('cache-status')),
      time: this.deps.now(),
    });
    return response;
  }

  private async answer(
    cache: HttpCache,
    request: Request,
    waitUntil: WaitUntil,
  ): Promise<Response> {
    try {
      return await this.run(cache, request, waitUntil, undefined);
    } catch (error) {
      if (cache.enabled()) cache.disable(NoCacheReason.InternalError);
      // The origin is down and nothing stored may stand in: the network error the page would
      // get without the worker.
      if (error instanceof UpstreamError) return Response.error();
      // A bug or a storage failure must not cost the page its response: go to the network.
      this.deps.log('cache failed, answering from the network', error);
      try {
        const { response } = await askOrigin(this.deps, upstreamRequest(request));
        return forwardedResponse(response, { fwd: 'miss', detail: NoCacheReason.InternalError });
      } catch {
        return Response.error();
      }
    }
  }

  /** An unsafe request: to the origin, then invalidation (see `invalidation.ts`). */
  handleUnsafe(request: Request): Promise<Response> {
    return handleUnsafe(this.deps, request);
  }

  private async run(
    cache: HttpCache,
    request: Request,
    waitUntil: WaitUntil,
    background: BackgroundRevalidation | undefined,
  ): Promise<Response> {
    if (request.cache === 'no-store') return this.forward(request, 'request');

    this.enable(cache, request);
    if (background?.permit) cache.setWriteLock(background.permit);
    if (!cache.cacheablePrediction()) {
      cache.bypass();
      return this.forward(request, 'bypass', 'predicted-uncacheable');
    }
    if (request.cache === 'reload') {
      cache.cacheMiss();
      return this.fetchAndAdmit(cache, request, waitUntil, 'request');
    }

    // pingora's proxy loop: a request locked behind another one's download waits for it, then
    // looks up again (and follows the body as it is written).
    let collapsed = false;
    for (let retries = 0; ;) {
      const found = await this.lookup(cache, request);
      if (found) {
        const decision = this.reuse(found.meta, request, background !== undefined);
        await cache.cacheFound(found.meta, found.hit, decision.status);
        const action = decision.action;
        if (
          action === 'use' ||
          action === 'use-stale' ||
          (action === 'revalidate' && decision.onlyIfCached)
        ) {
          return this.serveHit(cache, request, collapsed);
        }
        if (action === 'use-stale-and-revalidate')
          return this.serveWhileRevalidating(cache, request, waitUntil);
        if (!cache.isCacheLocked())
          return revalidate(this.deps, cache, request, found.meta, waitUntil);
      } else {
        if (request.cache === 'only-if-cached') {
          cache.disable(NoCacheReason.Deferred);
          return gatewayTimeout({ fwd: 'uri-miss', detail: 'only-if-cached' });
        }
        if (!cache.isCacheLocked()) {
          cache.cacheMiss();
          return this.fetchAndAdmit(
            cache,
            request,
            waitUntil,
            found === null ? 'uri-miss' : 'vary-miss',
          );
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
      cache.disable(reason);
      return this.forward(request, 'miss', reason);
    }
  }

  /**
   * Stale-while-revalidate (RFC 5861 §3): serve the stale entry now. The request holding the
   * write permit hands it to a background revalidation; the others just serve stale.
   */
  private async serveWhileRevalidating(
    cache: HttpCache,
    request: Request,
    waitUntil: WaitUntil,
  ): Promise<Response> {
    const locked = cache.isCacheLocked();
    const permit = cache.isCacheLockWriter() ? cache.takeWriteLock() : undefined;
    cache.setStaleUpdating();
    if (!locked) waitUntil(this.revalidateInBackground(request, permit));
    return this.serveHit(cache, request, locked);
  }

  private enable(cache: HttpCache, request: Request): void {
    const { storage, eviction, predictor, lock, options, now } = this.deps;
    cache.enable({ storage, eviction, predictor, lock, clock: now });
    cache.setCacheKey(this.keyFor(request));
    if (options.validAfter !== undefined) cache.setValidAfter(options.validAfter);
    cache.setMaxFileSizeBytes(options.maxBodySize);
  }

  private keyFor(request: Request): CacheKey {
    return { namespace: this.deps.options.namespace, primary: normalizeUrl(request.url) };
  }

  /**
   * Looks the key up, then follows `Vary` (pingora `cache_vary_lookup`): when the primary slot's
   * response varies on headers this request does not match, look up this request's variant.
   * Returns the usable entry, `null` when nothing is stored, `false` when only other variants are.
   */
  private async lookup(cache: HttpCache, request: Request): Promise<LookupResult | null | false> {
    const { variance: known } = cache.cacheKey();
    const primary = await cache.cacheLookup();
    if (!primary) return known === undefined ? null : false;
    if (primary.meta.vary.length === 0) return primary;
    if (known !== undefined) {
      // Looking up again after waiting for a lock: the key already names this request's variant.
      if (primary.meta.variance === known) return primary;
      await primary.hit.finish();
      return false;
    }

    const variance = varianceHash(primary.meta.vary, request.headers);
    if (variance === undefined || varyMatchesNothing(primary.meta.vary)) {
      await primary.hit.finish();
      return false;
    }
    if (cache.cacheVaryLookup(variance, primary.meta)) return primary;
    await primary.hit.finish();
    const variant = await cache.cacheLookup();
    if (!variant) return false;
    if (variant.meta.variance !== variance) {
      await variant.hit.finish();
      return false;
    }
    return variant;
  }

  /** RFC 9111 §4 with the request's directives; Fetch's cache modes on top. */
  private reuse(meta: CacheMeta, request: Request, background: boolean): ReuseDecision {
    const decision = evaluateReuse(meta, request.headers, this.deps.now());
    const onlyIfCached = decision.onlyIfCached || request.cache === 'only-if-cached';
    // A background revalidation and Fetch's `no-cache` mode always ask the origin.
    if (background || request.cache === 'no-cache') {
      const status = decision.status === HitStatus.Fresh ? HitStatus.ForceExpired : decision.status;
      return { action: 'revalidate', status, onlyIfCached: false };
    }
    // `force-cache` takes any stored response, fresh or stale (Fetch standard, HTTP-cache fetch).
    if (request.cache === 'force-cache' && decision.action === 'revalidate') {
      return { ...decision, action: 'use-stale', onlyIfCached };
    }
    return { ...decision, onlyIfCached };
  }

  /** A hit (or an allowed stale hit): the stored response, a 304 or a range of it. */
  private async serveHit(cache: HttpCache, request: Request, collapsed = false): Promise<Response> {
    const status = {
      hit: true,
      collapsed,
      detail: cache.hitHandler().source,
      key: debugKey(this.deps, cache),
    };
    return serveStored(this.deps, cache, request, status);
  }

  /**
   * Stale-while-revalidate: the page already has the stale response; this revalidates it with a
   * request of its own, whose body is drained into the store.
   */
  private async revalidateInBackground(
    request: Request,
    permit: WritePermit | undefined,
  ): Promise<void> {
    const background = new Request(request.url, {
      headers: request.headers,
      credentials: request.credentials,
    });
    const cache = new HttpCache();
    const pending: Promise<unknown>[] = [];
    try {
      const response = await this.run(cache, background, (p) => pending.push(p), { permit });
      await response.body?.cancel();
      await Promise.allSettled(pending);
    } catch (error) {
      if (cache.enabled()) cache.disable(NoCacheReason.InternalError);
      this.deps.log('background revalidation failed', error);
    }
  }

  private async fetchAndAdmit(
    cache: HttpCache,
    request: Request,
    waitUntil: WaitUntil,
    fwd: ForwardReason,
  ): Promise<Response> {
    const upstream = await askOrigin(this.deps, upstreamRequest(request));
    return admit(this.deps, cache, request, upstream, waitUntil, fwd);
  }

  private async forward(request: Request, fwd: ForwardReason, detail?: string): Promise<Response> {
    const { response } = await askOrigin(this.deps, upstreamRequest(request));
    return forwardedResponse(response, { fwd, fwdStatus: response.status, detail });
  }
}
