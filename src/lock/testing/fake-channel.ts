/**
 * An in-memory BroadcastChannel for tests: a message posted on one channel of a hub reaches
 * every other open channel of the hub (never the sender), as a structured clone, asynchronously.
 */
import type { ChannelLike, ChannelMessageEvent } from '../../core/platform.ts';

type Listener = (event: ChannelMessageEvent) => void;

export class FakeChannelHub {
  readonly #channels = new Set<FakeChannel>();

  /** A new channel on this hub, like `new BroadcastChannel(name)` in another context. */
  channel(): FakeChannel {
    const channel = new FakeChannel(this.#channels);
    this.#channels.add(channel);
    return channel;
  }
}

export class FakeChannel implements ChannelLike {
  readonly #listeners = new Set<Listener>();
  #closed = false;

  constructor(private readonly peers: Set<FakeChannel>) {}

  get closed(): boolean {
    return this.#closed;
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  postMessage(message: unknown): void {
    if (this.#closed) throw new DOMException('the channel is closed', 'InvalidStateError');
    const data = structuredClone(message);
    for (const peer of this.peers) {
      if (peer !== this) queueMicrotask(() => peer.#dispatch(data));
    }
  }

  addEventListener(_type: 'message', listener: Listener): void {
    this.#listeners.add(listener);
  }

  removeEventListener(_type: 'message', listener: Listener): void {
    this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    this.peers.delete(this);
  }

  #dispatch(data: unknown): void {
    if (this.#closed) return;
    for (const listener of this.#listeners) listener({ data });
  }
}
