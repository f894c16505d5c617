/**
 * The two browser pieces the cross-context lock needs, as small interfaces: `navigator.locks`
 * and a `BroadcastChannel` fit them, and so do the in-memory fakes in `testing/`, which lets
 * the protocol run under Node.
 */

/** What a granted Web Lock carries (the DOM `Lock`). */
export interface WebLockLike {
  readonly name: string;
}

/** The `LockManager.request` options this package uses (exclusive mode only). */
export interface WebLockRequestOptions {
  /** Grant now or call back with `null`; never queue. */
  readonly ifAvailable?: boolean;
  /** Aborts a queued request: its promise rejects with the signal's reason (an `AbortError`). */
  readonly signal?: AbortSignal;
}

/**
 * The part of the Web Locks `LockManager` used here. The lock is held until the promise the
 * callback returns settles; the request's promise settles with it.
 */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: WebLockRequestOptions,
    callback: (lock: WebLockLike | null) => T,
  ): Promise<Awaited<T>>;
}

/** What a message listener receives (the DOM `MessageEvent`). */
export interface ChannelMessageEvent {
  readonly data: unknown;
}

/** The part of `BroadcastChannel` used here. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: ChannelMessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: ChannelMessageEvent) => void): void;
  close?(): void;
}
