/**
 * Tells readers in other contexts that an IndexedDB write moved on: after each chunk transaction
 * commits, the writer posts `{ bodyId, seq }` (`seq`: chunks stored so far) on the
 * `<name>:writes` BroadcastChannel, `done` once the entry is complete, `aborted` when the write
 * is dropped. A message is only a hint to look at IndexedDB again: readers also poll, so a lost
 * message (or no channel at all) only slows them down.
 */
import type { ChannelLike } from '../../core/platform.ts';

/** One step of a write, as posted on the channel. */
export interface WriteMessage {
  readonly bodyId: string;
  /** Chunks of the body stored so far. */
  readonly seq: number;
  /** The entry is complete (its meta flipped). */
  readonly done?: boolean;
  /** The write was dropped: its readers must fail. */
  readonly aborted?: boolean;
}

/** The channel name for the writes of database `name`. */
export function writesChannelName(name: string): string {
  return `${name}:writes`;
}

/** `data` as a {@link WriteMessage}, or `null` when it is not a well-formed one. */
export function parseWriteMessage(data: unknown): WriteMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const { bodyId, seq, done, aborted } = data as Record<string, unknown>;
  if (typeof bodyId !== 'string' || bodyId.length === 0 || bodyId.length > 128) return null;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return null;
  if (done !== undefined && typeof done !== 'boolean') return null;
  if (aborted !== undefined && typeof aborted !== 'boolean') return null;
  return { bodyId, seq, ...(done === true && { done }), ...(aborted === true && { aborted }) };
}

type Watcher = (message: WriteMessage) => void;

/** Posts this context's write steps and dispatches other contexts' steps to their readers. */
export class WriteNotifier {
  readonly #channel: ChannelLike | undefined;
  readonly #watchers = new Map<string, Set<Watcher>>();
  readonly #onMessage = (event: { readonly data: unknown }): void => {
    const message = parseWriteMessage(event.data);
    if (message === null) return;
    for (const watcher of this.#watchers.get(message.bodyId) ?? []) watcher(message);
  };

  /** Without a channel, posting does nothing and watchers are never called (readers poll). */
  constructor(channel?: ChannelLike) {
    this.#channel = channel;
  }

  /** Posts `message`; a closed or failing channel is ignored (readers poll). */
  post(message: WriteMessage): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // Readers in other contexts fall back to polling.
    }
  }

  /** Calls `watcher` with each valid message about `bodyId` until the returned function is called. */
  watch(bodyId: string, watcher: Watcher): () => void {
    const channel = this.#channel;
    if (channel === undefined) return () => undefined;
    if (this.#watchers.size === 0) channel.addEventListener('message', this.#onMessage);
    const set = this.#watchers.get(bodyId) ?? new Set<Watcher>();
    set.add(watcher);
    this.#watchers.set(bodyId, set);
    return () => {
      set.delete(watcher);
      if (set.size === 0 && this.#watchers.get(bodyId) === set) this.#watchers.delete(bodyId);
      if (this.#watchers.size === 0) channel.removeEventListener('message', this.#onMessage);
    };
  }
}
