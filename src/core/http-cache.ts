/**
 * The per-request cache state machine (pingora `HttpCache`). One object follows one request
 * through its phases: key → lookup → hit / miss / stale → store or revalidate. Every transition
 * checks the phase and throws {@link PhaseError} on a wrong one: that is a bug in the caller
 * (pingora panics), never a runtime condition to handle.
 *
 * Differences from pingora, all forced by JavaScript:
 * - The lock contract is async, so `cacheFound` (which locks a stale entry) returns a promise.
 *   Async transitions check the phase and make their phase change before their first `await`, so
 *   the phase always reflects the call order; a wrong phase rejects with `PhaseError`.
 * - There is no `Drop`: `disable()` aborts a pending miss handler, and a lock taken after the
 *   request was disabled is released at once, so no write permit is ever left dangling.
 */
import type { CacheKey } from './key.ts';
import { withVariance, withoutVariance } from './key.ts';
import type { CacheMeta, HeaderList } from './meta.ts';
import type { WritePermit } from './lock.ts';
import { LockStatus } from './lock.ts';
import type { HitHandler, LookupResult, MissHandler } from './storage.ts';
import type { CachePhase, HitStatus } from './phase.ts';
import { NoCacheReason, PhaseError, isFresh } from './phase.ts';
import type { HttpCacheOptions, RequestState } from './request-state.ts';
import { ignore, must, newRequestState } from './request-state.ts';
import { MaxFileSizeMissHandler } from './max-file-size.ts';
import { lockStatusOnDisable } from './lock-release.ts';
import { canServeStaleIfError } from './http/request-directives.ts';
import * as allowed from './phase-sets.ts';
import { phaseNamed as at } from './phase-sets.ts';

/** What {@link HttpCache.finishMissHandler} resolves with once the entry is stored. */
export interface FinishedMiss {
  /** The purge of the entries the admission evicted; settles (never rejects) when they are gone. */
  readonly evicting: Promise<void>;
}

const NOTHING_EVICTED: FinishedMiss = { evicting: Promise.resolve() };

export type { HttpCacheOptions } from './request-state.ts';

export class HttpCache {
  #phase: CachePhase = { name: 'disabled', reason: NoCacheReason.NeverEnabled };
  #inner: RequestState | undefined;

  phase(): CachePhase {
    return this.#phase;
  }

  /** Whether the cache takes part in this request (not disabled, not bypassed). */
  enabled(): boolean {
    return this.#phase.name !== 'disabled' && this.#phase.name !== 'bypass';
  }

  enable(options: HttpCacheOptions): void {
    if (this.#phase.name !== 'disabled') throw new PhaseError('enable', this.#phase);
    this.#phase = at('uninitialized');
    this.#inner = newRequestState(options);
  }

  /**
   * Stops caching for this request, in any phase. A held write permit is released with the
   * status `reason` implies (see {@link lockStatusOnDisable}); a write in progress is aborted.
   */
  disable(reason: NoCacheReason): void {
    const inner = this.#inner;
    if (inner !== undefined) {
      // Throws for a reason a writer cannot have, before anything changed.
      if (inner.lock.isWriter) inner.lock.releaseWrite(lockStatusOnDisable(reason));
      inner.lock.clearRead();
      const write = inner.missHandler;
      inner.missHandler = undefined;
      write?.abort(reason).catch(ignore);
    }
    this.#inner = undefined;
    this.#phase = { name: 'disabled', reason };
  }

  /** Decides, before any lookup, not to use the cache for this request. */
  bypass(): void {
    this.#expect('bypass', ['key']);
    this.#phase = at('bypass');
  }

  setCacheKey(key: CacheKey): void {
    this.#expect('setCacheKey', ['uninitialized', 'key']).key = key;
    this.#phase = at('key');
  }

  cacheKey(): CacheKey {
    return must(this.#expect('cacheKey', allowed.KEYED).key, 'cache key');
  }

  maxFileSizeBytes(): number | undefined {
    return this.#expect('maxFileSizeBytes', allowed.KEYED).maxFileSizeBytes;
  }

  /** Bodies larger than this (headers not counted) are not admitted to the cache. */
  setMaxFileSizeBytes(bytes: number): void {
    const inner = this.#expect('setMaxFileSizeBytes', allowed.ENABLED);
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new RangeError(`max file size must be a non-negative integer, got ${bytes}`);
    }
    inner.maxFileSizeBytes = bytes;
  }

  /**
   * Entries stored before `time` (ms since the epoch) are treated as absent: a deploy or a purge
   * by time (pingora `valid_after`). A later vary lookup only moves it forward.
   */
  setValidAfter(time: number): void {
    const inner = this.#expect('setValidAfter', ['uninitialized', 'key']);
    if (!Number.isFinite(time))
      throw new RangeError(`valid-after must be a finite time, got ${time}`);
    inner.validAfter = Math.max(inner.validAfter ?? -Infinity, time);
  }

  /**
   * Looks the key up. An entry created before `validAfter` is treated as absent. When nothing is
   * found, the lock is taken: see {@link isCacheLocked} / {@link isCacheLockWriter}; with
   * `lockOnMiss: false` it is not: the caller serves something that needs none, or looks up
   * again, locking (a miss is refused before: lookup, then lock, with no task boundary between,
   * as `docs/lock.md` explains). Allowed again in `stale` after waiting for a lock.
   */
  async cacheLookup({
    lockOnMiss = true,
  }: { lockOnMiss?: boolean } = {}): Promise<LookupResult | null> {
    const inner = this.#expect('cacheLookup', ['key', 'stale']);
    const key = must(inner.key, 'cache key');
    inner.lockDeferred = false;
    const found = await inner.storage.lookup(key);
    // Entries older than the tombstone were purged in spirit: treat them as absent.
    const tooOld =
      found !== null && inner.validAfter !== undefined && found.meta.created < inner.validAfter;
    if (tooOld) await found.hit.finish();
    const usable = tooOld ? null : found;
    if (usable !== null) return usable;
    if (lockOnMiss) await this.#lock(inner, key);
    else inner.lockDeferred = true;
    return null;
  }

  /**
   * Records what `cacheLookup` found: `hit` when fresh, `stale` otherwise. A stale entry takes
   * the lock (the returned promise settles once it is held); a hit counts as an eviction access.
   */
  async cacheFound(meta: CacheMeta, hit: HitHandler, status: HitStatus): Promise<void> {
    const inner = this.#expect('cacheFound', ['key', 'stale']);
    const key = must(inner.key, 'cache key');
    const fresh = isFresh(status);
    this.#phase = at(fresh ? 'hit' : 'stale');
    inner.meta = meta;
    this.#replaceBodyReader(inner, hit);
    inner.eviction?.access(key, hit.size ?? 0, meta.freshUntil);
    if (!fresh) await this.#lock(inner, key);
  }

  /** Nothing usable was found (or the caller will not use it): the response will be fetched. */
  cacheMiss(): void {
    const inner = this.#expect('cacheMiss', ['key', 'bypass', 'stale']);
    // A miss fetches: it must not skip the lock its lookup put off.
    if (inner.lockDeferred)
      throw new Error('HttpCache: cacheMiss() after a lookup that did not lock');
    this.#phase = at('miss');
  }

  hitHandler(): HitHandler {
    return must(
      this.#expect('hitHandler', allowed.WITH_HIT).bodyReader,
      'hit handler (already finished?)',
    );
  }

  /** Releases the hit handler once its body is read. Calling it again does nothing. */
  async finishHitHandler(): Promise<void> {
    const inner = this.#expect('finishHitHandler', [...allowed.WITH_HIT, ...allowed.ADMITTING]);
    const reader = inner.bodyReader;
    inner.bodyReader = undefined;
    await reader?.finish();
  }

  /**
   * Opens the storage write for the meta set by `setCacheMeta`, once per request. With a
   * maximum size the handler refuses bodies over it. With streaming partial writes the lock is
   * released as `Done` at once, so waiting requests follow the body as it lands; the stale body
   * an `expired` entry still held is released then. This request's page reads the body from the
   * network, so no reader of its own write is opened.
   */
  async setMissHandler(): Promise<void> {
    const inner = this.#expect('setMissHandler', allowed.ADMITTING);
    if (inner.missHandlerRequested)
      throw new Error('HttpCache: setMissHandler() was already called');
    const key = must(inner.key, 'cache key');
    const meta = must(inner.meta, 'cache meta (call setCacheMeta first)');
    inner.missHandlerRequested = true;
    const stored = await inner.storage.getMissHandler(key, meta);
    const handler =
      inner.maxFileSizeBytes === undefined
        ? stored
        : new MaxFileSizeMissHandler(stored, inner.maxFileSizeBytes);
    if (this.#inner !== inner) return handler.abort(this.#phase);
    inner.missHandler = handler;
    if (!inner.storage.supportsStreamingPartialWrite) return;
    inner.lock.releaseWrite(LockStatus.Done);
    const stale = inner.bodyReader;
    inner.bodyReader = undefined;
    await stale?.finish();
  }

  /** The handler that writes the body, or `undefined` before `setMissHandler` or after finishing. */
  missHandler(): MissHandler | undefined {
    return this.#expect('missHandler', allowed.ADMITTING).missHandler;
  }

  /**
   * Completes the write, releases the lock as `Done` and admits the entry to eviction. Resolves
   * once the entry is stored, with `evicting`: the purge of whatever eviction gave back, still
   * running. The page need not wait for other entries to go; the caller keeps the worker alive
   * until `evicting` settles (it never rejects). Calling it again does nothing.
   */
  async finishMissHandler(): Promise<FinishedMiss> {
    const inner = this.#expect('finishMissHandler', allowed.ADMITTING);
    const handler = inner.missHandler;
    if (handler === undefined) return NOTHING_EVICTED;
    inner.missHandler = undefined;
    const size = await handler.finish();
    inner.lock.releaseWrite(LockStatus.Done);
    if (inner.eviction === undefined) return NOTHING_EVICTED;
    const key = must(inner.key, 'cache key');
    const evicted = inner.eviction.admit(key, size, must(inner.meta, 'cache meta').freshUntil);
    if (evicted.length === 0) return NOTHING_EVICTED;
    const { storage } = inner;
    const evicting = (async () => {
      for (const victim of evicted) {
        // Like pingora, a failed eviction purge does not fail this request's store.
        await storage.purge(victim, 'eviction').catch(ignore);
      }
    })();
    return { evicting };
  }

  /** Sets the meta of the response to store; a stale entry becomes `expired` (being replaced). */
  setCacheMeta(meta: CacheMeta): void {
    const inner = this.#expect('setCacheMeta', ['stale', 'miss']);
    inner.meta = meta;
    if (this.#phase.name === 'stale') this.#phase = at('expired');
  }

  /**
   * Stores the meta of a successful revalidation, keeping the entry's original `created`.
   * Resolves with `storage.updateMeta`'s result. Unlike pingora, the lock is released as `Done`
   * only after storage has the new meta, so woken readers never find the stale one.
   */
  async revalidateCacheMeta(meta: CacheMeta): Promise<boolean> {
    const inner = this.#expect('revalidateCacheMeta', ['stale']);
    const key = must(inner.key, 'cache key');
    const revalidated = { ...meta, created: must(inner.meta, 'cache meta').created };
    inner.meta = revalidated;
    this.#phase = at('revalidated');
    const updated = await inner.storage.updateMeta(key, revalidated);
    inner.lock.releaseWrite(LockStatus.Done);
    return updated;
  }

  /**
   * The 304 made the entry uncacheable: serve it with `headers`, do not refresh it. Unlike
   * pingora (whose permit is released when dropped), a held write lock is released as
   * {@link disable} would release it for `reason`.
   */
  revalidateUncacheable(headers: HeaderList, reason: NoCacheReason): void {
    const inner = this.#expect('revalidateUncacheable', ['stale']);
    if (inner.lock.isWriter) inner.lock.releaseWrite(lockStatusOnDisable(reason));
    inner.meta = { ...must(inner.meta, 'cache meta'), headers };
    this.#phase = { name: 'revalidated-nocache', reason };
  }

  /** The stale entry is served while another request revalidates it. */
  setStaleUpdating(): void {
    this.#expect('setStaleUpdating', ['stale']);
    this.#phase = at('stale-updating');
  }

  /**
   * Sets the variance of the response being stored (`undefined`: it does not vary). When it
   * differs from the variance the key was looked up with, the entry takes over the primary slot,
   * which invalidates the variants stored under the old `Vary`; the lock taken on the secondary
   * key is released as `Done` so it does not dangle.
   */
  updateVariance(variance: string | undefined): void {
    const inner = this.#expect('updateVariance', allowed.ADMITTING);
    const { variance: _previous, ...meta } = must(inner.meta, 'cache meta');
    inner.meta = variance === undefined ? meta : { ...meta, variance };
    const key = must(inner.key, 'cache key');
    if (key.variance !== undefined && key.variance !== variance) {
      inner.lock.releaseWrite(LockStatus.Done);
      inner.key = withoutVariance(key);
    }
  }

  cacheMeta(): CacheMeta {
    return must(this.#expect('cacheMeta', allowed.WITH_META).meta, 'cache meta');
  }

  /**
   * After a lookup found `meta` for a response that varies: sets the request's `variance` on the
   * key and returns whether `meta` is that variant (otherwise look up again). Variants created
   * before `meta` are ignored from now on: the primary slot's `created` is the tombstone of all
   * its variants. A match on the first lookup is the primary slot itself, so the key drops the
   * variance again.
   */
  cacheVaryLookup(variance: string, meta: CacheMeta): boolean {
    const inner = this.#expect('cacheVaryLookup', ['key']);
    const key = must(inner.key, 'cache key');
    inner.validAfter = meta.created;
    const matches = meta.variance === variance;
    const initialHit = key.variance === undefined;
    inner.key = matches && initialHit ? withoutVariance(key) : withVariance(key, variance);
    return matches;
  }

  /** Whether this request waits for another one that fetches the entry. */
  isCacheLocked(): boolean {
    return this.#expect('isCacheLocked', allowed.ENABLED).lock.isReader;
  }

  /** Whether this request fetches the entry for itself and the requests waiting on it. */
  isCacheLockWriter(): boolean {
    return this.#expect('isCacheLockWriter', allowed.ENABLED).lock.isWriter;
  }

  /** Hands the write permit over (to a background revalidation, for instance). */
  takeWriteLock(): WritePermit {
    return this.#expect('takeWriteLock', allowed.ENABLED).lock.takeWrite();
  }

  /** Adopts a write permit, usually one from {@link takeWriteLock}. */
  setWriteLock(permit: WritePermit): void {
    this.#expect('setWriteLock', allowed.ENABLED).lock.setWrite(permit);
  }

  /** Whether the stale entry may be served because the origin failed (RFC 5861). */
  canServeStaleError(): boolean {
    const inner = this.#inner;
    if (inner === undefined || !allowed.STALE.includes(this.#phase.name)) return false;
    return canServeStaleIfError(must(inner.meta, 'cache meta'), inner.clock());
  }

  /** Waits for the writer this request is locked behind; check {@link isCacheLocked} first. */
  async cacheLockWait(): Promise<LockStatus> {
    const inner = this.#expect('cacheLockWait', allowed.ENABLED);
    return inner.lock.takeRead().wait();
  }

  /** Removes the entry for the key from storage (and eviction); `true` when it existed. */
  async purge(): Promise<boolean> {
    const inner = this.#expect('purge', ['key']);
    const key = must(inner.key, 'cache key');
    inner.eviction?.remove(key);
    return inner.storage.purge(key, 'invalidation');
  }

  /** The predictor's guess; `true` without a predictor. */
  cacheablePrediction(): boolean {
    const inner = this.#expect('cacheablePrediction', allowed.KEYED);
    return inner.predictor?.cacheablePrediction(must(inner.key, 'cache key')) ?? true;
  }

  /** Tells the predictor that a response predicted uncacheable turned out cacheable. */
  responseBecameCacheable(): void {
    const inner = this.#expect('responseBecameCacheable', allowed.KEYED);
    inner.predictor?.markCacheable(must(inner.key, 'cache key'));
  }

  /** Tells the predictor that the response is uncacheable, for the next request of the URL. */
  responseBecameUncacheable(reason: NoCacheReason): void {
    const inner = this.#expect('responseBecameUncacheable', allowed.KEYED);
    inner.predictor?.markUncacheable(must(inner.key, 'cache key'), reason);
  }

  #expect(operation: string, phases: allowed.Phases): RequestState {
    const inner = this.#inner;
    if (inner === undefined || !phases.includes(this.#phase.name)) {
      throw new PhaseError(operation, this.#phase);
    }
    return inner;
  }

  /** Locks the key; a permit granted after this request was disabled is released at once. */
  #lock(inner: RequestState, key: CacheKey): Promise<void> {
    return inner.lock.acquire(key, () => this.#inner === inner);
  }

  #replaceBodyReader(inner: RequestState, next: HitHandler): void {
    const previous = inner.bodyReader;
    inner.bodyReader = next;
    if (previous !== undefined && previous !== next) previous.finish().catch(ignore);
  }
}
