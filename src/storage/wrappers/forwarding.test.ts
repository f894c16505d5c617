import { describe, expect, it, vi } from 'vitest';
import type {
  LookupResult,
  PieceStart,
  PieceWriter,
  SparseLookup,
  Storage,
  StorageCapabilities,
  StoredVariant,
} from '../../core/storage.ts';
import { StorageError } from '../../core/storage.ts';
import { MemoryStorage } from '../memory/memory.ts';
import { bareStorage, bytes, keyOf, metaOf, store } from '../testing/support.ts';
import { AnnouncingStorage } from './announcing.ts';
import { ForwardingStorage } from './forwarding.ts';
import { QuotaRetryStorage } from './quota-retry.ts';

/** Every storage wrapper of the package, around `inner`. */
const WRAPPERS: [string, (inner: Storage) => Storage & StorageCapabilities][] = [
  ['QuotaRetryStorage', (inner) => new QuotaRetryStorage(inner, { makeRoom: async () => {} })],
  [
    'AnnouncingStorage',
    (inner) => new AnnouncingStorage(inner, { postMessage: () => undefined }, { source: 'test' }),
  ],
];

const KEY = keyOf('/capability');
const META = metaOf();
const PIECE: PieceStart = {
  meta: META,
  representation: { length: 10, validator: { etag: '"a"' } },
  offset: 0,
};

/** A storage with every optional capability, each a spy answering a value of its own. */
function capable() {
  const memory = new MemoryStorage();
  const followed = { meta: META, hit: {} } as LookupResult;
  const listed: readonly StoredVariant[] = [{ key: keyOf('/capability', 'v'), meta: META }];
  const sparse = { meta: META, spans: [] } as unknown as SparseLookup;
  const pieceWrite = vi.fn((_chunk: Uint8Array) => Promise.resolve());
  const pieceAbort = vi.fn(() => Promise.resolve());
  const pieceWriter: PieceWriter = {
    write: pieceWrite,
    finish: () => Promise.resolve('partial'),
    abort: pieceAbort,
  };
  const spies = {
    pieceWrite,
    pieceAbort,
    getRefillHandler: vi.spyOn(memory, 'getRefillHandler'),
    lookupWriteInProgress: vi.fn((): LookupResult | null => followed),
    touch: vi.fn(),
    listVariants: vi.fn(() => Promise.resolve(listed)),
    lookupSparse: vi.fn(() => Promise.resolve(sparse)),
    getPieceWriter: vi.fn(() => Promise.resolve(pieceWriter)),
  };
  const inner: Storage = Object.assign(memory, {
    lookupWriteInProgress: spies.lookupWriteInProgress,
    touch: spies.touch,
    listVariants: spies.listVariants,
    lookupSparse: spies.lookupSparse,
    getPieceWriter: spies.getPieceWriter,
  });
  return { inner, spies, followed, listed, sparse, pieceWriter };
}

/**
 * One call per capability and what must reach the inner storage. Typed by the capabilities: a
 * new one does not compile until it is listed here.
 */
const CAPABILITIES: {
  [K in keyof StorageCapabilities]: (
    wrapper: StorageCapabilities,
    inner: ReturnType<typeof capable>,
  ) => void | Promise<void>;
} = {
  getRefillHandler: async (wrapper, { spies }) => {
    const refill = await wrapper.getRefillHandler(KEY, META);
    expect(spies.getRefillHandler).toHaveBeenCalledWith(KEY, META);
    expect(refill).toBe(await spies.getRefillHandler.mock.results[0]!.value);
  },
  lookupWriteInProgress: (wrapper, { spies, followed }) => {
    expect(wrapper.lookupWriteInProgress(KEY, 3)).toBe(followed);
    expect(spies.lookupWriteInProgress).toHaveBeenCalledWith(KEY, 3);
  },
  touch: (wrapper, { spies }) => {
    wrapper.touch(KEY);
    expect(spies.touch).toHaveBeenCalledWith(KEY);
  },
  listVariants: async (wrapper, { spies, listed }) => {
    expect(await wrapper.listVariants(KEY)).toBe(listed);
    expect(spies.listVariants).toHaveBeenCalledWith(KEY);
  },
  lookupSparse: async (wrapper, { spies, sparse }) => {
    const readFrom = () => 5;
    expect(await wrapper.lookupSparse(KEY, readFrom)).toBe(sparse);
    expect(spies.lookupSparse).toHaveBeenCalledWith(KEY, readFrom);
  },
  getPieceWriter: async (wrapper, { spies }) => {
    // The writer may be wrapped (`AnnouncingStorage` watches its outcome): what reaches it counts.
    const writer = await wrapper.getPieceWriter(KEY, PIECE);
    expect(spies.getPieceWriter).toHaveBeenCalledWith(KEY, PIECE);
    const chunk = bytes(3);
    await writer.write(chunk);
    expect(spies.pieceWrite).toHaveBeenCalledWith(chunk);
    expect(await writer.finish()).toBe('partial');
    await writer.abort();
    expect(spies.pieceAbort).toHaveBeenCalled();
  },
};

describe.each(WRAPPERS)('%s', (_name, wrap) => {
  it('is a ForwardingStorage', () => {
    expect(wrap(new MemoryStorage())).toBeInstanceOf(ForwardingStorage);
  });

  it.each(Object.entries(CAPABILITIES))(
    'forwards %s to the storage it wraps',
    async (_c, check) => {
      const inner = capable();
      await check(wrap(inner.inner), inner);
    },
  );

  it('answers as a storage without the capabilities when the inner storage has none', async () => {
    const inner = new MemoryStorage();
    const bare = bareStorage(inner);
    const getMissHandler = vi.spyOn(bare, 'getMissHandler');
    const wrapper = wrap(bare);
    expect(wrapper.lookupWriteInProgress(KEY)).toBeNull();
    expect(await wrapper.lookupSparse(KEY)).toBeNull();
    await expect(wrapper.getPieceWriter(KEY, PIECE)).rejects.toThrow(StorageError);
    // No list of variants: the primary slot alone, as a caller of the bare storage would see.
    await store(inner, keyOf('/capability', 'v'), bytes(2));
    expect(await wrapper.listVariants(KEY)).toEqual([]);
    await store(inner, KEY, bytes(2), 7, metaOf(203));
    expect(await wrapper.listVariants(keyOf('/capability', 'any'))).toEqual([
      { key: KEY, meta: metaOf(203) },
    ]);
    // A write in progress is what its lookup finds: not complete, so nothing is listed.
    const writing = await inner.getMissHandler(KEY, metaOf(204));
    expect(await wrapper.listVariants(KEY)).toEqual([]);
    await writing.abort();
    expect(() => wrapper.touch(KEY)).not.toThrow();
    // No refill write: the copy is a miss write, as the composition starts on such a layer.
    await wrapper.getRefillHandler(KEY, META);
    expect(getMissHandler).toHaveBeenCalledWith(KEY, META);
  });
});
