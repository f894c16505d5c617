/**
 * The byte ranges this worker is downloading into sparse entries right now, per entry: the
 * cache lock of partial content. It is keyed by the entry and the range, not by the entry alone:
 * a `<video>` keeps a `bytes=0-` download open while it asks for the part the user seeks to, and
 * a lock per entry would hold the seek behind the whole download. A request subtracts the ranges
 * in flight from the bytes it misses and fetches only the rest; its reader waits for bytes in
 * flight as they land. Every tab is served by the one worker, so this covers them all.
 */
import type { ByteSpan } from '../core/byte-spans.ts';
import type { Storage } from '../core/storage.ts';

/** One download in flight: the bytes it will bring, and how far it got. */
export interface PieceDownload {
  /** Bytes up to `at` were handed to storage: readers waiting for them look again. */
  progress(at: number): void;
  /** The download ended (done, cut or failed): readers stop waiting for it. */
  end(): void;
}

interface Download {
  readonly span: ByteSpan;
  position: number;
  readonly changed: Set<() => void>;
}

export class PiecesInFlight {
  readonly #downloads = new Map<string, Set<Download>>();

  /** Records a download of `span` of the entry `entry` (its variant hash). */
  start(entry: string, span: ByteSpan): PieceDownload {
    const download: Download = { span, position: span.start, changed: new Set() };
    const downloads = this.#downloads.get(entry) ?? new Set<Download>();
    downloads.add(download);
    this.#downloads.set(entry, downloads);
    const wake = () => {
      for (const listener of [...download.changed]) listener();
      download.changed.clear();
    };
    return {
      progress: (at) => {
        download.position = Math.max(download.position, at);
        wake();
      },
      end: () => {
        downloads.delete(download);
        if (downloads.size === 0 && this.#downloads.get(entry) === downloads) {
          this.#downloads.delete(entry);
        }
        wake();
      },
    };
  }

  /** The parts of the downloads in flight for `entry` still to come. */
  pending(entry: string): ByteSpan[] {
    return [...(this.#downloads.get(entry) ?? [])]
      .filter((d) => d.position < d.span.end)
      .map((d) => ({ start: d.position, end: d.span.end }));
  }

  /**
   * Waits until a download that will bring byte `at` of `entry` moves on or ends; `false` at
   * once when no download will bring it.
   */
  async waitFor(entry: string, at: number): Promise<boolean> {
    const download = [...(this.#downloads.get(entry) ?? [])].find(
      (d) => d.span.start <= at && at < d.span.end,
    );
    if (download === undefined) return false;
    await new Promise<void>((resolve) => download.changed.add(resolve));
    return true;
  }
}

const REGISTRIES = new WeakMap<Storage, PiecesInFlight>();

/** The downloads in flight into `storage`: one registry per storage, shared by every request. */
export function piecesInFlight(storage: Storage): PiecesInFlight {
  let registry = REGISTRIES.get(storage);
  if (registry === undefined) {
    registry = new PiecesInFlight();
    REGISTRIES.set(storage, registry);
  }
  return registry;
}
