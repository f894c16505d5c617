/**
 * The cache's change events for the page: one `BroadcastChannel` shared by every subscriber,
 * opened on the first subscription and closed after the last. Any same-origin script can post on
 * the channel, so each message is validated with `parseCacheEvent` and malformed ones dropped.
 */
import { eventChannelName, parseCacheEvent, type CacheEvent } from '../protocol/events.ts';

export type CacheEventListener = (event: CacheEvent) => void;

export class CacheEventFeed {
  #channel: BroadcastChannel | undefined;
  readonly #listeners = new Set<CacheEventListener>();

  constructor(private readonly name: string) {}

  /** Calls `listener` for every valid event; returns the function that stops it. */
  subscribe(listener: CacheEventListener): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError('sw-http-cache: subscribe() expects a function');
    }
    // Wrap so the same function subscribed twice is two subscriptions, each undone once.
    const entry: CacheEventListener = (event) => listener(event);
    this.#listeners.add(entry);
    this.#open();
    return () => {
      this.#listeners.delete(entry);
      if (this.#listeners.size === 0) this.close();
    };
  }

  close(): void {
    this.#listeners.clear();
    this.#channel?.close();
    this.#channel = undefined;
  }

  #open(): void {
    if (this.#channel) return;
    this.#channel = new BroadcastChannel(eventChannelName(this.name));
    this.#channel.onmessage = (message: MessageEvent) => {
      const event = parseCacheEvent(message.data);
      if (event === null) return;
      for (const listener of [...this.#listeners]) {
        try {
          listener(event);
        } catch (error) {
          // One broken listener must not starve the others.
          reportError(error);
        }
      }
    };
  }
}
