/**
 * The two forms a stored body chunk takes (`ChunkRecord.data`):
 *
 * - a `Blob`: IndexedDB keeps it out of line (a file), a read returns a handle without reading
 *   the bytes, and a response can hand it to the page without the bytes entering the worker's JS;
 * - bytes inline (`Uint8Array`): for a body of one small chunk, where a Blob's extra file costs
 *   more than it saves (Chromium stores values under 64 KiB inside its database and wraps larger
 *   ones in a Blob of its own anyway), and in every database written before Blobs.
 *
 * The form is chosen per body, so every chunk of a body has the same form; readers accept both.
 * Where the database refuses Blobs (WebKit's ephemeral IndexedDB: Safari's Private Browsing, and
 * WebKit under automation), every body is stored as bytes instead ({@link ChunkForms}).
 */

export type ChunkData = Uint8Array | Blob;

/**
 * A body of one chunk at most this large is stored inline as bytes; larger bodies, and every body
 * of more than one chunk, as Blobs. Measured in docs/storage.md ("Chunk format").
 */
export const INLINE_BODY_MAX_BYTES = 64 * 1024;

/**
 * Whether a storage's database takes Blob values: assumed until the first refusal, then bytes for
 * the storage's life (one database, one answer).
 */
export interface ChunkForms {
  blobs: boolean;
}

/** `bytes` in the form it is stored in. A Blob copies them: the caller may reuse its buffer. */
export function toChunkData(bytes: Uint8Array, inline: boolean): ChunkData {
  return inline ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>]);
}

/** Length in bytes of a stored chunk, without reading a Blob's bytes. */
export function chunkLength(data: ChunkData): number {
  return data instanceof Blob ? data.size : data.byteLength;
}

/** The bytes of a stored chunk (a Blob is read). */
export async function chunkBytes(data: ChunkData): Promise<Uint8Array> {
  return data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data;
}

/**
 * What a stored chunk record's `data` may be: anything else (another version's or a page's own
 * record) is treated like a missing chunk by readers.
 */
export function isChunkData(value: unknown): value is ChunkData {
  return value instanceof Uint8Array || value instanceof Blob;
}
