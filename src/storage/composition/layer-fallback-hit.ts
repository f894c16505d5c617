/**
 * A reader of a write in progress in memory that switches to the same write in IndexedDB when the
 * memory copy fails part way (typically: a body of unknown length grew past the memory layer's
 * per-body limit, so memory dropped its copy while IndexedDB kept writing). The switch resumes at
 * the byte where memory stopped, so the page sees one whole body, never a gap or a repeat.
 */
import type { HitHandler } from '../../core/storage.ts';

/** Opens the same write in the other layer, starting at byte `offset`; `null` if it is gone. */
export type SwitchLayer = (offset: number) => HitHandler | null;

export class LayerFallbackHitHandler implements HitHandler {
  readonly canSeek = false;
  #current: HitHandler;
  #switch: SwitchLayer | undefined;
  #delivered = 0;

  constructor(primary: HitHandler, switchLayer: SwitchLayer) {
    this.#current = primary;
    this.#switch = switchLayer;
  }

  get source(): string {
    return this.#current.source;
  }

  get size(): number | undefined {
    return this.#current.size;
  }

  seek(): void {
    throw new RangeError('seek needs a complete body');
  }

  async readBody(): Promise<Uint8Array | null> {
    try {
      const chunk = await this.#current.readBody();
      if (chunk !== null) this.#delivered += chunk.byteLength;
      return chunk;
    } catch (error) {
      // Once only: a failure of the second layer is the body's failure.
      const next = this.#switch?.(this.#delivered) ?? null;
      this.#switch = undefined;
      if (next === null) throw error;
      const failed = this.#current;
      this.#current = next;
      await failed.finish().catch(() => undefined);
      return this.readBody();
    }
  }

  finish(): Promise<void> {
    this.#switch = undefined;
    return this.#current.finish();
  }
}
