/**
 * An in-memory Web Locks `LockManager` for tests, shared by several simulated contexts, with
 * the behaviour of the specification for exclusive locks: requests for a name are granted in
 * order, one holder at a time; the callback runs asynchronously and the lock is held until the
 * promise it returns settles (the request's promise settles with it); `ifAvailable` calls back
 * with `null` instead of queueing; a `signal` aborts a queued request (rejecting with the
 * signal's reason, an `AbortError` by default) and is ignored once the lock is granted.
 * `context.kill()` simulates a context's death: the browser frees its locks and forgets its
 * queued requests.
 */
import type {
  LockManagerLike,
  LockManagerSnapshotLike,
  WebLockLike,
  WebLockRequestOptions,
} from '../../core/platform.ts';

type Callback = (lock: WebLockLike | null) => unknown;

interface Request {
  readonly name: string;
  readonly context: FakeLockContext;
  readonly callback: Callback;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** Options accepted by the fake: the spec's, of which only exclusive mode is implemented. */
export interface FakeLockRequestOptions extends WebLockRequestOptions {
  readonly mode?: 'exclusive' | 'shared';
  readonly steal?: boolean;
}

/** One request as a context made it, for assertions on Web Locks traffic. */
export interface RecordedRequest {
  readonly name: string;
  readonly ifAvailable: boolean;
}

export class FakeLockManager {
  readonly #held = new Map<string, Request>();
  readonly #queues = new Map<string, Request[]>();
  #contexts = 0;

  /** A new context (a worker or a page) with its own view of the shared lock manager. */
  context(id = `context-${++this.#contexts}`): FakeLockContext {
    return new FakeLockContext(id, this);
  }

  /** The id of the context holding `name`, if any. */
  holder(name: string): string | undefined {
    return this.#held.get(name)?.context.id;
  }

  /** The names of the locks held now. */
  heldNames(): string[] {
    return [...this.#held.keys()];
  }

  /** Number of requests queued for `name`. */
  queued(name: string): number {
    return this.#queues.get(name)?.length ?? 0;
  }

  /** @internal Used by {@link FakeLockContext.request}. */
  request(
    context: FakeLockContext,
    name: string,
    options: FakeLockRequestOptions,
    callback: Callback,
  ): Promise<unknown> {
    const problem = unsupported(name, options);
    if (problem !== undefined) return Promise.reject(problem);
    // The reason is an AbortError DOMException unless the caller chose another one.
    if (options.signal?.aborted) return Promise.reject(options.signal.reason as DOMException);
    return new Promise((resolve, reject) => {
      const request: Request = {
        name,
        context,
        callback,
        resolve,
        reject,
        signal: options.signal,
        onAbort: () => this.#abort(request),
      };
      if (this.#grantable(name)) return this.#grant(request);
      if (options.ifAvailable === true) return this.#run(request, null);
      request.signal?.addEventListener('abort', request.onAbort, { once: true });
      this.#queue(name).push(request);
    });
  }

  /** @internal Used by {@link FakeLockContext.kill}. */
  kill(context: FakeLockContext): void {
    for (const [name, queue] of this.#queues) {
      for (const request of queue.filter((queued) => queued.context === context)) {
        request.signal?.removeEventListener('abort', request.onAbort);
      }
      this.#queues.set(
        name,
        queue.filter((queued) => queued.context !== context),
      );
    }
    for (const holder of [...this.#held.values()]) {
      if (holder.context === context) this.#release(holder);
    }
  }

  #grantable(name: string): boolean {
    return !this.#held.has(name) && this.queued(name) === 0;
  }

  #queue(name: string): Request[] {
    let queue = this.#queues.get(name);
    if (queue === undefined) this.#queues.set(name, (queue = []));
    return queue;
  }

  #grant(request: Request): void {
    this.#held.set(request.name, request);
    this.#run(request, { name: request.name });
  }

  /** Runs the callback in a later microtask, like the lock task queue, and settles the request. */
  #run(request: Request, lock: WebLockLike | null): void {
    queueMicrotask(() => {
      if (!request.context.alive) return;
      let result: unknown;
      try {
        result = request.callback(lock);
      } catch (error) {
        this.#release(request);
        request.reject(error);
        return;
      }
      Promise.resolve(result).then(
        (value) => {
          this.#release(request);
          request.resolve(value);
        },
        (error: unknown) => {
          this.#release(request);
          request.reject(error);
        },
      );
    });
  }

  #release(request: Request): void {
    if (this.#held.get(request.name) !== request) return;
    this.#held.delete(request.name);
    this.#grantNext(request.name);
  }

  #grantNext(name: string): void {
    if (this.#held.has(name)) return;
    const next = this.#queues.get(name)?.shift();
    if (next === undefined) return;
    next.signal?.removeEventListener('abort', next.onAbort);
    this.#grant(next);
  }

  #abort(request: Request): void {
    const queue = this.#queues.get(request.name) ?? [];
    const index = queue.indexOf(request);
    if (index === -1) return; // granted already: the abort has no effect
    queue.splice(index, 1);
    request.reject(request.signal?.reason);
  }
}

/** One context's `navigator.locks`. */
export class FakeLockContext implements LockManagerLike {
  alive = true;
  readonly requests: RecordedRequest[] = [];

  constructor(
    readonly id: string,
    private readonly manager: FakeLockManager,
  ) {}

  request<T>(
    name: string,
    options: FakeLockRequestOptions,
    callback: (lock: WebLockLike | null) => T,
  ): Promise<Awaited<T>> {
    if (!this.alive) {
      return Promise.reject(new DOMException('the context is gone', 'InvalidStateError'));
    }
    this.requests.push({ name, ifAvailable: options.ifAvailable === true });
    return this.manager.request(this, name, options, callback) as Promise<Awaited<T>>;
  }

  query(): Promise<LockManagerSnapshotLike> {
    return Promise.resolve({ held: this.manager.heldNames().map((name) => ({ name })) });
  }

  /** The context dies: its locks are freed, its queued requests forgotten, its callbacks never run. */
  kill(): void {
    this.alive = false;
    this.manager.kill(this);
  }
}

function unsupported(name: string, options: FakeLockRequestOptions): DOMException | undefined {
  if (name.startsWith('-')) return new DOMException('reserved lock name', 'NotSupportedError');
  if (options.ifAvailable === true && options.signal !== undefined) {
    return new DOMException('ifAvailable and signal together', 'NotSupportedError');
  }
  if (options.mode === 'shared' || options.steal === true) {
    return new DOMException('the fake implements exclusive locks only', 'NotSupportedError');
  }
  return undefined;
}
