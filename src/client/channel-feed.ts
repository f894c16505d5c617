/**
 * Messages from the worker for the page, on a `BroadcastChannel`: one channel per feed, shared by
 * every subscriber, opened on the first subscription and closed after the last. Any same-origin
 * script can post on a channel, so each message is validated by the feed's parser and malformed
 * ones are dropped. Two feeds: the cache's change events and, on request, per-request outcomes.
 */
import { eventChannelName, parseCacheEvent, type CacheEvent } from '../protocol/events.ts';

export type Listener<T> = (message: T) => void;

export class ChannelFeed<T> {
  #channel: BroadcastChannel | undefined;
  readonly #listeners = new Set<Listener<T>>();

  constructor(
    private readonly channelName: string,
    private readonly parse: (data: unknown) => T | null,
    /** Called when the first listener arrives and when the last one leaves. */
    private readonly onActive: (active: boolean) => void = () => {},
  ) {}

  /** Calls `listener` for every valid message; returns the function that stops it. */
  subscribe(listener: Listener<T>): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError('sw-http-cache: subscribe() expects a function');
    }
    // Wrap so the same function subscribed twice is two subscriptions, each undone once.
    const entry: Listener<T> = (message) => listener(message);
    this.#listeners.add(entry);
    this.#open();
    return () => {
      this.#listeners.delete(entry);
      if (this.#listeners.size === 0) this.close();
    };
  }

  close(): void {
    this.#listeners.clear();
    if (!this.#channel) return;
    this.#channel.close();
    this.#channel = undefined;
    this.onActive(false);
  }

  #open(): void {
    if (this.#channel) return;
    this.#channel = new BroadcastChannel(this.channelName);
    this.#channel.onmessage = (message: MessageEvent) => {
      const parsed = this.parse(message.data);
      if (parsed === null) return;
      for (const listener of [...this.#listeners]) {
        try {
          listener(parsed);
        } catch (error) {
          // One broken listener must not starve the others.
          reportError(error);
        }
      }
    };
    this.onActive(true);
  }
}

/** The cache's change events (`stored`, `updated`, `evicted`, `purged`, `cleared`). */
export function cacheEventFeed(name: string): ChannelFeed<CacheEvent> {
  return new ChannelFeed(eventChannelName(name), parseCacheEvent);
}
