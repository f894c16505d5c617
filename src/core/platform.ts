/**
 * The two browser pieces that coordinate contexts (the cross-context cache lock in `src/lock/`,
 * the IndexedDB writes other contexts follow and the cache events in `src/storage/`), as small
 * interfaces declared once. The browser's lock manager and broadcast channels fit them (the
 * worker passes them in; nothing here touches a global), and so do the in-memory fakes of the
 * tests, which lets all of it run under Node. Here in `core` because both folders use them and
 * `core` is the one they share.
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
  /** The locks held in the origin (`LockManager.query`): a writer's liveness is its lock. */
  query(): Promise<LockManagerSnapshotLike>;
}

/** The part of the DOM `LockManagerSnapshot` used here. */
export interface LockManagerSnapshotLike {
  readonly held?: readonly { readonly name?: string }[];
}

/** What a message listener receives (the DOM `MessageEvent`). */
export interface ChannelMessageEvent {
  readonly data: unknown;
}

/** The part of a broadcast channel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: ChannelMessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: ChannelMessageEvent) => void): void;
  close?(): void;
}

/**
 * A channel that `open` opens when it is first posted on or listened to. Nothing is lost by
 * waiting: a channel hears only what is posted while it listens. (Opening the platform's channel
 * costs a just-started worker about a millisecond.)
 */
export function openedOnFirstUse(open: () => ChannelLike): ChannelLike {
  let channel: ChannelLike | undefined;
  return {
    postMessage: (message) => (channel ??= open()).postMessage(message),
    addEventListener: (type, listener) => (channel ??= open()).addEventListener(type, listener),
    removeEventListener: (type, listener) => channel?.removeEventListener(type, listener),
    close: () => channel?.close?.(),
  };
}
