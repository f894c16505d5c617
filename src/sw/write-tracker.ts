/**
 * The bodies this worker is storing right now, for `entries()`: how many bytes are written, how
 * many are expected (`Content-Length`, when the origin sent one) and how many readers follow the
 * write. Kept in memory by the worker that writes; a write ends (stored or not) when its body is
 * finished or dropped.
 */
import type { CacheMeta } from '../core/meta.ts';

export interface WriteInProgress {
  readonly url: string;
  readonly status: number;
  /** Until when the response being written will be fresh, ms since the epoch. */
  readonly freshUntil: number;
  readonly tags: readonly string[];
  readonly started: number;
  readonly bytesWritten: number;
  /** `null` when the origin sent no (valid) `Content-Length`. */
  readonly expectedBytes: number | null;
  /** Requests answered from this write while it goes on (they stream its body). */
  readonly readers: number;
}

export interface TrackedWrite {
  /** `bytes` more were handed to storage. */
  wrote(bytes: number): void;
  /** The write finished or was dropped; safe to call more than once. */
  end(): void;
}

export class WriteTracker {
  readonly #writes = new Map<
    object,
    { -readonly [K in keyof WriteInProgress]: WriteInProgress[K] }
  >();

  /**
   * Tracks the write of `response`'s body, stored for `url` with `meta`, started at `started`.
   * Takes what the flow has at hand, so that the flow (in every worker) builds nothing for it.
   */
  begin(
    url: string,
    response: Response,
    { freshUntil, tags }: Pick<CacheMeta, 'freshUntil' | 'tags'>,
    started: number,
  ): TrackedWrite {
    const id = {};
    this.#writes.set(id, {
      url,
      status: response.status,
      freshUntil,
      tags,
      started,
      bytesWritten: 0,
      expectedBytes: parseLength(response.headers.get('content-length')),
      readers: 0,
    });
    return {
      wrote: (bytes) => {
        const write = this.#writes.get(id);
        if (write) write.bytesWritten += bytes;
      },
      end: () => void this.#writes.delete(id),
    };
  }

  /** A request is answered from the write of `url` in progress, if there is one. */
  follow(url: string): void {
    const write = this.#latest(url);
    if (write) write.readers++;
  }

  /** Whether a body for `url` is being written by this worker. */
  writing(url: string): boolean {
    return this.#latest(url) !== undefined;
  }

  /** The writes in progress, one per URL (the most recently started). */
  list(): WriteInProgress[] {
    const byUrl = new Map<string, WriteInProgress>();
    for (const write of this.#writes.values()) {
      const known = byUrl.get(write.url);
      if (!known || write.started >= known.started) byUrl.set(write.url, { ...write });
    }
    return [...byUrl.values()];
  }

  #latest(url: string) {
    let latest: { -readonly [K in keyof WriteInProgress]: WriteInProgress[K] } | undefined;
    for (const write of this.#writes.values()) {
      if (write.url === url && (!latest || write.started >= latest.started)) latest = write;
    }
    return latest;
  }
}

function parseLength(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : null;
}
